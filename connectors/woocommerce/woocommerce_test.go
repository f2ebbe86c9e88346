package woocommerce

import (
	"crypto/x509"
	"encoding/base64"
	"net"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/woocommerce/wootest"
)

func start(t *testing.T, o wootest.Options) *wootest.Server {
	t.Helper()
	s := wootest.New(o)
	t.Cleanup(s.Close)
	return s
}

func startTLS(t *testing.T, o wootest.Options) *wootest.Server {
	t.Helper()
	s := wootest.NewTLS(o)
	t.Cleanup(s.Close)
	return s
}

// over is the values for s; plain-HTTP servers get use_https=false.
func over(s *wootest.Server, more ...string) connectors.Values {
	v := connectors.Values{FieldStoreURL: s.StoreURL(), FieldUseHTTPS: "true"}
	if strings.HasPrefix(s.URL, "http://") {
		v[FieldUseHTTPS] = "false"
	}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

// auths lists how the credentials came, request by request (REST requests only).
func auths(s *wootest.Server) []string {
	var out []string
	for _, h := range s.Hits() {
		if strings.HasPrefix(strings.Trim(h.Route, "/"), "wc/") {
			out = append(out, h.Auth)
		}
	}
	return out
}

func noWrites(t *testing.T, s *wootest.Server) {
	t.Helper()
	for _, h := range s.Hits() {
		if h.Wrote {
			t.Errorf("a request reached a handler that writes: %+v", h)
		}
	}
}

func contains2(t *testing.T, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%s %q does not say %q", what, s, p)
		}
	}
}

const (
	otherKey    = "ck_1111111111111111111111111111111111111111"
	otherSecret = "cs_2222222222222222222222222222222222222222"
)

