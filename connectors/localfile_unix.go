//go:build !windows

package connectors

import (
	"os"
	"syscall"
)

// openNoBlock opens path read-only with O_NONBLOCK, so opening a FIFO that
// no one writes to returns at once instead of waiting for a writer.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
