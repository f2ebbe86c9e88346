//go:build race

package app

// raceBuild: under -race, sync.Pool (which Fyne's table keeps its spare
// cells in) drops items at random, so cell reuse cannot be counted.
const raceBuild = true
