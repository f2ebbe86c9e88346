package magento2

// acl.go: the ACL resources the test reads need, by the titles Magento's
// resource tree shows (System > Permissions > User Roles > Role Resources,
// and an integration's API tab), from the modules' etc/acl.xml.

// aclTitles are the paths to each resource in that tree.
var aclTitles = map[string]string{
	"Magento_Backend::all":        "All resources",
	"Magento_Backend::admin":      "Any admin resource (the top of the tree)",
	"Magento_Backend::store":      "Stores > Settings > All Stores",
	"Magento_Catalog::products":   "Catalog > Inventory > Products",
	"Magento_Sales::actions_view": "Sales > Operations > Orders > Actions > View",
}

// ACLTitle is the title of an ACL resource ID in the admin's resource tree,
// or "" when it is not one the test uses.
func ACLTitle(id string) string { return aclTitles[id] }

// aclWords names a resource for people, keeping the ID for whoever grants
// it: "Catalog > Inventory > Products (Magento_Catalog::products)".
func aclWords(id string) string {
	if t := aclTitles[id]; t != "" {
		return t + " (" + id + ")"
	}
	return id
}
