//go:build darwin

package cli

const keychainName = "the macOS login Keychain"
