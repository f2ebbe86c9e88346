//go:build e2e

package cli

// e2e_api_platforms_test.go: `storelink api` through the real binary and
// the real keychain for every platform besides PrestaShop (which
// e2e_api_test.go covers with agents and pins): Magento 2 signed with OAuth
// 1.0 and a realm (--verbose shows the signature, never a secret) and with
// an admin login, Upgates behind its lockout guard, WooCommerce signed over
// plain HTTP, Shopify with its token; each reads, pages, writes and names
// an HTTP error with a test's code.

import (
	"encoding/json"
	"strings"
	"testing"

	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/shopify/shopifytest"
	"storelink/connectors/upgates/upgatestest"
	"storelink/connectors/woocommerce/wootest"
)

// create saves a connection without testing it; secrets go through stdin.
func (b *binary) createApp(app, name string, secrets map[string]string, set ...string) {
	b.t.Helper()
	args := []string{"create", "--app", app, "--name", name, "--secrets-stdin", "--no-verify"}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	if code, out, errs := b.run(secretsJSON(b.t, secrets), args...); code != 0 {
		b.t.Fatalf("create %s: exit %d %q %q", name, code, out, errs)
	}
}

// jsonArray is the length of a JSON array printed, or -1.
func jsonArray(s string) int {
	var items []json.RawMessage
	if json.Unmarshal([]byte(s), &items) != nil {
		return -1
	}
	return len(items)
}

func TestE2EAPIMagento(t *testing.T) {
	b := newBinary(t)
	srv := magentotest.New(magentotest.Options{Products: 7})
	defer srv.Close()
	b.createApp("magento2", "Mage", map[string]string{
		"consumer_secret": magentotest.DefaultConsumerSecret, "access_token": magentotest.DefaultAccessToken,
		"token_secret": magentotest.DefaultTokenSecret,
	}, "base_uri="+srv.BaseURI(), "auth_type=oauth1", "signature_method=HMAC-SHA256",
		"consumer_key="+magentotest.DefaultConsumerKey, "realm=storelink")
	b.createApp("magento2", "Admin", map[string]string{"password": magentotest.DefaultAdminPassword},
		"base_uri="+srv.BaseURI(), "auth_type=admin", "username="+magentotest.DefaultAdminUser)
	var printed []string

	code, out, errs := b.run("", "api", "Mage", "/V1/products?searchCriteria[pageSize]=5", "--verbose")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, `"total_count":7`) && !strings.Contains(out, `"total_count": 7`) {
		t.Fatalf("GET: %d %q %q", code, out, errs)
	}
	// --verbose: the signed request, its method, realm and signature shown,
	// the secrets never.
	for _, want := range []string{"> GET ", `oauth_signature_method="HMAC-SHA256"`, `realm="storelink"`, "oauth_signature=", "< HTTP/1.1 200 OK"} {
		if !strings.Contains(errs, want) && !(want == "< HTTP/1.1 200 OK" && strings.Contains(errs, "< 200 OK")) {
			t.Errorf("--verbose lacks %q:\n%s", want, errs)
		}
	}
	// Three pages of 3, 3 and 1: each a JSON object, printed in turn.
	code, out, errs = b.run("", "api", "Mage", "/V1/products?searchCriteria[pageSize]=3", "--paginate")
	printed = append(printed, out, errs)
	if code != 0 || strings.Count(out, `"total_count"`) != 3 {
		t.Errorf("--paginate: %d %q %q", code, out, errs)
	}
	code, out, errs = b.run("", "api", "Admin", "POST", "/V1/products", "-f", "product[sku]=mug", "-f", "product[name]=Mug", "--yes")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, `"sku":"mug"`) && !strings.Contains(out, `"sku": "mug"`) {
		t.Errorf("POST through the admin login: %d %q %q", code, out, errs)
	}
	// An unknown route: exit 1, stderr in a test's words with a code.
	code, out, errs = b.run("", "api", "Mage", "/V1/nothing-here")
	printed = append(printed, out, errs)
	if code != ExitFailed || !strings.Contains(errs, "404") {
		t.Errorf("unknown route: %d %q %q", code, out, errs)
	}
	for _, s := range []string{magentotest.DefaultConsumerSecret, magentotest.DefaultTokenSecret, magentotest.DefaultAccessToken, magentotest.DefaultAdminPassword} {
		b.assertNoLeak(s, printed...)
	}
}

