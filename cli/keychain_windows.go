//go:build windows

package cli

const keychainName = "Windows Credential Manager"
