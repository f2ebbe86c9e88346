package magento2

import "testing"

// Every resource a test read needs has a title for the permissions table.
func TestEveryProbeResourceHasATitle(t *testing.T) {
	for _, p := range probes {
		if ACLTitle(p.resource) == "" {
			t.Errorf("%s (%s) has no title", p.resource, p.name)
		}
	}
	if got := aclWords("Magento_Backend::store"); got != "Stores > Settings > All Stores (Magento_Backend::store)" {
		t.Errorf("aclWords = %q", got)
	}
	if got := aclWords("Vendor_Module::thing"); got != "Vendor_Module::thing" {
		t.Errorf("an unknown resource keeps its ID: %q", got)
	}
}