func TestE2EAPIUpgates(t *testing.T) {
	b := newBinary(t)
	srv := upgatestest.New(t, upgatestest.Options{Products: 5, PageSize: 2})
	b.createApp("upgates", "Up", map[string]string{"api_key": upgatestest.DefaultKey},
		"api_url="+srv.APIURL, "api_user="+upgatestest.DefaultLogin)
	b.createApp("upgates", "Wrong", map[string]string{"api_key": "WRONGWRONGWRONGWRONG"},
		"api_url="+srv.APIURL, "api_user="+upgatestest.DefaultLogin)
	var printed []string
	code, out, errs := b.run("", "api", "Up", "/products", "--paginate")
	printed = append(printed, out, errs)
	if code != 0 || strings.Count(out, `"current_page"`) != 3 {
		t.Errorf("--paginate over 5 products, 2 a page: %d %q %q", code, out, errs)
	}
	// The access may only read products: a write is refused, and stderr
	// says so in a test's words and code.
	code, out, errs = b.run("", "api", "Up", "POST", "/products", "-f", "products[0][code]=mug", "--yes")
	printed = append(printed, out, errs)
	if code != ExitFailed || !strings.Contains(errs, "(forbidden)") || !strings.Contains(errs, "Add-ons > API") {
		t.Errorf("a write the access may not make: %d %q", code, errs)
	}
	// A refused login is counted like a test's; the fifth is never spent.
	for i := range 4 {
		code, out, errs = b.run("", "api", "Wrong", "/products")
		printed = append(printed, out, errs)
		if code != ExitFailed || !strings.Contains(errs, "(auth_invalid)") {
			t.Errorf("refused login %d: %d %q", i+1, code, errs)
		}
	}
	before := srv.Requests()
	code, out, errs = b.run("", "api", "Wrong", "/products")
	printed = append(printed, out, errs)
	if code != ExitFailed || !strings.Contains(errs, "locked_out") && !strings.Contains(errs, "lockout") || srv.Requests() != before {
		t.Errorf("the fifth login: %d, %d requests sent: %q", code, srv.Requests()-before, errs)
	}
	b.assertNoLeak(upgatestest.DefaultKey, printed...)
}

func TestE2EAPIWooCommerceAndShopify(t *testing.T) {
	b := newBinary(t)
	woo := wootest.New(wootest.Options{Products: 5})
	defer woo.Close()
	shop := shopifytest.New(shopifytest.Options{Products: 5, Scopes: append([]string{"write_products"}, shopifytest.DefaultScopes...)})
	defer shop.Close()
	b.createApp("woocommerce", "Woo", map[string]string{"consumer_key": wootest.DefaultKey, "consumer_secret": wootest.DefaultSecret},
		"store_url="+woo.StoreURL(), "use_https=false")
	b.createApp("shopify", "Shopify", map[string]string{"access_token": shopifytest.DefaultAccessToken}, "shop="+shop.URL)
	var printed []string

	// WooCommerce over plain HTTP signs with OAuth 1.0a; 2 a page: 2, 2, 1,
	// merged into one array.
	code, out, errs := b.run("", "api", "Woo", "/products?per_page=2", "--paginate", "--verbose")
	printed = append(printed, out, errs)
	if code != 0 || jsonArray(out) != 5 || !strings.Contains(errs, "oauth_signature") {
		t.Errorf("WooCommerce --paginate: %d %q %q", code, out, errs)
	}
	code, out, errs = b.run("", "api", "Woo", "/products", "-f", "name=Blue mug", "-f", "regular_price=9.50", "--yes")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, "Blue mug") {
		t.Errorf("WooCommerce POST: %d %q %q", code, out, errs)
	}
	code, out, errs = b.run("", "api", "Shopify", "/products.json?limit=2", "--paginate")
	printed = append(printed, out, errs)
	if code != 0 || strings.Count(out, `"products"`) != 3 {
		t.Errorf("Shopify --paginate: %d %q %q", code, out, errs)
	}
	code, out, errs = b.run("", "api", "Shopify", "POST", "/products.json", "-f", "product[title]=Blue mug", "--yes")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, "Blue mug") {
		t.Errorf("Shopify POST: %d %q %q", code, out, errs)
	}
	b.assertNoLeak(wootest.DefaultSecret, printed...)
	b.assertNoLeak(wootest.DefaultKey, printed...)
	b.assertNoLeak(shopifytest.DefaultAccessToken, printed...)
}
