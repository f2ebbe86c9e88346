package magento2

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"storelink/connectors/connectortest"
)

func TestNormalizeBaseURI(t *testing.T) {
	for in, want := range map[string]string{
		"https://shop.example/rest":                         "https://shop.example/rest",
		"https://shop.example/rest/":                        "https://shop.example/rest",
		"shop.example/rest":                                 "https://shop.example/rest",
		"http://123.12.12.1/xyz/admin":                      "http://123.12.12.1/xyz/rest",
		"https://Shop.Example/admin_1qz9x/":                 "https://shop.example/rest",
		"https://shop.example/admin_1qz9x/admin/dashboard/": "https://shop.example/rest",
		"https://shop.example/index.php/admin/":             "https://shop.example/index.php/rest",
		"https://shop.example/index.php/rest":               "https://shop.example/index.php/rest",
		"https://shop.example/rest/default":                 "https://shop.example/rest/default",
		"https://shop.example/rest/en/V1/products?x=1":      "https://shop.example/rest/en",
		"https://shop.example/rest/V1/products":             "https://shop.example/rest",
		"https://shop.example/rest/all":                     "https://shop.example/rest",
		"https://shop.example/rest/all/V1/orders":           "https://shop.example/rest",
		"https://shop.example":                              "https://shop.example/rest",
		"https://shop.example/shop/":                        "https://shop.example/shop/rest",
		"https://shop.example/shop/women.html":              "https://shop.example/shop/rest",
		"https://shop.example:8443/m2/backend":              "https://shop.example:8443/m2/rest",
		"HTTP://SHOP.EXAMPLE/REST":                          "http://shop.example/rest",
	} {
		got, note := NormalizeBaseURI(in)
		if got != want {
			t.Errorf("NormalizeBaseURI(%q) = %q, want %q", in, got, want)
		}
		if (got != strings.TrimSpace(in)) != (note != "") {
			t.Errorf("NormalizeBaseURI(%q): note %q for a change %v", in, note, got != in)
		}
	}
	if _, note := NormalizeBaseURI("http://123.12.12.1/xyz/admin"); !strings.Contains(note, "back-office") {
		t.Errorf("admin note = %q", note)
	}
	if _, note := NormalizeBaseURI("https://shop.example/rest/all"); !strings.Contains(note, `"all"`) {
		t.Errorf("all note = %q", note)
	}
}

func TestSplitBaseURI(t *testing.T) {
	for in, want := range map[string][2]string{
		"https://shop.example/rest":           {"https://shop.example/rest", ""},
		"https://shop.example/rest/en":        {"https://shop.example/rest", "en"},
		"https://shop.example/index.php/rest": {"https://shop.example/index.php/rest", ""},
		"https://shop.example/m/rest/default": {"https://shop.example/m/rest", "default"},
	} {
		if rest, code := SplitBaseURI(in); rest != want[0] || code != want[1] {
			t.Errorf("SplitBaseURI(%q) = %q, %q", in, rest, code)
		}
	}
}

// FuzzNormalizeBaseURI: tidied input means the same target. Either the
// input is refused, or the tidied value ends in /rest or /rest/<code> and,
// read strictly on its own, has the scheme, host and port the input meant
// and a folder before /rest that the input's path starts with; normalising
// again changes nothing.
func FuzzNormalizeBaseURI(f *testing.F) {
	for _, s := range []string{"shop.example", "http://1.2.3.4/xyz/admin", "https://a/rest/all/V1", "https://a/index.php/rest/en/", " ", "https://[::1]:8/rest?x#y", "http://a/%zz", "https://a/b.c/d.e",
		"file:///etc/passwd", "https://shop example.com/rest", "https://shop.example\r\nX-Injected: 1/rest", "https://a:70000/rest", "//a/b", "https://u:p@a/rest"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, note := NormalizeBaseURI(in)
		if validateBaseURI(in) != nil {
			return // refused
		}
		if note == "" && out != strings.TrimSpace(in) {
			t.Fatalf("changed %q to %q without a note", in, out)
		}
		rest, code := SplitBaseURI(out)
		if !strings.HasSuffix(strings.ToLower(rest), "/rest") {
			t.Fatalf("%q -> %q: no /rest base (%q)", in, out, rest)
		}
		if code != "" && !storeCodePattern().MatchString(code) {
			t.Fatalf("%q -> store code %q", in, code)
		}
		again, note2 := NormalizeBaseURI(out)
		if again != out || note2 != "" {
			t.Fatalf("not idempotent: %q -> %q -> %q (%s)", in, out, again, note2)
		}
		meant, ok := connectortest.StrictURL(in)
		if !ok {
			t.Fatalf("%q accepted, but it is no http(s) address", in)
		}
		got, ok := connectortest.StrictURL(out)
		if !ok || got.User != nil || got.RawQuery != "" || got.Fragment != "" {
			t.Fatalf("%q -> %q: not a bare address", in, out)
		}
		if got.Scheme != meant.Scheme || got.Hostname() != strings.ToLower(meant.Hostname()) || got.Port() != meant.Port() {
			t.Fatalf("%q (%s %s %s) -> %q (%s %s %s): another target", in, meant.Scheme, meant.Hostname(), meant.Port(), out, got.Scheme, got.Hostname(), got.Port())
		}
		base, _ := connectortest.StrictURL(rest)
		folder := segments(strings.TrimSuffix(strings.ToLower(base.EscapedPath()), "/rest"))
		inPath := segments(strings.ToLower(meant.EscapedPath()))
		if len(folder) > len(inPath) || !slices.Equal(folder, inPath[:len(folder)]) {
			t.Fatalf("%q (path %q) -> %q (folder %q): another folder", in, inPath, out, folder)
		}
	})
}

