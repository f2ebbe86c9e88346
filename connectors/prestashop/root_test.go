package prestashop

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"storelink/connectors/prestashop/pstest"
)

// devdocsRoot is the 8.x example of devdocs.prestashop-project.org/8/webservice/getting-started
// (indentation and the description's line break as published).
const devdocsRoot = `<?xml version="1.0" encoding="UTF-8"?>
<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">
    <api shopName="Prestashop">
        <addresses xlink:href="http://example.com/api/addresses" get="true" put="true" post="true" patch="true" delete="true" head="true">
            <description xlink:href="http://example.com/api/addresses" get="true" put="true" post="true" patch="true" delete="true" head="true">
            The Customer, Brand and Customer addresses</description>
            <schema xlink:href="http://example.com/api/addresses?schema=blank" type="blank"/>
            <schema xlink:href="http://example.com/api/addresses?schema=synopsis" type="synopsis"/>
        </addresses>
        <images xlink:href="http://example.com/api/images" get="true" put="true" post="true" patch="true" delete="true" head="true">
            <description xlink:href="http://example.com/api/images" get="true" put="true" post="true" patch="true" delete="true" head="true">
            The images</description>
        </images>
        <products xlink:href="http://example.com/api/products" get="true" put="false" post="true" patch="false" delete="false" head="true">
            <description>The products</description>
        </products>
    </api>
</prestashop>
`

// rootOf fetches the emulator's root listing for a version.
func rootOf(t *testing.T, o pstest.Options) []byte {
	t.Helper()
	s := pstest.New(o)
	defer s.Close()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/", nil)
	req.Header.Set("Authorization", pstest.BasicAuth(s.Key()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	return body
}

func TestParseRootVersions(t *testing.T) {
	perms := map[string][]string{"products": {"GET", "PUT", "PATCH"}, "customers": {"GET"}}
	for _, c := range []struct {
		version   string
		attr      string
		patch     bool
		shop      string
		wantShop  string
		wantProds []string
	}{
		{"8.1.4", `shopName="Dog &amp; Cat&#039;s"`, true, "Dog & Cat's", "Dog & Cat's", []string{"GET", "PUT", "PATCH"}},
		{"1.7.8.11", `shopName="Dog &amp; Cat's"`, false, "Dog & Cat's", "Dog & Cat's", []string{"GET", "PUT"}},
		{"1.6.1.24", `shopName="Shop"`, false, "Shop", "Shop", []string{"GET", "PUT"}},
		{"1.6.0.14", `shop_name="Shop"`, false, "Shop", "Shop", []string{"GET", "PUT"}},
	} {
		body := rootOf(t, pstest.Options{Version: c.version, ShopName: c.shop, Permissions: perms})
		if !strings.Contains(string(body), c.attr) || strings.Contains(string(body), `patch="`) != c.patch {
			t.Errorf("%s emulator body:\n%s", c.version, body)
		}
		root, err := ParseRoot(body)
		if err != nil {
			t.Fatalf("%s: %v", c.version, err)
		}
		if root.ShopName != c.wantShop || root.PatchListed != c.patch || len(root.Resources) != 2 {
			t.Errorf("%s: root = %+v", c.version, root)
		}
		// ksort: customers before products.
		if root.Resources[0].Name != "customers" || root.Resources[1].Name != "products" {
			t.Errorf("%s: order %+v", c.version, root.Resources)
		}
		if got := strings.Join(root.Resources[1].Methods(), ","); got != strings.Join(c.wantProds, ",") {
			t.Errorf("%s: products methods %s, want %v", c.version, got, c.wantProds)
		}
		if root.Resources[1].Description != "The products" {
			t.Errorf("%s: description %q", c.version, root.Resources[1].Description)
		}
	}
}

func TestParseRootDevdocs(t *testing.T) {
	root, err := ParseRoot([]byte(devdocsRoot))
	if err != nil {
		t.Fatal(err)
	}
	if root.ShopName != "Prestashop" || !root.PatchListed || len(root.Resources) != 3 {
		t.Fatalf("root = %+v", root)
	}
	a, p := root.Resources[0], root.Resources[2]
	if a.Name != "addresses" || a.Description != "The Customer, Brand and Customer addresses" || len(a.Methods()) != 6 {
		t.Errorf("addresses = %+v", a)
	}
	if got := strings.Join(p.Methods(), ","); got != "GET,HEAD,POST" {
		t.Errorf("products methods = %s", got)
	}
}

func TestParseRootRejects(t *testing.T) {
	for name, body := range map[string]string{
		"empty":      "",
		"html":       "<html><head><title>404 Not Found</title></head></html>",
		"error doc":  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[22]]></code>\n<message><![CDATA[The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office]]></message>\n</error>\n</errors>\n</prestashop>\n",
		"json":       `{"api":{"shopName":"x"}}`,
		"other root": `<rss><api shopName="x"/></rss>`,
		"truncated":  `<prestashop><api shopName="x"><products get="true">`,
	} {
		if _, err := ParseRoot([]byte(body)); !errors.Is(err, ErrNotRoot) {
			t.Errorf("%s: err = %v, want ErrNotRoot", name, err)
		}
	}
	errs := parseErrors([]byte(strings.ReplaceAll(rootErrorDoc, "\n", "\r\n")))
	if len(errs) != 2 || errs[0].Code != 20 || errs[1].Code != 21 || errs[1].Message != "No permission for this authentication key" {
		t.Errorf("parseErrors = %+v", errs)
	}
}

const rootErrorDoc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[20]]></code>\n<message><![CDATA[Authentification key is not active]]></message>\n</error>\n<error>\n<code><![CDATA[21]]></code>\n<message><![CDATA[No permission for this authentication key]]></message>\n</error>\n</errors>\n</prestashop>\n"