func TestConformance(t *testing.T) {
	https := startTLS(t, wootest.Options{ShopName: "Kočka & Pes", WCVersion: "10.3.5", WPVersion: "6.8.3"})
	http := start(t, wootest.Options{ShopName: "Test shop"})
	oauthTLS := startTLS(t, wootest.Options{})
	queryTLS := startTLS(t, wootest.Options{})
	plainTLS := startTLS(t, wootest.Options{PlainPermalinks: true})
	plainHTTP := start(t, wootest.Options{PlainPermalinks: true, BasePath: "/wordpress"})
	folder := start(t, wootest.Options{BasePath: "/wordpress"})
	site := start(t, wootest.Options{Site: "Welcome to nginx!"})
	noWoo := startTLS(t, wootest.Options{NoWooCommerce: true})
	blocked := startTLS(t, wootest.Options{BlockREST: &wootest.Error{Code: "rest_disabled", Message: "The REST API has been disabled on this site.", Status: 403}})
	waf := startTLS(t, wootest.Options{WAF: true})
	login := startTLS(t, wootest.Options{RequireLogin: true})
	loginBad := startTLS(t, wootest.Options{RequireLogin: true})
	unknownBasic := startTLS(t, wootest.Options{})
	unknownOAuth := start(t, wootest.Options{})
	secretBasic := startTLS(t, wootest.Options{})
	secretOAuth := start(t, wootest.Options{})
	readOnly := startTLS(t, wootest.Options{Permissions: wootest.Read})
	readOnlyOK := startTLS(t, wootest.Options{Permissions: wootest.Read})
	writeOnly := startTLS(t, wootest.Options{Permissions: wootest.Write})
	writeOnlyOK := start(t, wootest.Options{Permissions: wootest.Write})
	stripped := startTLS(t, wootest.Options{StripAuthHeader: true})
	strippedBasic := startTLS(t, wootest.Options{StripAuthHeader: true})
	strippedHTTP := start(t, wootest.Options{StripAuthHeader: true})
	skew := start(t, wootest.Options{})
	replay := start(t, wootest.Options{Replay: true})
	limited := startTLS(t, wootest.Options{RateLimit: "120"})
	fatal := startTLS(t, wootest.Options{Fatal: true})
	editor := startTLS(t, wootest.Options{NoManageWooCommerce: true})
	other := startTLS(t, wootest.Options{})
	away := startTLS(t, wootest.Options{RedirectTo: other.URL})
	shopPage := startTLS(t, wootest.Options{})
	echo := startTLS(t, wootest.Options{Echo: true})
	echoHTTP := start(t, wootest.Options{Echo: true})

	pool := x509.NewCertPool()
	pool.AddCert(https.Certificate()) // httptest's TLS servers share one certificate

	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Decode: func(v connectors.Values) any { return decode(v) },
		Sample: func(key string) string {
			return map[string]string{FieldAuthMethod: AuthOAuth1, FieldRequiredAccess: AccessWrite}[key]
		},
		Base:   connectors.Values{FieldConsumerKey: wootest.DefaultKey, FieldConsumerSecret: wootest.DefaultSecret},
		Client: connectors.ClientOptions{RootCAs: pool},
		Cases: []connectortest.Case{
			{Name: "HTTPS: Basic, versions, name, read and write in 3 requests", Values: over(https), Want: connectors.CodeOK, Requests: 3,
				Check: func(t *testing.T, r connectors.Result) {
					if got := auths(https); strings.Join(got, ",") != "basic,basic" {
						t.Errorf("credentials came as %v, want Basic twice", got)
					}
					noWrites(t, https)
					s := r.Server
					if s.Platform != "WooCommerce" || s.Version != "10.3.5" || s.Extra["wordpress_version"] != "6.8.3" || s.ShopName != "Kočka & Pes" || s.Extra["access"] != "read_write" {
						t.Errorf("server = %+v", s)
					}
					contains2(t, "message", r.Message, "Kočka & Pes", "read and write")
				}},
			{Name: "plain HTTP: auto signs with OAuth 1.0a", Values: over(http), Want: connectors.CodeOK, Requests: 3,
				Check: func(t *testing.T, r connectors.Result) {
					if got := auths(http); strings.Join(got, ",") != "oauth-header,oauth-header" {
						t.Errorf("credentials came as %v, want OAuth headers", got)
					}
				}},
			{Name: "OAuth 1.0a chosen over HTTPS", Values: over(oauthTLS, FieldAuthMethod, AuthOAuth1), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if got := auths(oauthTLS); strings.Join(got, ",") != "oauth-header,oauth-header" {
						t.Errorf("credentials came as %v", got)
					}
				}},
			{Name: "key in the query chosen over HTTPS", Values: over(queryTLS, FieldAuthMethod, AuthQuery), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if got := auths(queryTLS); strings.Join(got, ",") != "query,query" {
						t.Errorf("credentials came as %v", got)
					}
				}},
			{Name: "Basic over plain HTTP is refused before sending", Values: connectors.Values{FieldStoreURL: "shop.example", FieldUseHTTPS: "false", FieldAuthMethod: AuthBasic}, Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "plain HTTP", "was not sent")
					if r.Requests != 0 {
						t.Errorf("%d requests went out", r.Requests)
					}
				}},
			{Name: "query over plain HTTP is refused before sending", Values: connectors.Values{FieldStoreURL: "shop.example", FieldUseHTTPS: "false", FieldAuthMethod: AuthQuery}, Want: connectors.CodeInvalidInput},
			{Name: "key and secret swapped", Values: connectors.Values{FieldStoreURL: "shop.example", FieldConsumerKey: wootest.DefaultSecret, FieldConsumerSecret: wootest.DefaultKey}, Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "swapped") }},
			{Name: "key without prefix", Values: connectors.Values{FieldStoreURL: "shop.example", FieldConsumerKey: strings.TrimPrefix(wootest.DefaultKey, "ck_")}, Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "Consumer key", "ck_") }},
			{Name: "secret too short", Values: connectors.Values{FieldStoreURL: "shop.example", FieldConsumerSecret: wootest.DefaultSecret[:30]}, Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "Consumer secret", "27 after cs_")
				}},
			{Name: "WordPress in a folder", Values: over(folder), Want: connectors.CodeOK},
			{Name: "not WordPress", Values: over(site), Want: connectors.CodeNotAPI,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "Welcome to nginx!") }},
			{Name: "WordPress without WooCommerce", Values: over(noWoo), Want: connectors.CodeNotAPI,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "WooCommerce", "not active")
				}},
			{Name: "plain permalinks over HTTPS", Values: over(plainTLS), Want: connectors.CodeOK, WantWarnings: []connectors.Code{connectors.CodeRewriteMissing},
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "warning", r.Warnings[0].Message, "Settings > Permalinks")
				}},
			{Name: "plain permalinks over HTTP sign index.php as WooCommerce does", Values: over(plainHTTP), Want: connectors.CodeOK, WantWarnings: []connectors.Code{connectors.CodeRewriteMissing}},
			{Name: "a plugin blocks the REST API", Values: over(blocked), Want: connectors.CodeAPIDisabled,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "rest_disabled", "The REST API has been disabled on this site.")
				}},
			{Name: "the host's firewall", Values: over(waf), Want: connectors.CodeForbidden,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "403 Forbidden") }},
			{Name: "anonymous REST refused, the key gets through", Values: over(login), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.ShopName != "" {
						t.Errorf("shop name %q from a refused index", r.Server.ShopName)
					}
				}},
			{Name: "anonymous REST refused and a wrong secret", Values: over(loginBad, FieldConsumerSecret, otherSecret), Want: connectors.CodeAuthInvalid,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "rest_not_logged_in") }},
			{Name: "unknown key over Basic", Values: over(unknownBasic, FieldConsumerKey, otherKey), Want: connectors.CodeAuthInvalid,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "did not recognise the consumer key")
				}},
			{Name: "unknown key over OAuth", Values: over(unknownOAuth, FieldConsumerKey, otherKey), Want: connectors.CodeAuthInvalid,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "Consumer key is invalid.")
				}},
			{Name: "wrong secret over Basic", Values: over(secretBasic, FieldConsumerSecret, otherSecret), Want: connectors.CodeAuthInvalid,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "Consumer secret is invalid.")
				}},
			{Name: "wrong secret over OAuth", Values: over(secretOAuth, FieldConsumerSecret, otherSecret), Want: connectors.CodeSignatureInvalid,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "Invalid signature - provided signature does not match.")
				}},
			{Name: "read-only key, write required", Values: over(readOnly, FieldRequiredAccess, AccessReadWrite), Want: connectors.CodeForbidden,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "only read")
					noWrites(t, readOnly)
				}},
			{Name: "read-only key, read required", Values: over(readOnlyOK), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.Extra["access"] != "read" || r.Permissions[0].Privilege != "read" {
						t.Errorf("access = %v %v", r.Server.Extra, r.Permissions)
					}
				}},
			{Name: "write-only key, read required", Values: over(writeOnly), Want: connectors.CodeForbidden},
			{Name: "write-only key, write required", Values: over(writeOnlyOK, FieldRequiredAccess, AccessWrite), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.Extra["access"] != "write" {
						t.Errorf("access = %v", r.Server.Extra)
					}
				}},
			{Name: "Authorization stripped: the query works, with a warning", Values: over(stripped), Want: connectors.CodeOK, Requests: 4,
				WantWarnings: []connectors.Code{connectors.CodeAuthHeaderStripped},
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "warning", r.Warnings[0].Message, "HTTP_AUTHORIZATION", "logs")
					if got := auths(stripped); strings.Join(got, ",") != ",query,query" {
						t.Errorf("credentials came as %v", got)
					}
				}},
			{Name: "Authorization stripped with Basic chosen", Values: over(strippedBasic, FieldAuthMethod, AuthBasic), Want: connectors.CodeAuthHeaderStripped},
			{Name: "Authorization stripped over HTTP: OAuth in the query", Values: over(strippedHTTP), Want: connectors.CodeOK, WantWarnings: []connectors.Code{connectors.CodeAuthHeaderStripped},
				Check: func(t *testing.T, r connectors.Result) {
					if got := auths(strippedHTTP); strings.Join(got, ",") != ",oauth-query,oauth-query" {
						t.Errorf("credentials came as %v", got)
					}
				}},
			{Name: "clock 20 minutes behind", Values: over(skew), Want: connectors.CodeClockSkew,
				Now:   func() time.Time { return time.Now().Add(-20 * time.Minute) },
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "about 20 minutes behind") }},
			{Name: "a proxy replays the request: nonce used", Values: over(replay), Want: connectors.CodeSignatureInvalid,
				Check: func(t *testing.T, r connectors.Result) {
					contains2(t, "message", r.Message, "nonce has already been used")
				}},
			{Name: "rate limited", Values: over(limited), Want: connectors.CodeRateLimited,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "2m0s") }},
			{Name: "critical error", Values: over(fatal), Want: connectors.CodeServerError,
				Check: func(t *testing.T, r connectors.Result) { contains2(t, "message", r.Message, "500", "critical error") }},
			{Name: "user without Manage WooCommerce", Values: over(editor), Want: connectors.CodeOK,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.Version != "" {
						t.Errorf("version %q without system_status", r.Server.Version)
					}
				}},
			{Name: "redirect to another host", Values: over(away), Want: connectors.CodeMoved,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Location != other.StoreURL() {
						t.Errorf("location = %q, want %q", r.Location, other.StoreURL())
					}
				}},
			{Name: "a shop page pasted", Values: over(shopPage, FieldStoreURL, shopPage.StoreURL()+"/shop"), Want: connectors.CodeMoved,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Location != shopPage.StoreURL() {
						t.Errorf("location = %q, want %q", r.Location, shopPage.StoreURL())
					}
				}},
			{Name: "an echoing error page leaks nothing (query)", Values: over(echo, FieldAuthMethod, AuthQuery), Want: connectors.CodeNotAPI,
				Check: func(t *testing.T, r connectors.Result) { noBasic(t, r) }},
			{Name: "an echoing error page leaks nothing (OAuth)", Values: over(echoHTTP), Want: connectors.CodeNotAPI,
				Check: func(t *testing.T, r connectors.Result) { noBasic(t, r) }},
			{Name: "nothing listens", Values: connectors.Values{FieldStoreURL: refusedAddr(t), FieldUseHTTPS: "false"}, Want: connectors.CodeUnreachable},
		},
	})
}

// noBasic: neither the secret nor the Basic credentials show in the result.
func noBasic(t *testing.T, r connectors.Result) {
	t.Helper()
	dump := connectors.Describe(r) + r.Hint
	for _, c := range r.Checks {
		dump += c.Detail
	}
	for _, e := range r.Exchanges {
		dump += e.Request + e.Excerpt + e.Error
	}
	basic := base64.StdEncoding.EncodeToString([]byte(wootest.DefaultKey + ":" + wootest.DefaultSecret))
	for _, s := range []string{wootest.DefaultSecret, wootest.DefaultKey, basic, wootest.DefaultSecret[3:19]} {
		if strings.Contains(dump, s) {
			t.Errorf("the result shows %q: %s", s, dump)
		}
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
