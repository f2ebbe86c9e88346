//go:build windows

package vault

// chunkSize: Credential Manager takes at most 2560 bytes a credential blob.
const chunkSize = 2048