func TestPageTitle(t *testing.T) {
	for in, want := range map[string]string{
		"<html><head><title>404 Not Found</title></head>": "404 Not Found",
		"<TITLE lang=en>\n  Shop &amp; more\n</TITLE>":    "Shop & more",
		"no title": "",
	} {
		if got := pageTitle([]byte(in), nil); got != want {
			t.Errorf("pageTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseRoot(f *testing.F) {
	f.Add([]byte(devdocsRoot))
	f.Add([]byte(rootErrorDoc))
	f.Add([]byte(`<prestashop><api shop_name="a&amp;b"><x get="true" patch="false"><description>d</description></x></api></prestashop>`))
	f.Add([]byte("<html><title>x</title></html>"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		root, err := ParseRoot(body)
		if err != nil {
			if !errors.Is(err, ErrNotRoot) {
				t.Fatalf("error %v does not wrap ErrNotRoot", err)
			}
			return
		}
		for _, r := range root.Resources {
			if r.Name == "" {
				t.Fatalf("resource without a name in %q", body)
			}
			if len(r.Methods()) > 6 {
				t.Fatalf("too many methods: %v", r.Methods())
			}
		}
		_ = parseErrors(body)
		_ = pageTitle(body, nil)
	})
}

// FuzzNormalizeStoreURL: tidied input means the same target. Either the
// input is refused, or the tidied value, read strictly on its own, has the
// host, port and folder the input meant (the folder may only lose a
// back-office or API tail, with a note), and tidying it again changes
// nothing.
func FuzzNormalizeStoreURL(f *testing.F) {
	for _, s := range []string{"shop.example", "https://shop.example/", "shop.example/admin123/index.php?x=1", "http://u:p@[::1]:8080/shop/", "HTTPS://A.B/api/", "://", "a/b/c/", " x ",
		"file:///etc/passwd", "shop example.com", "https://shop.example\r\nX-Injected: 1", "shop.example:70000", "./A", "//shop.example/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, note := NormalizeStoreURL(in)
		if validateStoreURL(in) != nil {
			return // refused
		}
		again, note2 := NormalizeStoreURL(out)
		if again != out || note2 != "" || validateStoreURL(out) != nil {
			t.Fatalf("not idempotent: %q -> %q -> %q (%q)", in, out, again, note2)
		}
		if out != strings.TrimSpace(in) && note == "" {
			t.Fatalf("%q -> %q without a note", in, out)
		}
		meant, ok := strictStoreURL(in)
		if !ok {
			t.Fatalf("%q accepted, but it is no http(s) address", in)
		}
		got, ok := strictStoreURL(out)
		if !ok || got.Scheme != "https" || got.RawQuery != "" || got.Fragment != "" || got.User != nil {
			t.Fatalf("%q -> %q, which is no bare host[:port][/folder]", in, out)
		}
		if hostOf(got) != hostOf(meant) || got.Port() != meant.Port() {
			t.Fatalf("%q (host %q port %q) -> %q (host %q port %q)", in, hostOf(meant), meant.Port(), out, hostOf(got), got.Port())
		}
		want, have := segments(meant.EscapedPath()), segments(got.EscapedPath())
		if len(have) > len(want) || !slices.Equal(have, want[:len(have)]) {
			t.Fatalf("%q (folder %q) -> %q (folder %q): not the same folder", in, want, out, have)
		}
		if len(have) < len(want) && !strings.Contains(note, `removed "/`) {
			t.Fatalf("%q -> %q cut the folder without saying so (%q)", in, out, note)
		}
	})
}

// strictStoreURL reads s as the address it means, written independently of
// parseStoreURL: an optional http(s) scheme, then host[:port][/path]; a
// port must be 1-65535. Spaces or controls inside, another scheme or an
// empty host are no address.
func strictStoreURL(s string) (*url.URL, bool) {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\\' {
			return nil, false
		}
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
	case strings.Contains(s, "://"):
		return nil, false
	case strings.HasPrefix(s, "//"):
		s = "https:" + s
	default:
		s = "https://" + s
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 { // RFC 3986: the query and fragment are no part of the target
		s = s[:i]
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, false
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, false
		}
	}
	if strings.HasSuffix(u.Host, ":") { // an empty port is the default one
		u.Host = strings.TrimSuffix(u.Host, ":")
	}
	u.Scheme = "https" // the scheme is the Use HTTPS field's, not the Store URL's
	return u, true
}

// hostOf is the host name as DNS compares it: case and a final dot aside.
func hostOf(u *url.URL) string { return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".") }

// segments are a path's non-empty segments ("/a//b/" is a, b).
func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
