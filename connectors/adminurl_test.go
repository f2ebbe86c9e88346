package connectors_test

import (
	"testing"

	"storelink/connectors"
	_ "storelink/connectors/all"
)

// The back office each platform's address leads to, and none where the
// platform keeps it secret.
func TestAdminURL(t *testing.T) {
	for _, c := range []struct {
		app    string
		values connectors.Values
		want   string
	}{
		{"shopify", connectors.Values{"shop": "your-store"}, "https://your-store.myshopify.com/admin"},
		{"upgates", connectors.Values{"api_url": "https://myshop.admin.s15.upgates.com/api/v2"}, "https://myshop.admin.s15.upgates.com/"},
		{"woocommerce", connectors.Values{"store_url": "shop.example/wordpress"}, "https://shop.example/wordpress/wp-admin/"},
		{"woocommerce", connectors.Values{"store_url": "shop.example", "use_https": "false"}, "http://shop.example/wp-admin/"},
		{"woocommerce", connectors.Values{}, ""},
	} {
		info, ok := connectors.Default.Lookup(c.app)
		if !ok || info.AdminURL == nil {
			t.Fatalf("%s has no AdminURL", c.app)
		}
		if got := info.AdminURL(c.values); got != c.want {
			t.Errorf("%s %v: AdminURL = %q, want %q", c.app, c.values, got, c.want)
		}
	}
	for _, app := range []string{"prestashop", "magento2"} {
		if info, _ := connectors.Default.Lookup(app); info.AdminURL != nil {
			t.Errorf("%s offers an admin address it cannot know", app)
		}
	}
}
