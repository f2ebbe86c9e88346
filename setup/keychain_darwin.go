//go:build darwin

package setup

const keychainName = "the macOS login Keychain"
