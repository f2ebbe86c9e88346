package oauth1

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// FuzzBaseString checks the base-string builder never panics and keeps
// RFC 5849's shape: three "&"-separated parts, the realm and oauth_signature
// left out, the parameters sorted by name then value.
func FuzzBaseString(f *testing.F) {
	f.Add("GET", "https://shop.example/rest/V1/products?searchCriteria[pageSize]=1", "Example", "k", "v")
	f.Add("post", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", "", "c2", "")
	f.Add("GET", "HTTP://[::1]:80/a%20b?x=1&x=0&=&&a", "r\"e", "a3", "2 q")
	f.Add("PUT", "https://h:8443", "ü", "ü", "é&=")
	f.Fuzz(func(t *testing.T, method, rawURL, realm, formKey, formValue string) {
		oauth := map[string]string{"oauth_consumer_key": "ck", "oauth_nonce": "n", "oauth_signature": "SIG"}
		form := url.Values{formKey: {formValue}}
		base, err := BaseString(method, rawURL, oauth, form)
		if err != nil {
			return
		}
		withRealm := map[string]string{ParamRealm: realm}
		for k, v := range oauth {
			withRealm[k] = v
		}
		again, err := BaseString(method, rawURL, withRealm, form)
		if err != nil || again != base {
			t.Fatalf("the realm changed the base string: %q vs %q (%v)", base, again, err)
		}
		parts := strings.Split(base, "&")
		if len(parts) != 3 {
			t.Fatalf("base string has %d parts: %q", len(parts), base)
		}
		if parts[0] != strings.ToUpper(method) {
			t.Fatalf("method part %q", parts[0])
		}
		params, err := url.PathUnescape(parts[2])
		if err != nil {
			t.Fatalf("parameter part is not decodable: %v", err)
		}
		var pairs []string
		for _, p := range strings.Split(params, "&") {
			name, value, _ := strings.Cut(p, "=")
			if name == ParamSignature || name == ParamRealm && !strings.Contains(rawURL, "realm") && formKey != ParamRealm {
				t.Fatalf("%s is in the base string: %q", name, base)
			}
			pairs = append(pairs, name+"\x00"+value)
			if PercentEncode(mustUnescape(t, name)) != name || PercentEncode(mustUnescape(t, value)) != value {
				t.Fatalf("parameter %q is not encoded per RFC 5849 3.6", p)
			}
		}
		if !sort.StringsAreSorted(pairs) {
			t.Fatalf("parameters not sorted: %q", params)
		}
	})
}

func mustUnescape(t *testing.T, s string) string {
	u, err := url.PathUnescape(s)
	if err != nil {
		t.Fatalf("unescape %q: %v", s, err)
	}
	return u
}
