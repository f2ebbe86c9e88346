package magento2

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/magento2/magentotest"
)

var (
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// testKey is one 2048-bit key pair for the whole package.
func testKey(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	der, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	return rsaKey, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func start(t *testing.T, o magentotest.Options) *magentotest.Server {
	t.Helper()
	s := magentotest.New(o)
	t.Cleanup(s.Close)
	return s
}

// oauthValues are a working OAuth connection to s with method.
func oauthValues(s *magentotest.Server, method string, more ...string) connectors.Values {
	v := connectors.Values{
		FieldBaseURI: s.BaseURI(), FieldAuthType: AuthOAuth1, FieldSignatureMethod: method,
		FieldConsumerKey: magentotest.DefaultConsumerKey, FieldConsumerSecret: magentotest.DefaultConsumerSecret,
		FieldAccessToken: magentotest.DefaultAccessToken, FieldTokenSecret: magentotest.DefaultTokenSecret,
	}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

func hasPermission(r connectors.Result, resource string) bool {
	for _, p := range r.Permissions {
		if p.Resource == resource {
			return true
		}
	}
	return false
}

func TestConformance(t *testing.T) {
	key, keyPEM := testKey(t)
	all := start(t, magentotest.Options{SignatureMethods: magentotest.AllMethods, RSAPublicKey: &key.PublicKey, Locale: "cs_CZ", Currency: "CZK"})
	v247 := start(t, magentotest.Options{Version: "2.4.7", StoreCodes: []string{"default", "en"}})
	v243 := start(t, magentotest.Options{Version: "2.4.3"})
	bearerOn := start(t, magentotest.Options{Version: "2.4.7", AllowBearerIntegrationToken: true})
	limited := start(t, magentotest.Options{Resources: map[string]bool{"Magento_Catalog::products": true}})
	none := start(t, magentotest.Options{Resources: map[string]bool{}})
	stripped := start(t, magentotest.Options{StripAuthorization: true})
	revoked := start(t, magentotest.Options{TokenRevoked: true})
	skewed := start(t, magentotest.Options{ClockOffset: -time.Hour})
	proxied := start(t, magentotest.Options{SeenScheme: "https"})
	broken := start(t, magentotest.Options{Fail500: true})
	twoFA := start(t, magentotest.Options{TwoFactor: true})
	noRewrite := start(t, magentotest.Options{NoRewrite: true})
	dev := start(t, magentotest.Options{DeveloperMode: true})
	adminShop := start(t, magentotest.Options{})
	moved := start(t, magentotest.Options{RedirectTo: "https://www.shop.example"})
	refused := connectortest.DeadAddress(t)

	wrongSecret := strings.Repeat("w", 32)
	cases := []connectortest.Case{}
	for _, m := range magentotest.AllMethods {
		cases = append(cases, connectortest.Case{
			Name: m + " signs correctly", Values: oauthValues(all, m, FieldPrivateKey, keyPEM), Want: connectors.CodeOK, Requests: 4,
			Check: func(t *testing.T, r connectors.Result) {
				hits := all.Hits()
				if got := hits[len(hits)-1].SignatureMethod; got != m {
					t.Errorf("server saw method %q", got)
				}
				if len(r.Permissions) != 4 || r.Server.Extra["locale"] != "cs_CZ" || r.Server.Extra["currency"] != "CZK" {
					t.Errorf("permissions %v, server %+v", r.Permissions, r.Server)
				}
			},
		})
	}
	cases = append(cases, []connectortest.Case{
		{Name: "2.4.7 HMAC-SHA256 with realm and store code", Values: oauthValues(v247, "HMAC-SHA256", FieldStoreCode, "en", FieldRealm, "Shop \"1\""), Want: connectors.CodeOK,
			Check: func(t *testing.T, r connectors.Result) {
				h := v247.Hits()[0]
				if h.Path != "/rest/en/V1/store/storeConfigs" || !strings.HasPrefix(h.Authorization, `OAuth realm="Shop \"1\"", `) {
					t.Errorf("hit = %+v", h)
				}
				if r.Server.Extra["store_code"] != "en" || !strings.Contains(r.Server.Extra["base_url"], "127.0.0.1") {
					t.Errorf("server = %+v", r.Server)
				}
				var base string
				for _, c := range r.Checks {
					if strings.HasPrefix(c.Name, "Signature base string") {
						base = c.Detail
					}
				}
				if !strings.HasPrefix(base, "GET&http%3A%2F%2F127.0.0.1%3A") || strings.Contains(base, magentotest.DefaultAccessToken) || !strings.Contains(base, "oauth_token%3D****") {
					t.Errorf("base string check = %q", base)
				}
			}},
		{Name: "2.4.3 accepts HMAC-SHA1", Values: oauthValues(v243, "HMAC-SHA1"), Want: connectors.CodeOK},
		{Name: "2.4.7 refuses HMAC-SHA1", Values: oauthValues(v247, "HMAC-SHA1"), Want: connectors.CodeSignatureMethodUnsupported, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "HMAC-SHA1") || !strings.Contains(r.Hint, "2.4.4") {
					t.Errorf("message %q hint %q", r.Message, r.Hint)
				}
			}},
		{Name: "2.4.7 refuses RSA-SHA256", Values: oauthValues(v247, "RSA-SHA256", FieldPrivateKey, keyPEM), Want: connectors.CodeSignatureMethodUnsupported},
		{Name: "wrong consumer secret", Values: oauthValues(v247, "HMAC-SHA256", FieldConsumerSecret, wrongSecret), Want: connectors.CodeSignatureInvalid,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Hint, "http versus https") {
					t.Errorf("hint %q", r.Hint)
				}
			}},
		{Name: "https behind a proxy", Values: oauthValues(proxied, "HMAC-SHA256"), Want: connectors.CodeSignatureInvalid},
		{Name: "unknown consumer key", Values: oauthValues(v247, "HMAC-SHA256", FieldConsumerKey, strings.Repeat("c", 32)), Want: connectors.CodeAuthInvalid,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "A consumer having the specified key does not exist") {
					t.Errorf("message %q", r.Message)
				}
			}},
		{Name: "short access token", Values: oauthValues(v247, "HMAC-SHA256", FieldAccessToken, "abcdefgh"), Want: connectors.CodeAuthInvalid},
		{Name: "unknown access token", Values: oauthValues(v247, "HMAC-SHA256", FieldAccessToken, strings.Repeat("t", 32)), Want: connectors.CodeAuthInvalid},
		{Name: "revoked token", Values: oauthValues(revoked, "HMAC-SHA256"), Want: connectors.CodeAuthInvalid,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Hint, "Reauthorize") {
					t.Errorf("hint %q", r.Hint)
				}
			}},
		{Name: "clock an hour ahead", Values: oauthValues(skewed, "HMAC-SHA256"), Want: connectors.CodeClockSkew,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "1.0 hours ahead of") {
					t.Errorf("message %q", r.Message)
				}
			}},
		{Name: "some resources", Values: oauthValues(limited, "HMAC-SHA256"), Want: connectors.CodeOK, Requests: 4,
			Check: func(t *testing.T, r connectors.Result) {
				if len(r.Permissions) != 1 || !hasPermission(r, "Magento_Catalog::products") {
					t.Errorf("permissions %v", r.Permissions)
				}
				if !strings.Contains(r.Message, "Magento_Backend::store") || r.Server.Extra["locale"] != "" {
					t.Errorf("message %q server %+v", r.Message, r.Server)
				}
			}},
		{Name: "no resources", Values: oauthValues(none, "HMAC-SHA256"), Want: connectors.CodeForbidden, Requests: 5,
			Check: func(t *testing.T, r connectors.Result) {
				for _, acl := range []string{"Magento_Backend::store", "Magento_Catalog::products", "Magento_Sales::actions_view", "Magento_Backend::admin"} {
					if !strings.Contains(r.Message, acl) {
						t.Errorf("message %q lacks %s", r.Message, acl)
					}
				}
			}},
		{Name: "Authorization header dropped", Values: oauthValues(stripped, "HMAC-SHA256"), Want: connectors.CodeAuthHeaderStripped, Requests: 5},
		{Name: "Report ID", Values: oauthValues(broken, "HMAC-SHA256"), Want: connectors.CodeServerError, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "Report ID webapi-") {
					t.Errorf("message %q", r.Message)
				}
			}},
		{Name: "developer mode errors still diagnosed", Values: oauthValues(dev, "HMAC-SHA256", FieldTokenSecret, wrongSecret), Want: connectors.CodeSignatureInvalid},
		{Name: "storefront page", Values: oauthValues(v247, "HMAC-SHA256", FieldBaseURI, v247.URL+"/shop/rest"), Want: connectors.CodeNotAPI},
		{Name: "unknown store code", Values: oauthValues(v247, "HMAC-SHA256", FieldBaseURI, v247.URL+"/rest/nosuch"), Want: connectors.CodeNotAPI,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "Request does not match any route.") {
					t.Errorf("message %q", r.Message)
				}
			}},
		{Name: "no rewrite, /rest", Values: oauthValues(noRewrite, "HMAC-SHA256", FieldBaseURI, noRewrite.URL+"/rest"), Want: connectors.CodeOK,
			WantWarnings: []connectors.Code{connectors.CodeRewriteMissing}, Requests: 5},
		{Name: "no rewrite, /index.php/rest", Values: oauthValues(noRewrite, "HMAC-SHA256"), Want: connectors.CodeOK},
		{Name: "back-office address pasted", Values: oauthValues(v247, "HMAC-SHA256", FieldBaseURI, v247.URL+"/admin_x1y2/dashboard/"), Want: connectors.CodeOK,
			WantWarnings: []connectors.Code{connectors.CodeNormalized}},
		{Name: "token on 2.4.3", Values: connectors.Values{FieldBaseURI: v243.BaseURI(), FieldAuthType: AuthToken, FieldAccessToken: magentotest.DefaultAccessToken}, Want: connectors.CodeOK,
			Check: func(t *testing.T, r connectors.Result) {
				if h := v243.Hits(); !strings.HasPrefix(h[len(h)-1].Authorization, "Bearer ") {
					t.Errorf("hit %+v", h[len(h)-1])
				}
			}},
		{Name: "token on 2.4.7 with Bearer allowed", Values: connectors.Values{FieldBaseURI: bearerOn.BaseURI(), FieldAuthType: AuthToken, FieldAccessToken: magentotest.DefaultAccessToken}, Want: connectors.CodeOK},
		{Name: "integration token on 2.4.7", Values: connectors.Values{FieldBaseURI: v247.BaseURI(), FieldAuthType: AuthToken, FieldAccessToken: magentotest.DefaultAccessToken}, Want: connectors.CodeBearerDisabled, Requests: 4,
			Check: func(t *testing.T, r connectors.Result) {
				for _, w := range []string{"wrong", "revoked", "permissions", "2.4.4"} {
					if !strings.Contains(r.Message, w) {
						t.Errorf("message lacks %q: %s", w, r.Message)
					}
				}
				if !strings.Contains(r.Hint, "Allow OAuth Access Tokens to be used as standalone Bearer tokens") {
					t.Errorf("hint %q", r.Hint)
				}
			}},
		{Name: "wrong JWT token", Values: connectors.Values{FieldBaseURI: v247.BaseURI(), FieldAuthType: AuthToken, FieldAccessToken: "eyJhbGciOiJIUzI1NiJ9.e30.wrongwrong"}, Want: connectors.CodeAuthInvalid},
		{Name: "admin login", Values: connectors.Values{FieldBaseURI: adminShop.BaseURI(), FieldAuthType: AuthAdmin, FieldUsername: magentotest.DefaultAdminUser, FieldPassword: magentotest.DefaultAdminPassword}, Want: connectors.CodeOK, Requests: 5,
			Check: func(t *testing.T, r connectors.Result) {
				if len(r.Permissions) != 4 {
					t.Errorf("permissions %v", r.Permissions)
				}
				hits := adminShop.Hits()
				if len(hits) != 5 || hits[0].Method != "POST" || hits[0].Path != "/rest/V1/integration/admin/token" || hits[0].Authorization != "" {
					t.Fatalf("hits %+v", hits)
				}
				for _, h := range hits[1:] {
					if !strings.HasPrefix(h.Authorization, "Bearer eyJ") {
						t.Errorf("read without the admin token: %+v", h)
					}
				}
			}},
		{Name: "admin wrong password", Values: connectors.Values{FieldBaseURI: v247.BaseURI(), FieldAuthType: AuthAdmin, FieldUsername: "admin", FieldPassword: "not-it!!"}, Want: connectors.CodeAuthInvalid, Requests: 1},
		{Name: "admin with 2FA", Values: connectors.Values{FieldBaseURI: twoFA.BaseURI(), FieldAuthType: AuthAdmin, FieldUsername: magentotest.DefaultAdminUser, FieldPassword: magentotest.DefaultAdminPassword}, Want: connectors.CodeForbidden, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "Google Authenticator") || !strings.Contains(r.Hint, "integration") {
					t.Errorf("message %q hint %q", r.Message, r.Hint)
				}
			}},
		{Name: "encrypted private key", Values: oauthValues(all, "RSA-SHA256", FieldPrivateKey, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"), Want: connectors.CodeInvalidInput, Requests: 0,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.Contains(r.Message, "passphrase") || r.Requests != 0 {
					t.Errorf("message %q, %d requests", r.Message, r.Requests)
				}
			}},
		{Name: "RSA without key", Values: oauthValues(all, "RSA-SHA1"), Want: connectors.CodeInvalidInput},
		{Name: "store code twice", Values: oauthValues(v247, "HMAC-SHA256", FieldBaseURI, v247.URL+"/rest/en", FieldStoreCode, "default"), Want: connectors.CodeInvalidInput},
		{Name: "redirect elsewhere", Values: oauthValues(moved, "HMAC-SHA256"), Want: connectors.CodeMoved, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				if r.Location != "https://www.shop.example/rest" || r.LocationField != FieldBaseURI {
					t.Errorf("location %q field %q", r.Location, r.LocationField)
				}
			}},
		{Name: "nothing listening", Values: oauthValues(v247, "HMAC-SHA256", FieldBaseURI, "http://"+refused+"/rest"), Want: connectors.CodeUnreachable},
	}...)

	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Decode: func(v connectors.Values) any { return decode(v) },
		Sample: func(key string) string {
			switch key {
			case FieldBaseURI:
				return "https://other.example/rest"
			case FieldStoreCode:
				return "en"
			}
			return ""
		},
		Base:  connectors.Values{FieldAuthType: AuthOAuth1, FieldSignatureMethod: "HMAC-SHA256", FieldRequestTimeout: "30"},
		Cases: connectortest.Presented(Info(), cases),
	})
}

