package prestashop

import (
	"reflect"
	"strings"
	"testing"

	"storelink/connectors"
)

func field(t *testing.T, key string) connectors.Field {
	t.Helper()
	f, ok := connectors.Info{Fields: fields()}.Field(key)
	if !ok {
		t.Fatalf("no field %q", key)
	}
	return f
}

func TestRegistered(t *testing.T) {
	info, ok := connectors.Lookup(ID)
	if !ok || info.Title != "PrestaShop" || info.Icon != "prestashop.svg" || info.Description == "" {
		t.Fatalf("lookup = %+v, %v", info, ok)
	}
	for _, key := range []string{FieldStoreURL, FieldAPIKey, FieldUseHTTPS, FieldRequestTimeout, FieldRequiredPermissions} {
		if _, ok := info.Field(key); !ok {
			t.Errorf("field %q missing", key)
		}
	}
	f := field(t, FieldAPIKey)
	if f.Kind != connectors.KindSecret || !f.Required || f.Generator == nil || f.Generator.Label != "Generate" {
		t.Errorf("api_key = %+v", f)
	}
	if f := field(t, FieldStoreURL); f.Kind != connectors.KindURL || !f.Required || f.Normalize == nil {
		t.Errorf("store_url = %+v", f)
	}
	if f := field(t, FieldUseHTTPS); f.Kind != connectors.KindBool || f.Default != "true" || !f.Advanced {
		t.Errorf("use_https = %+v", f)
	}
	// request_timeout is the common field now, added by Register.
	if f, _ := info.Field(FieldRequestTimeout); f.Kind != connectors.KindNumber || f.Default != "30" || f.Min != 1 || f.Max != 300 || !f.Advanced {
		t.Errorf("request_timeout = %+v", f)
	}
	if _, own := (connectors.Info{Fields: fields()}).Field(FieldRequestTimeout); own {
		t.Error("PrestaShop declares request_timeout itself; it is a common field")
	}
}

func TestNormalizeStoreURL(t *testing.T) {
	for _, c := range []struct{ in, want, note string }{
		{"shop.example", "shop.example", ""},
		{"  shop.example  ", "shop.example", ""},
		{"https://shop.example/", "shop.example", `removed "https://"`},
		{"http://shop.example", "shop.example", `turn off "Use HTTPS"`},
		{"shop.example/", "shop.example", "trailing slash"},
		{"Shop.Example", "shop.example", "lower case"},
		{"shop.example/admin123/index.php?controller=AdminDashboard&token=abc", "shop.example", `removed "/admin123/index.php"`},
		{"https://shop.example/shop/admin-dev/", "shop.example/shop", `removed "/admin-dev"`},
		{"shop.example/shop", "shop.example/shop", ""},
		{"https://shop.example/api/", "shop.example", `removed "/api"`},
		{"shop.example/webservice/dispatcher.php?url=", "shop.example", "query"},
		{"https://user:secret@shop.example/", "shop.example", "user name or password"},
		{"127.0.0.1:8080", "127.0.0.1:8080", ""},
		{"[::1]:8080/", "[::1]:8080", "trailing slash"},
		{"shop.example/index.php", "shop.example", `removed "/index.php"`},
		{"shop.example./shop//", "shop.example/shop", "trailing slash"},
		{"", "", ""},
	} {
		got, note := NormalizeStoreURL(c.in)
		if got != c.want || (c.note == "") != (note == "") || !strings.Contains(note, c.note) {
			t.Errorf("NormalizeStoreURL(%q) = %q, %q; want %q with note containing %q", c.in, got, note, c.want, c.note)
		}
		if strings.Contains(note, "secret") {
			t.Errorf("note echoes a password: %q", note)
		}
	}
}

func TestValidateStoreURL(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" = valid, else part of the message
	}{
		{"shop.example", ""},
		{"https://shop.example/admin1/", ""},
		{"localhost:8080", ""},
		{"127.0.0.1:8080", ""},
		{"[::1]:8080", ""},
		{"my-shop.example/eshop", ""},
		{"shop.example:99999", "port"},
		{"shop.example:abc", "port"},
		{"2001:db8::1", "brackets"},
		{"-shop.example", "host name"},
		{"shop..example", "host name"},
		{"shop$.example", "host name"},
		{"https://", "enter the shop's address"},
		{"://shop", "not an address"},
		// Tidying must not change where the address points (issue 17).
		{"file:///etc/passwd", "not file://"},
		{"ftp://shop.example", "not ftp://"},
		{"shop example.com", "must not contain spaces"},
		{"shop .example/ shop ", "must not contain spaces"},
		{"https://shop.example\r\nX-Injected: 1", "must not contain spaces"},
		{"shop.example\x00", "control"},
		{"shop.exa\u200bmple", "invisible"},
		{"shop.example:70000", "1 to 65535"},
		{"shop.example:+80", "1 to 65535"},
		{"shop.example:0", "1 to 65535"},
		{"https:///shop.example", "not an address"},
		{"./A", "not an address"},
		{"shop.example/../admin", `".."`},
		{`shop.example\evil`, "backslash"},
	} {
		err := validateStoreURL(c.in)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("validate(%q) = %v, want valid", c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("validate(%q) = %v, want message with %q", c.in, err, c.want)
		}
	}
}

