//go:build !race

package app

// raceBuild: see table_race_test.go.
const raceBuild = false