// TestPlaintextOverHTTPWarns reaches the emulator under a public name.
func TestPlaintextOverHTTPWarns(t *testing.T) {
	s := start(t, magentotest.Options{SignatureMethods: magentotest.AllMethods})
	addr := strings.TrimPrefix(s.URL, "http://")
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Client: connectors.ClientOptions{Dial: dial},
		Cases: []connectortest.Case{
			{Name: "PLAINTEXT", Values: oauthValues(s, "PLAINTEXT", FieldBaseURI, "http://shop.example/rest"), Want: connectors.CodeOK,
				WantWarnings: []connectors.Code{connectors.CodeInsecureHTTP}},
			{Name: "HMAC has no warning", Values: oauthValues(s, "HMAC-SHA256", FieldBaseURI, "http://shop.example/rest"), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if r.HasWarning(connectors.CodeInsecureHTTP) {
						t.Error("HMAC over HTTP sends no secret, yet warned")
					}
				}},
		},
	})
}

func TestProgressSteps(t *testing.T) {
	s := start(t, magentotest.Options{})
	var steps []string
	r := connectors.Run(context.Background(), Info(), connectors.Config{Values: oauthValues(s, "HMAC-SHA256"), Progress: func(m string) { steps = append(steps, m) }})
	if !r.OK || len(steps) != 4 || !strings.Contains(steps[0], "OAuth HMAC-SHA256") {
		t.Errorf("ok %v steps %q", r.OK, steps)
	}
}