func TestKeyValidateAndWarn(t *testing.T) {
	f := field(t, FieldAPIKey)
	good := "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN"
	if err := f.Validate(good); err != nil {
		t.Errorf("good key: %v", err)
	}
	if err := f.Validate(" " + good + "\n"); err != nil {
		t.Errorf("good key with spaces around (PrestaShop trims): %v", err)
	}
	for _, bad := range []string{"", "ABC", good + "X", good[:31]} {
		err := f.Validate(bad)
		if err == nil || err.Error() != keyLengthMessage {
			t.Errorf("validate(%d chars) = %v", len(bad), err)
		}
	}
	if w := f.Warn(good); w != "" {
		t.Errorf("warn(good) = %q", w)
	}
	if w := f.Warn("ab@#?-_" + good[7:]); w != "" {
		t.Errorf("warn(allowed specials) = %q", w)
	}
	for _, odd := range []string{"ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XR!", "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE2 XRN", "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE2éRN"} {
		w := f.Warn(odd)
		if w == "" || strings.Contains(w, odd) || !strings.Contains(w, "@ # ? - _") {
			t.Errorf("warn(%q) = %q", odd, w)
		}
	}
}

func TestRequiredPermissions(t *testing.T) {
	got, err := parseRequirements(" products:GET,put; customers:GET\norders:HEAD products:DELETE ")
	if err != nil {
		t.Fatal(err)
	}
	want := "products:GET,PUT,DELETE customers:GET orders:HEAD"
	var parts []string
	for _, r := range got {
		parts = append(parts, r.Resource+":"+strings.Join(r.Methods, ","))
	}
	if strings.Join(parts, " ") != want {
		t.Errorf("parsed %q, want %q", strings.Join(parts, " "), want)
	}
	for _, c := range []struct{ in, want string }{
		{"products", "resource:METHODS"},
		{"products:", "resource:METHODS"},
		{"products:FETCH", `"FETCH" is not a method`},
		{"Prod-ucts:GET", "not a resource name"},
		{"products:,", "at least one method"},
	} {
		if err := validateRequirements(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("validate(%q) = %v, want %q", c.in, err, c.want)
		}
	}
	if err := validateRequirements(""); err != nil {
		t.Errorf("empty: %v", err)
	}
	have := []connectors.Permission{{Resource: "products", Methods: []string{"GET", "PUT"}}}
	miss := missingPermissions(have, got)
	if strings.Join(miss, "; ") != "products: DELETE; customers: GET; orders: HEAD" {
		t.Errorf("missing = %q", miss)
	}
}

func TestDecode(t *testing.T) {
	o := decode(connectors.Values{FieldStoreURL: "https://Shop.Example/", FieldAPIKey: " K "})
	if o.Store != "shop.example" || o.Key != "K" || !o.HTTPS || o.base() != "https://shop.example" {
		t.Errorf("decode = %+v", o)
	}
	o = decode(connectors.Values{FieldStoreURL: "localhost:8080/shop", FieldUseHTTPS: "false", FieldRequiredPermissions: "x:GET"})
	if o.base() != "http://localhost:8080/shop" || o.host() != "localhost:8080" || len(o.Required) != 1 {
		t.Errorf("decode = %+v", o)
	}
}

func TestGenerateKey(t *testing.T) {
	counts := map[rune]int{}
	const keys = 2000
	for range keys {
		k, err := GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if len(k) != KeyLength || validateKey(k) != nil || warnKey(k) != "" {
			t.Fatalf("key %q does not pass the field's own checks", k)
		}
		for _, r := range k {
			if !strings.ContainsRune(KeyAlphabet, r) {
				t.Fatalf("key %q has %q outside PrestaShop's alphabet", k, r)
			}
			counts[r]++
		}
	}
	if len(KeyAlphabet) != 34 || strings.ContainsAny(KeyAlphabet, "0O") {
		t.Fatalf("alphabet %q", KeyAlphabet)
	}
	// 64000 draws over 34 letters: about 1882 each, standard deviation ~43.
	expect := keys * KeyLength / len(KeyAlphabet)
	for _, r := range KeyAlphabet {
		if n := counts[r]; n < expect*85/100 || n > expect*115/100 {
			t.Errorf("%q drawn %d times, expected about %d", r, n, expect)
		}
	}
	a, _ := GenerateKey()
	b, _ := GenerateKey()
	if a == b {
		t.Error("two keys in a row are equal")
	}
}

// TestRequiredPermissionsInWords: the Permissions table's words are read as
// their methods, and saved in the methods' form.
func TestRequiredPermissionsInWords(t *testing.T) {
	words := "products: View, Modify; customers: Fast view\norders: add, Modify in part"
	got, err := parseRequirements(words)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := parseRequirements("products:GET,PUT customers:HEAD orders:POST,PATCH")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parsed %+v, want %+v", got, want)
	}
	if n, _ := NormalizeRequirements(words); n != "products:GET,PUT customers:HEAD orders:POST,PATCH" {
		t.Errorf("normalized %q", n)
	}
	if n, _ := NormalizeRequirements("products:GET,PUT customers:GET"); n != "products:GET,PUT customers:GET" {
		t.Errorf("the stored form changed: %q", n)
	}
	if err := validateRequirements("products: Look"); err == nil || !strings.Contains(err.Error(), `"Look" is not a method`) {
		t.Errorf("validate = %v", err)
	}
	have := []connectors.Permission{{Resource: "products", Methods: []string{"GET"}}}
	if m := missingInWords(have, got[:1]); len(m) != 1 || m[0] != "products: Modify" {
		t.Errorf("missing in words = %q", m)
	}
}
