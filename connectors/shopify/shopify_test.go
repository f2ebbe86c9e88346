package shopify

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/shopify/shopifytest"
)

func start(t *testing.T, o shopifytest.Options) *shopifytest.Server {
	t.Helper()
	s := shopifytest.New(o)
	t.Cleanup(s.Close)
	return s
}

// tokenValues are a custom-app connection to s.
func tokenValues(s *shopifytest.Server, more ...string) connectors.Values {
	v := connectors.Values{FieldShop: s.URL, FieldAuthType: AuthAccessToken, FieldAccessToken: shopifytest.DefaultAccessToken}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

// clientValues are a Dev Dashboard app's connection to s.
func clientValues(s *shopifytest.Server, more ...string) connectors.Values {
	v := connectors.Values{FieldShop: s.URL, FieldAuthType: AuthClientCredentials,
		FieldClientID: shopifytest.DefaultClientID, FieldClientSecret: shopifytest.DefaultClientSecret}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q: %s", what, sub, s)
		}
	}
}

func TestConformance(t *testing.T) {
	ok := start(t, shopifytest.Options{Plan: "Shopify Plus", Currency: "CZK", ShopName: "Obchod"})
	cc := start(t, shopifytest.Options{})
	oldOnly := start(t, shopifytest.Options{Versions: []string{"2026-04", "2026-07", "2026-10"}})
	frozen := start(t, shopifytest.Options{Frozen: true})
	locked := start(t, shopifytest.Options{Locked: true})
	throttled := start(t, shopifytest.Options{Throttled: true})
	limited := start(t, shopifytest.Options{RateLimited: true})
	broken := start(t, shopifytest.Options{Fail500: true})
	unknown := start(t, shopifytest.Options{UnknownShop: true})
	notPermitted := start(t, shopifytest.Options{ShopNotPermitted: true})
	fewScopes := start(t, shopifytest.Options{Scopes: []string{"write_products"}})
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><head><title>My storefront</title></head><body>Welcome</body></html>"))
	}))
	t.Cleanup(page.Close)
	refused := refusedAddr(t)

	cases := []connectortest.Case{
		{Name: "access token", Values: tokenValues(ok), Want: connectors.CodeOK, Requests: 2,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "Obchod", "storelink-test.myshopify.com", "Shopify Plus plan", "read products, write orders and read customers")
				if r.Server.Platform != "Shopify" || r.Server.Version != DefaultAPIVersion || r.Server.Extra["currency"] != "CZK" || r.Server.Extra["primary_domain"] != "shop.example" {
					t.Errorf("server = %+v", r.Server)
				}
				if len(r.Permissions) != 3 || r.Permissions[1].Resource != "write_orders" || r.Permissions[1].Title != "Write orders" {
					t.Errorf("permissions = %+v", r.Permissions)
				}
				hits := ok.Hits()
				if len(hits) != 2 || hits[0].Method != "POST" || hits[0].Path != "/admin/api/"+DefaultAPIVersion+"/graphql.json" ||
					hits[0].ContentType != "application/json" || hits[1].Path != "/admin/oauth/access_scopes.json" {
					t.Fatalf("hits = %+v", hits)
				}
				for _, h := range hits {
					if h.Token != shopifytest.DefaultAccessToken {
						t.Errorf("%s without the token in X-Shopify-Access-Token", h.Path)
					}
				}
			}},
		{Name: "client credentials", Values: clientValues(cc), Want: connectors.CodeOK, Requests: 3,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "expires at ", "(in 24 hours)", "keeps none")
				hits := cc.Hits()
				if cc.Issued() != 1 || hits[0].Path != "/admin/oauth/access_token" || hits[0].ContentType != "application/x-www-form-urlencoded" {
					t.Fatalf("hits %+v, issued %d", hits, cc.Issued())
				}
				issued := hits[1].Token
				if !strings.HasPrefix(issued, "shpat_") || hits[2].Token != issued {
					t.Errorf("the reads did not carry the issued token: %+v", hits)
				}
				dump, _ := json.Marshal(struct {
					R connectors.Result
					E []connectors.Exchange
				}{r, r.Exchanges})
				if strings.Contains(string(dump), issued[6:]) {
					t.Errorf("the issued token leaks into the result: %s", dump)
				}
			}},
		{Name: "address with a path is tidied", Values: tokenValues(ok, FieldShop, ok.URL+"/admin/products"), Want: connectors.CodeOK,
			WantWarnings: []connectors.Code{connectors.CodeNormalized}},
		{Name: "wrong token", Values: tokenValues(ok, FieldAccessToken, "shpat_ffffffffffffffffffffffffffffffff"), Want: connectors.CodeAuthInvalid, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "Invalid API key or access token", "uninstalled")
				contains(t, "hint", r.Hint, "reveal", "install the app again")
			}},
		{Name: "unknown client ID", Values: clientValues(cc, FieldClientID, "0000aaaa0000aaaa0000aaaa0000aaaa"), Want: connectors.CodeAuthInvalid, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "no app with this client ID", "application_cannot_be_found")
				if strings.Contains(r.Message, "client secret") {
					t.Errorf("blames the secret: %s", r.Message)
				}
			}},
		{Name: "wrong client secret", Values: clientValues(cc, FieldClientSecret, "shpss_00000000000000000000000000000000"), Want: connectors.CodeAuthInvalid, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "client secret does not match", "invalid_client")
			}},
		{Name: "client credentials not permitted", Values: clientValues(notPermitted), Want: connectors.CodeForbidden, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "shop_not_permitted", "same organization")
			}},
		{Name: "frozen store", Values: tokenValues(frozen), Want: connectors.CodeStoreUnavailable, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "frozen", "402 Payment Required")
				contains(t, "hint", r.Hint, "outstanding balance")
			}},
		{Name: "frozen store, client credentials", Values: clientValues(frozen), Want: connectors.CodeStoreUnavailable, Requests: 1},
		{Name: "locked store", Values: tokenValues(locked), Want: connectors.CodeStoreUnavailable, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "locked", "423 Locked")
				contains(t, "hint", r.Hint, "Shopify Support")
			}},
		{Name: "version no longer served", Values: tokenValues(oldOnly, FieldAPIVersion, "2025-10"), Want: connectors.CodeOK,
			WantWarnings: []connectors.Code{connectors.CodeAPIVersionFallback},
			Check: func(t *testing.T, r connectors.Result) {
				for _, w := range r.Warnings {
					if w.Code == connectors.CodeAPIVersionFallback {
						contains(t, "warning", w.Message, "2025-10", "2026-04")
					}
				}
				if r.Server.Version != "2026-04" {
					t.Errorf("server version %q", r.Server.Version)
				}
			}},
		{Name: "served version, no warning", Values: tokenValues(oldOnly, FieldAPIVersion, "2026-07"), Want: connectors.CodeOK,
			Check: func(t *testing.T, r connectors.Result) {
				if r.HasWarning(connectors.CodeAPIVersionFallback) {
					t.Errorf("warned for a version Shopify serves: %v", r.Warnings)
				}
			}},
		{Name: "GraphQL cost throttled", Values: tokenValues(throttled), Want: connectors.CodeRateLimited, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "0 of 2000 points", "refills 100 a second", "in 1 second")
			}},
		{Name: "429 with Retry-After", Values: tokenValues(limited), Want: connectors.CodeRateLimited, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "429 Too Many Requests", "Exceeded 2 calls per second", "in 2 seconds")
			}},
		{Name: "server error", Values: tokenValues(broken), Want: connectors.CodeServerError, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "An unexpected error occurred")
			}},
		{Name: "no store at the address", Values: tokenValues(unknown), Want: connectors.CodeNotAPI, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, strings.TrimPrefix(unknown.URL, "http://"), "Store unavailable")
			}},
		{Name: "a storefront page", Values: tokenValues(ok, FieldShop, page.URL), Want: connectors.CodeNotAPI,
			Check: func(t *testing.T, r connectors.Result) { contains(t, "message", r.Message, "My storefront") }},
		{Name: "nothing listening", Values: tokenValues(ok, FieldShop, "http://"+refused), Want: connectors.CodeUnreachable,
			Check: func(t *testing.T, r connectors.Result) { contains(t, "hint", r.Hint, "Storelink tried "+refused) }},
		{Name: "missing required scopes", Values: tokenValues(fewScopes, FieldRequiredScopes, "read_products, write_orders read_inventory"), Want: connectors.CodeForbidden, Requests: 2,
			Check: func(t *testing.T, r connectors.Result) {
				contains(t, "message", r.Message, "write_orders (write orders)", "read_inventory (read inventory)")
				if strings.Contains(r.Message, "read_products") {
					t.Errorf("write_products includes read_products, yet: %s", r.Message)
				}
			}},
		{Name: "required scopes granted", Values: tokenValues(ok, FieldRequiredScopes, "read_products,write_orders,read_orders"), Want: connectors.CodeOK},
		{Name: "no token", Values: tokenValues(ok, FieldAccessToken, ""), Want: connectors.CodeInvalidInput},
		{Name: "unknown version", Values: tokenValues(ok, FieldAPIVersion, "2019-13"), Want: connectors.CodeInvalidInput},
		{Name: "malformed scopes", Values: tokenValues(ok, FieldRequiredScopes, "products"), Want: connectors.CodeInvalidInput},
		{Name: "secret in the client ID field", Values: clientValues(cc, FieldClientID, shopifytest.DefaultClientSecret), Want: connectors.CodeInvalidInput},
	}
	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Decode: func(v connectors.Values) any { return decode(v) },
		Sample: func(key string) string {
			if key == FieldShop {
				return "other.myshopify.com"
			}
			return ""
		},
		Base:  connectors.Values{FieldAuthType: AuthAccessToken, FieldAPIVersion: DefaultAPIVersion},
		Cases: cases,
	})
	for _, c := range cases {
		if c.Want == connectors.CodeInvalidInput && c.Requests != 0 {
			t.Errorf("%s: invalid input must be refused before any request", c.Name)
		}
	}
}

