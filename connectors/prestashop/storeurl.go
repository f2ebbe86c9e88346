package prestashop

import (
	"strings"

	"storelink/connectors"
)

// storeAddress is the Shop address field's form: host[:port][/folder], the
// back office (admin123...), the API, a PHP script or the dispatcher not
// part of it.
var storeAddress = connectors.SiteAddress{
	Example:    "shop.example or shop.example/shop",
	Folder:     "shop.example/shop",
	DroppedWhy: "use the shop's own address, not the back office or API address",
	Tail: func(seg string) bool {
		return strings.HasPrefix(seg, "admin") || seg == "api" || seg == "webservice" || strings.HasSuffix(seg, ".php") || strings.HasSuffix(seg, ".html")
	},
}

// NormalizeStoreURL turns what a store owner pastes into the form the Shop
// address field keeps (connectors.SiteAddress.Normalize).
func NormalizeStoreURL(raw string) (normalized, note string) { return storeAddress.Normalize(raw) }

// validateStoreURL refuses what NormalizeStoreURL cannot tidy without
// pointing elsewhere.
func validateStoreURL(v string) error { return storeAddress.Validate(v) }
