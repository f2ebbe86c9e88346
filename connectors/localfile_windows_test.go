//go:build windows

package connectors_test

import (
	"testing"

	"storelink/connectors"
)

// addSpecialFiles adds a device: Windows has no FIFOs in the file system.
func addSpecialFiles(t *testing.T, dir string, cases map[string]fileCase) {
	cases["device"] = fileCase{"NUL", connectors.ErrNotRegularFile, "not a regular file"}
}
