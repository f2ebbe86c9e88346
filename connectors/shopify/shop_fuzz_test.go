package shopify

import (
	"strings"
	"testing"

	"storelink/connectors/connectortest"
)

// FuzzNormalizeShop: tidied input means the same store. Either the input is
// refused, or it becomes name.myshopify.com for a store name the input
// holds (a bare name, a myshopify.com address, an admin.shopify.com/store/
// address), or it keeps the host and port the input meant; and tidying
// again changes nothing.
func FuzzNormalizeShop(f *testing.F) {
	for _, s := range []string{"sneakers", "Sneakers.myshopify.com", "https://sneakers.myshopify.com/admin/products", "https://admin.shopify.com/store/sneakers/orders",
		"http://127.0.0.1:8080", "https://shop.example:8443/x", "www.brand.example", "file:///etc/passwd", "snea kers", "https://x.myshopify.com\r\nX: 1", "host:70000", "u:p@x.myshopify.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, note := NormalizeShop(in)
		if validateShop(in) != nil {
			return // refused
		}
		again, note2 := NormalizeShop(out)
		if again != out || note2 != "" || validateShop(out) != nil {
			t.Fatalf("not idempotent: %q -> %q -> %q (%q)", in, out, again, note2)
		}
		if out != strings.TrimSpace(in) && note == "" {
			t.Fatalf("%q -> %q without a note", in, out)
		}
		if out == "" {
			return
		}
		if name, ok := strings.CutSuffix(out, myshopify); ok {
			if !strings.Contains(strings.ToLower(in), name) {
				t.Fatalf("%q -> %q: a store name the input does not hold", in, out)
			}
			return
		}
		meant, ok := connectortest.StrictURL(in)
		got, ok2 := connectortest.StrictURL(out)
		if !ok || !ok2 {
			t.Fatalf("%q -> %q: kept an address that is no http(s) address", in, out)
		}
		if strings.ToLower(got.Hostname()) != strings.ToLower(meant.Hostname()) || got.Port() != meant.Port() {
			t.Fatalf("%q (host %q port %q) -> %q (host %q port %q)", in, meant.Hostname(), meant.Port(), out, got.Hostname(), got.Port())
		}
	})
}