// TestPlainHTTPWarns reaches the emulator under a public name.
func TestPlainHTTPWarns(t *testing.T) {
	s := start(t, shopifytest.Options{})
	addr := strings.TrimPrefix(s.URL, "http://")
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Client: connectors.ClientOptions{Dial: dial},
		Cases: []connectortest.Case{
			{Name: "token over http", Values: tokenValues(s, FieldShop, "http://shop.example:8080"), Want: connectors.CodeOK,
				WantWarnings: []connectors.Code{connectors.CodeInsecureHTTP},
				Check: func(t *testing.T, r connectors.Result) {
					for _, w := range r.Warnings {
						if w.Code == connectors.CodeInsecureHTTP {
							contains(t, "warning", w.Message, "access token", "shop.example:8080")
						}
					}
				}},
			{Name: "client secret over http", Values: clientValues(s, FieldShop, "http://shop.example:8080"), Want: connectors.CodeOK,
				WantWarnings: []connectors.Code{connectors.CodeInsecureHTTP}},
		},
	})
}

func TestNormalizeShop(t *testing.T) {
	for _, tc := range []struct{ in, want, note string }{
		{"your-store", "your-store.myshopify.com", "tidied"},
		{"Your-Store.myshopify.com", "your-store.myshopify.com", "tidied"},
		{"your-store.myshopify.com", "your-store.myshopify.com", ""},
		{"https://your-store.myshopify.com/admin/products?x=1", "your-store.myshopify.com", "tidied"},
		{"https://admin.shopify.com/store/your-store/orders/123", "your-store.myshopify.com", "tidied"},
		{"admin.shopify.com/store/your-store", "your-store.myshopify.com", "tidied"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"https://localhost:8443/admin/api", "https://localhost:8443", "kept only"},
		{"www.brand.example", "www.brand.example", ""},
	} {
		got, note := NormalizeShop(tc.in)
		if got != tc.want || (tc.note == "") != (note == "") || !strings.Contains(note, tc.note) {
			t.Errorf("NormalizeShop(%q) = %q, %q; want %q, %q", tc.in, got, note, tc.want, tc.note)
		}
		if err := validateShop(tc.in); err != nil {
			t.Errorf("validateShop(%q) = %v", tc.in, err)
		}
	}
	for _, bad := range []string{"ftp://your-store.myshopify.com", "your store", "https://admin.shopify.com/orders", "-shop", "shop_1",
		"http://127.0.0.1:99999", "user:pw@your-store.myshopify.com", "your-store\r\nX: 1"} {
		if err := validateShop(bad); err == nil {
			t.Errorf("validateShop(%q) accepted it", bad)
		} else if got, _ := NormalizeShop(bad); got != strings.TrimSpace(bad) {
			t.Errorf("NormalizeShop(%q) = %q: a refused value is left as typed", bad, got)
		}
	}
	if w := warnShop("www.brand.example"); !strings.Contains(w, "myshopify.com") {
		t.Errorf("no warning for a store's own domain: %q", w)
	}
	if w := warnShop("your-store"); w != "" {
		t.Errorf("warned for a myshopify name: %q", w)
	}
}

