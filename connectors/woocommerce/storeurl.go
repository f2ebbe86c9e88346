package woocommerce

import (
	"strings"

	"storelink/connectors"
)

// storeURLExample is how a Shop address looks, in messages.
const storeURLExample = "shop.example or shop.example/wordpress"

// storeAddress is the Shop address field's form: host[:port][/folder], what
// belongs to WordPress itself (wp-admin, wp-json, wp-content, wp-includes, a
// PHP script such as wp-login.php, an HTML page) not part of it.
var storeAddress = connectors.SiteAddress{
	Example:    storeURLExample,
	Folder:     "shop.example/wordpress",
	DroppedWhy: "use the site's own address, not that of wp-admin, the API or a script",
	Tail: func(seg string) bool {
		switch {
		case seg == "wp-admin", seg == "wp-json", seg == "wp-content", seg == "wp-includes",
			strings.HasSuffix(seg, ".php"), strings.HasSuffix(seg, ".html"):
			return true
		}
		return false
	},
}

// NormalizeStoreURL turns what a store owner pastes into the form the Shop
// address field keeps (connectors.SiteAddress.Normalize).
func NormalizeStoreURL(raw string) (normalized, note string) { return storeAddress.Normalize(raw) }

// validateStoreURL refuses what NormalizeStoreURL cannot tidy without
// pointing elsewhere.
func validateStoreURL(v string) error { return storeAddress.Validate(v) }
