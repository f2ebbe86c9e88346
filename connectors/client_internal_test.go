package connectors

import (
	"net/url"
	"testing"
)

// sameOrigin is the whole redirect policy; the ports of httptest servers
// cannot show the http -> https upgrade on 443, so it is tested directly.
func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{"http://shop.example/api/", "http://shop.example/api/?x=1", true},
		{"http://shop.example/api/", "http://SHOP.example/new/", true},
		{"http://shop.example:80/", "http://shop.example/", true},
		{"https://shop.example/", "https://shop.example:443/", true},
		{"http://shop.example/", "https://shop.example/", true}, // upgrade
		{"http://shop.example:8080/", "https://shop.example/", true},
		{"http://shop.example/", "https://shop.example:8443/", false},
		{"https://shop.example/", "http://shop.example/", false}, // downgrade
		{"https://shop.example:8443/", "http://shop.example:8443/", false},
		{"http://shop.example:8080/", "http://shop.example:8081/", false},
		{"http://shop.example/", "http://www.shop.example/", false},
		{"http://127.0.0.1:8080/", "http://localhost:8080/", false},
		{"http://shop.example/", "ftp://shop.example/", false},
	} {
		from, _ := url.Parse(tc.from)
		to, _ := url.Parse(tc.to)
		if got := sameOrigin(from, to); got != tc.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
