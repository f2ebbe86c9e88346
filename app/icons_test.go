package app

import (
	"testing"

	"storelink/assets"
	"storelink/connectors"
	_ "storelink/connectors/all"
)

// Every platform shows its own mark in the picker and the table, not the
// app icon that stands in for a missing one.
func TestEveryPlatformHasItsOwnMark(t *testing.T) {
	for _, info := range connectors.Default.All() {
		if info.Icon == "" {
			t.Errorf("%s declares no icon", info.ID)
			continue
		}
		if got := assets.Icon(info.Icon).Name(); got != info.Icon {
			t.Errorf("%s: icon %q is not embedded (got %q)", info.ID, info.Icon, got)
		}
	}
}
