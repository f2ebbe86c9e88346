//go:build darwin

package vault

// chunkSize: go-keyring base64-encodes values on macOS (4/3 larger, with a
// prefix) and the keychain refuses items over about 3000 bytes.
const chunkSize = 1800