func TestFields(t *testing.T) {
	info := Info()
	vis := func(key string, v connectors.Values) (bool, bool) {
		f, ok := info.Field(key)
		if !ok {
			t.Fatalf("no field %s", key)
		}
		return f.VisibleIn(v), f.RequiredIn(v)
	}
	for _, tc := range []struct {
		v                 connectors.Values
		token, id, secret bool // visible and required
	}{
		{connectors.Values{}, true, false, false},
		{connectors.Values{FieldAuthType: AuthAccessToken}, true, false, false},
		{connectors.Values{FieldAuthType: AuthClientCredentials}, false, true, true},
	} {
		for key, want := range map[string]bool{FieldAccessToken: tc.token, FieldClientID: tc.id, FieldClientSecret: tc.secret} {
			if v, r := vis(key, tc.v); v != want || r != want {
				t.Errorf("%v: %s visible %v required %v, want %v", tc.v, key, v, r, want)
			}
		}
	}
	for _, key := range []string{FieldAccessToken, FieldClientSecret} {
		if f, _ := info.Field(key); !f.IsSecret() {
			t.Errorf("%s is not secret", key)
		}
	}
	if f, _ := info.Field(FieldAPIVersion); f.Default != DefaultAPIVersion || f.ChoiceValues()[len(APIVersions)-1] != DefaultAPIVersion {
		t.Errorf("api_version default %q, choices %v", f.Default, f.ChoiceValues())
	}
	registered, _ := connectors.Lookup(ID)
	if f, _ := registered.Field(connectors.FieldConcurrency); f.Max != MaxConcurrency || !strings.Contains(f.Help, "Shopify") {
		t.Errorf("concurrency max %d, help %q", f.Max, f.Help)
	}
	if w := warnToken(shopifytest.DefaultClientSecret); !strings.Contains(w, "client secret") {
		t.Errorf("a client secret in the token field: %q", w)
	}
	if w := warnToken(shopifytest.DefaultAccessToken); w != "" {
		t.Errorf("warned for a shpat_ token: %q", w)
	}
}

func refusedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestWaitsInWords(t *testing.T) {
	now := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want string }{
		{expiry(now, 86399), "at 2026-12-04 13:59 UTC (in 24 hours)"},
		{expiry(now, 3600), "at 2026-12-03 15:00 UTC (in 1 hour)"},
		{expiry(now, 90), "at 2026-12-03 14:01 UTC (in 2 minutes)"},
		{expiry(now, 0), "at a time Shopify did not say"},
		{retryAfter("2.0", now), "2 seconds"},
		{retryAfter("0.4", now), "1 second"},
		{retryAfter(now.Add(30*time.Second).Format(http.TimeFormat), now), "30 seconds"},
		{retryAfter("soon", now), "a few seconds"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
