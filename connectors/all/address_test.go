package all

// address_test.go: every platform declares where its requests go, so an
// edit that moves a connection elsewhere is noticed the same way for all.

import (
	"slices"
	"testing"

	"storelink/connectors"
)

func TestEveryPlatformDeclaresItsAddress(t *testing.T) {
	for _, info := range connectors.All() {
		var keys []string
		for _, f := range info.Fields {
			if f.Address {
				keys = append(keys, f.Key)
				if f.IsSecret() {
					t.Errorf("%s: the address field %s is a secret", info.ID, f.Key)
				}
			}
		}
		if len(keys) == 0 {
			t.Errorf("%s declares no Address field: an edit that moves it elsewhere would send the saved secrets there unasked", info.ID)
		}
	}
}

func TestAddressChangesCompareWhereRequestsGo(t *testing.T) {
	for _, tc := range []struct {
		app, key    string
		saved, same string // the same place written differently
		elsewhere   []string
	}{
		{"prestashop", "store_url", "shop.example/shop", "https://SHOP.example/shop/", []string{"other.example/shop", "shop.example/other", "shop.example:8443/shop"}},
		{"woocommerce", "store_url", "shop.example", "Shop.Example/", []string{"shop.example.evil", "shop.example/wp"}},
		{"magento2", "base_uri", "https://shop.example/rest", "https://shop.example/rest/", []string{"http://shop.example/rest", "https://shop.example:8443/rest", "https://other.example/rest"}},
		{"upgates", "api_url", "https://my.admin.s15.upgates.com/api/v2", "https://MY.admin.s15.upgates.com/api/v2/", []string{"https://other.admin.s15.upgates.com/api/v2"}},
		{"shopify", "shop", "your-store.myshopify.com", "your-store", []string{"other-store.myshopify.com"}},
	} {
		info, ok := connectors.Lookup(tc.app)
		if !ok {
			t.Fatalf("%s is not registered", tc.app)
		}
		saved := connectors.Values{tc.key: tc.saved}
		if got := info.AddressChanges(saved, connectors.Values{tc.key: tc.same}); len(got) != 0 {
			t.Errorf("%s: %q and %q are the same place, got %+v", tc.app, tc.saved, tc.same, got)
		}
		for _, other := range tc.elsewhere {
			got := info.AddressChanges(saved, connectors.Values{tc.key: other})
			if len(got) != 1 || got[0].Key != tc.key || got[0].Label == "" || got[0].To == "" {
				t.Errorf("%s: %q is not %q, got %+v", tc.app, other, tc.saved, got)
			}
		}
	}
	// The scheme counts where a platform keeps it in its own field.
	for _, app := range []string{"prestashop", "woocommerce"} {
		info, _ := connectors.Lookup(app)
		got := info.AddressChanges(connectors.Values{"store_url": "shop.example"}, connectors.Values{"store_url": "shop.example", "use_https": "false"})
		if keys := changedKeys(got); !slices.Equal(keys, []string{"use_https"}) {
			t.Errorf("%s: turning HTTPS off is a new address, got %v", app, keys)
		}
	}
}

func changedKeys(cs []connectors.AddressChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Key)
	}
	return out
}
