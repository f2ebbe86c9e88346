//go:build windows

package setup

const keychainName = "Windows Credential Manager"
