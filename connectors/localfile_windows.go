//go:build windows

package connectors

import "os"

// openNoBlock opens path read-only; Windows has no FIFOs that block an open.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
