//go:build !windows && !darwin

package vault

// chunkSize: Secret Service has no small limit, but splitting at the same
// size as elsewhere keeps one code path, tested against the real service.
const chunkSize = 2048