// segments are an escaped path's segments, unescaped, but empty ones and
// "." ("!" and "%21" are one segment, "%2F" and "/" are not).
func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

func TestBaseURIRefusesWhatWouldPointElsewhere(t *testing.T) {
	for in, want := range map[string]string{
		"file:///etc/passwd":                         "not file://",
		"https://shop example.com/rest":              "must not contain spaces",
		"https://shop.example\r\nX-Injected: 1/rest": "must not contain spaces",
		"https://shop.example:70000/rest":            "1 to 65535",
		"https://shop.example:0/rest":                "1 to 65535",
		"https://shop.example/../rest":               `".."`,
		"https://shop.exa\u200bmple/rest":            "invisible",
	} {
		if err := validateBaseURI(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validateBaseURI(%q) = %v, want %q", in, err, want)
		}
		if got, note := NormalizeBaseURI(in); got != strings.TrimSpace(in) || note != "" {
			t.Errorf("NormalizeBaseURI(%q) rewrote it to %q (%s)", in, got, note)
		}
	}
	if got, note := NormalizeBaseURI("https://admin:pw@shop.example/rest"); got != "https://shop.example/rest" || !strings.Contains(note, "user name or password") {
		t.Errorf("a user name is dropped with a note: %q %q", got, note)
	}
}

func TestErrorText(t *testing.T) {
	for body, want := range map[string]string{
		`{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`:                                                               "Signature method HMAC-SHA1 is not supported",
		`{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Catalog::products"}}`:                    "The consumer isn't authorized to access Magento_Catalog::products.",
		`{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google","duo_security"]}}`: "Please use the 2fa provider-specific endpoints to obtain a token.",
		`{"message":"%fieldName and %2 %missing","parameters":{"fieldName":"oauth_nonce"}}`:                                                           "oauth_nonce and %2 %missing",
		`{"message":"Specified token does not exist"}`:                                                                                                "Specified token does not exist",
	} {
		e, ok := parseError([]byte(body))
		if !ok || e.Text() != want {
			t.Errorf("%s: %q, %v", body, e.Text(), ok)
		}
	}
	e, _ := parseError([]byte(`{"message":"x","parameters":{"active_providers":["google","duo_security"]}}`))
	if e.param("active_providers") != "google, duo_security" {
		t.Errorf("providers = %q", e.param("active_providers"))
	}
	for _, bad := range []string{"", "<html>", `{"messages":{"error":[]}}`, `"token"`, `[]`} {
		if _, ok := parseError([]byte(bad)); ok {
			t.Errorf("%q parsed as an error", bad)
		}
	}
	if id := reportID([]byte(`{"message":"Internal Error. Details are available in Magento log file. Report ID: webapi-65f1c2a3b4d5e"}`)); id != "webapi-65f1c2a3b4d5e" {
		t.Errorf("report id %q", id)
	}
	if id := reportID([]byte(`<p>There has been an error processing your request</p><p>Error log record number: 1234567890</p>`)); id != "1234567890" {
		t.Errorf("report id %q", id)
	}
}
