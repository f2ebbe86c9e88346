package all

import (
	"testing"

	"storelink/connectors"
)

func TestEveryPlatformIsRegistered(t *testing.T) {
	want := map[string]bool{"magento2": false, "prestashop": false, "upgates": false}
	for _, info := range connectors.All() {
		if _, ok := want[info.ID]; ok {
			want[info.ID] = true
		}
		if info.Title == "" || info.Description == "" || info.Icon == "" {
			t.Errorf("%s: title, description and icon are needed by the application picker", info.ID)
		}
	}
	for id, found := range want {
		if !found {
			t.Errorf("%s is not registered", id)
		}
	}
}
