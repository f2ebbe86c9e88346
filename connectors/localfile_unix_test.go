//go:build !windows

package connectors_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"storelink/connectors"
)

// addSpecialFiles adds a device and a FIFO nobody writes to.
func addSpecialFiles(t *testing.T, dir string, cases map[string]fileCase) {
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases["device"] = fileCase{"/dev/zero", connectors.ErrNotRegularFile, "not a regular file"}
	cases["fifo without a writer"] = fileCase{fifo, connectors.ErrNotRegularFile, "not a regular file"}
}
