//go:build !linux

package vault

// sessionBusProblem: only Linux reaches its keychain over a session bus.
func sessionBusProblem() error { return nil }

const noBusWhy, noBusHint = "", ""