func TestFieldConditions(t *testing.T) {
	info := Info()
	visible := func(key string, v connectors.Values) (bool, bool) {
		f, ok := info.Field(key)
		if !ok {
			t.Fatalf("no field %s", key)
		}
		return f.VisibleIn(v), f.RequiredIn(v)
	}
	type vr struct{ visible, required bool }
	for _, tc := range []struct {
		values connectors.Values
		want   map[string]vr
	}{
		{connectors.Values{}, map[string]vr{ // defaults: oauth1, HMAC-SHA256
			FieldConsumerKey: {true, true}, FieldConsumerSecret: {true, true}, FieldTokenSecret: {true, true}, FieldAccessToken: {true, true},
			FieldPrivateKey: {false, false}, FieldUsername: {false, false}, FieldPassword: {false, false}, FieldRealm: {true, false}, FieldSignatureMethod: {true, true}}},
		{connectors.Values{FieldAuthType: AuthOAuth1, FieldSignatureMethod: "RSA-SHA512"}, map[string]vr{
			FieldConsumerKey: {true, true}, FieldConsumerSecret: {false, false}, FieldTokenSecret: {false, false}, FieldAccessToken: {true, true}, FieldPrivateKey: {true, true}}},
		{connectors.Values{FieldAuthType: AuthOAuth1, FieldSignatureMethod: "PLAINTEXT"}, map[string]vr{
			FieldConsumerSecret: {true, true}, FieldTokenSecret: {true, true}, FieldPrivateKey: {false, false}}},
		{connectors.Values{FieldAuthType: AuthToken, FieldSignatureMethod: "RSA-SHA1"}, map[string]vr{
			FieldAccessToken: {true, true}, FieldConsumerKey: {false, false}, FieldConsumerSecret: {false, false}, FieldPrivateKey: {false, false}, FieldSignatureMethod: {false, false}, FieldRealm: {false, false}, FieldUsername: {false, false}}},
		{connectors.Values{FieldAuthType: AuthAdmin}, map[string]vr{
			FieldUsername: {true, true}, FieldPassword: {true, true}, FieldAccessToken: {false, false}, FieldConsumerKey: {false, false}, FieldTokenSecret: {false, false}}},
	} {
		for key, want := range tc.want {
			if v, r := visible(key, tc.values); v != want.visible || r != want.required {
				t.Errorf("%v: %s visible %v required %v, want %+v", tc.values, key, v, r, want)
			}
		}
	}
	f, _ := info.Field(FieldPrivateKey)
	if f.Kind != connectors.KindMultilineSecret || f.Validate("not a key") == nil || f.Validate(mustKeyPEM(t)) != nil {
		t.Error("private_key must be a multi-line secret whose Validate parses the PEM")
	}
	for _, key := range []string{FieldPassword, FieldConsumerSecret, FieldAccessToken, FieldTokenSecret, FieldPrivateKey} {
		if f, _ := info.Field(key); !f.IsSecret() {
			t.Errorf("%s is not secret", key)
		}
	}
	m, _ := info.Field(FieldSignatureMethod)
	if m.Default != "HMAC-SHA256" || !slices.Equal(m.ChoiceValues(), magentotest.AllMethods) {
		t.Errorf("signature_method default %q choices %v", m.Default, m.ChoiceValues())
	}
	if info.ID != "magento2" || info.Icon != "magento2.svg" || info.Title != "Magento 2" {
		t.Errorf("info = %+v", info)
	}
}

func mustKeyPEM(t *testing.T) string {
	_, p := testKey(t)
	return p
}
