// Tests of the one-click fixes Magento's answers lead to: each fix, applied
// to the values, makes the next test pass.
package magento2

import (
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/magento2/magentotest"
)

func run(t *testing.T, v connectors.Values) connectors.Result {
	t.Helper()
	return connectors.Run(t.Context(), Info(), connectors.Config{Name: "fix", Values: v})
}

// onlyFix returns the result's single fix on field.
func onlyFix(t *testing.T, r connectors.Result, field string) connectors.Fix {
	t.Helper()
	if len(r.Fixes) != 1 || r.Fixes[0].Field != field {
		t.Fatalf("fixes = %+v, want one for %s (code %s: %s)", r.Fixes, field, r.Code, r.Message)
	}
	return r.Fixes[0]
}

func applied(v connectors.Values, f connectors.Fix) connectors.Values {
	out := v.Clone()
	out[f.Field] = f.Value
	return out
}

func TestFixSignatureMethod(t *testing.T) {
	s := start(t, magentotest.Options{Version: "2.4.7"})
	v := oauthValues(s, "HMAC-SHA1")
	r := run(t, v)
	if r.Code != connectors.CodeSignatureMethodUnsupported {
		t.Fatalf("code %s: %s", r.Code, r.Message)
	}
	f := onlyFix(t, r, FieldSignatureMethod)
	if f.Value != "HMAC-SHA256" || f.Label != "Use HMAC-SHA256" {
		t.Errorf("fix %+v", f)
	}
	if r2 := run(t, applied(v, f)); !r2.OK || len(r2.Fixes) != 0 {
		t.Errorf("after the fix: %s %s, fixes %+v", r2.Code, r2.Message, r2.Fixes)
	}
}

func TestFixIndexPHP(t *testing.T) {
	s := start(t, magentotest.Options{NoRewrite: true, StoreCodes: []string{"default", "en"}})
	for _, tc := range []struct{ name, base, want string }{
		{"rest", s.URL + "/rest", s.URL + "/index.php/rest"},
		{"rest with a store code", s.URL + "/rest/en", s.URL + "/index.php/rest/en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := oauthValues(s, "HMAC-SHA256", FieldBaseURI, tc.base)
			r := run(t, v)
			if !r.OK || !r.HasWarning(connectors.CodeRewriteMissing) || r.Requests != 5 {
				t.Fatalf("code %s (%s), warnings %v, %d requests", r.Code, r.Message, r.Warnings, r.Requests)
			}
			f := onlyFix(t, r, FieldBaseURI)
			if f.Value != tc.want {
				t.Errorf("fix %+v, want the value %s", f, tc.want)
			}
			r2 := run(t, applied(v, f))
			if !r2.OK || r2.HasWarning(connectors.CodeRewriteMissing) || len(r2.Fixes) != 0 || r2.Requests != 4 {
				t.Errorf("after the fix: %s, warnings %v, fixes %+v, %d requests", r2.Code, r2.Warnings, r2.Fixes, r2.Requests)
			}
		})
	}
	t.Run("fails on the retried address", func(t *testing.T) {
		r := run(t, oauthValues(s, "HMAC-SHA256", FieldBaseURI, s.URL+"/rest", FieldConsumerSecret, strings.Repeat("w", 32)))
		if r.Code != connectors.CodeSignatureInvalid || !r.HasWarning(connectors.CodeRewriteMissing) {
			t.Fatalf("code %s (%s), warnings %v", r.Code, r.Message, r.Warnings)
		}
		onlyFix(t, r, FieldBaseURI)
	})
	t.Run("no Magento under /index.php either", func(t *testing.T) {
		shop := start(t, magentotest.Options{})
		r := run(t, oauthValues(shop, "HMAC-SHA256", FieldBaseURI, shop.URL+"/shop/rest"))
		if r.Code != connectors.CodeNotAPI || len(r.Fixes) != 0 || r.HasWarning(connectors.CodeRewriteMissing) || r.Requests != 2 {
			t.Errorf("code %s, fixes %+v, warnings %v, %d requests", r.Code, r.Fixes, r.Warnings, r.Requests)
		}
		if !strings.Contains(r.Message, "/shop/rest") && !strings.Contains(r.Hint, "/index.php/rest") {
			t.Errorf("the first address's diagnosis stands: %s / %s", r.Message, r.Hint)
		}
	})
	t.Run("Magento's own 404 is not retried", func(t *testing.T) {
		shop := start(t, magentotest.Options{})
		r := run(t, oauthValues(shop, "HMAC-SHA256", FieldBaseURI, shop.URL+"/rest/nosuch"))
		if r.Code != connectors.CodeNotAPI || r.Requests != 1 || len(r.Fixes) != 0 {
			t.Errorf("code %s, %d requests, fixes %+v", r.Code, r.Requests, r.Fixes)
		}
	})
}

func TestFixMovedBaseURI(t *testing.T) {
	s := start(t, magentotest.Options{RedirectTo: "https://www.shop.example"})
	r := run(t, oauthValues(s, "HMAC-SHA256"))
	if f := onlyFix(t, r, FieldBaseURI); f.Value != "https://www.shop.example/rest" || r.Location != f.Value {
		t.Errorf("fix %+v, location %s", f, r.Location)
	}
}
