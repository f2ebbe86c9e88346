package prestashop

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/prestashop/pstest"
)

// start runs an emulator for the length of the test.
func start(t *testing.T, o pstest.Options) *pstest.Server {
	t.Helper()
	s := pstest.New(o)
	t.Cleanup(s.Close)
	return s
}

// local is the values for a plain-HTTP emulator on this computer.
func local(s *pstest.Server, more ...string) connectors.Values {
	v := connectors.Values{FieldStoreURL: s.StoreURL(), FieldUseHTTPS: "false", FieldAPIKey: s.Key()}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i]] = more[i+1]
	}
	return v
}

// onlyHeader asserts the key went once, in the Authorization header, as XML.
func onlyHeader(t *testing.T, s *pstest.Server) {
	t.Helper()
	hits := s.Hits()
	if len(hits) != 1 || !hits[0].Authorization || hits[0].WSKey {
		t.Errorf("server saw %+v, want one request with Authorization and no ws_key", hits)
	}
	for _, h := range hits {
		if h.OutputFormat != "" {
			t.Errorf("the request asked for output format %q; the root must be fetched as XML", h.OutputFormat)
		}
	}
}

func permissionOf(r connectors.Result, resource string) []string {
	for _, p := range r.Permissions {
		if p.Resource == resource {
			return p.Methods
		}
	}
	return nil
}

func TestConformance(t *testing.T) {
	ps8 := start(t, pstest.Options{Version: "8.1.4", ShopName: "Kočka & Pes"})
	ps17 := start(t, pstest.Options{Version: "1.7.8.11", ShopName: "Shop 17"})
	ps161 := start(t, pstest.Options{Version: "1.6.1.24", ShopName: "Shop 16"})
	ps160 := start(t, pstest.Options{Version: "1.6.0.14", ShopName: "Old 16"})
	disabled8 := start(t, pstest.Options{Version: "8.1.4", Disabled: true})
	disabled17 := start(t, pstest.Options{Version: "1.7.8.11", Disabled: true})
	disabled14 := start(t, pstest.Options{Version: "1.4.11.0", Disabled: true})
	stripped := start(t, pstest.Options{StripAuthHeader: true})
	strippedBad := start(t, pstest.Options{StripAuthHeader: true})
	keyOff := start(t, pstest.Options{KeyDisabled: true})
	unknown := start(t, pstest.Options{})
	unknown15 := start(t, pstest.Options{Version: "1.5.6.2"})
	noPerm := start(t, pstest.Options{NoPermissions: true})
	wrongShop := start(t, pstest.Options{WrongShop: true})
	noRewrite := start(t, pstest.Options{NoRewrite: true, Version: "1.7.8.11"})
	site := start(t, pstest.Options{Site: "Welcome to nginx!"})
	other := start(t, pstest.Options{})
	away := start(t, pstest.Options{RedirectTo: other.URL})
	folder := start(t, pstest.Options{RedirectTo: "/shop"})
	broken := start(t, pstest.Options{Fail500: true})
	limited := start(t, pstest.Options{Permissions: map[string][]string{"products": {"GET", "PUT"}, "orders": {"GET"}}})
	slow := start(t, pstest.Options{Delay: 3 * time.Second})
	htpasswd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Apache's mod_auth_basic in front of the shop.
		w.Header().Set("WWW-Authenticate", `Basic realm="Restricted Area"`)
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>401 Unauthorized</title>\n</head><body>\n<h1>Unauthorized</h1>\n</body></html>\n"))
	}))
	t.Cleanup(htpasswd.Close)
	tlsShop := pstest.NewTLS(pstest.Options{})
	t.Cleanup(tlsShop.Close)
	refused := connectortest.DeadAddress(t)
	wrongKey := strings.Repeat("A", 32)

	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Decode: func(v connectors.Values) any { return decode(v) },
		Sample: func(key string) string {
			if key == FieldRequiredPermissions {
				return "products:GET"
			}
			return ""
		},
		Base: connectors.Values{FieldAPIKey: pstest.DefaultKey, FieldUseHTTPS: "false"},
		Cases: connectortest.Presented(Info(), []connectortest.Case{
			{Name: "8.x works with one request", Values: local(ps8), Want: connectors.CodeOK, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					onlyHeader(t, ps8)
					if r.Server.Platform != "PrestaShop" || r.Server.Version != "8.1.4" || r.Server.ShopName != "Kočka & Pes" {
						t.Errorf("server = %+v", r.Server)
					}
					if r.Server.Extra["patch"] != "true" || !slices.Contains(permissionOf(r, "products"), "PATCH") {
						t.Errorf("PATCH should be available on 8.x: extra %v, products %v", r.Server.Extra, permissionOf(r, "products"))
					}
					if got := permissionOf(r, "customers"); !slices.Equal(got, []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) {
						t.Errorf("customers methods = %v", got)
					}
					if r.Server.URL != ps8.URL+"/api/" {
						t.Errorf("server URL = %q", r.Server.URL)
					}
					if r.HasWarning(connectors.CodeInsecureHTTP) {
						t.Error("plain HTTP to 127.0.0.1 must not warn")
					}
				}},
			{Name: "1.7 works, no PATCH", Values: local(ps17), Want: connectors.CodeOK, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					onlyHeader(t, ps17)
					if r.Server.Version != "1.7.8.11" || r.Server.ShopName != "Shop 17" || r.Server.Extra["patch"] != "false" {
						t.Errorf("server = %+v", r.Server)
					}
					if slices.Contains(permissionOf(r, "products"), "PATCH") || len(permissionOf(r, "products")) != 5 {
						t.Errorf("products methods = %v", permissionOf(r, "products"))
					}
				}},
			{Name: "1.6.1 works (shopName)", Values: local(ps161), Want: connectors.CodeOK, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.Version != "1.6.1.24" || r.Server.ShopName != "Shop 16" {
						t.Errorf("server = %+v", r.Server)
					}
				}},
			{Name: "1.6.0 works (shop_name)", Values: local(ps160), Want: connectors.CodeOK, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.ShopName != "Old 16" || len(r.Permissions) == 0 {
						t.Errorf("server = %+v, permissions %v", r.Server, r.Permissions)
					}
				}},
			{Name: "webservice off on 8 (503)", Values: local(disabled8), Want: connectors.CodeAPIDisabled, Requests: 1},
			{Name: "webservice off on 1.7 (503)", Values: local(disabled17), Want: connectors.CodeAPIDisabled, Requests: 1},
			{Name: "webservice off on 1.4 (404)", Values: local(disabled14), Want: connectors.CodeAPIDisabled, Requests: 1},
			{Name: "Authorization stripped, ws_key works", Values: local(stripped), Want: connectors.CodeOK,
				WantWarnings: []connectors.Code{connectors.CodeAuthHeaderStripped}, Requests: 2,
				Check: func(t *testing.T, r connectors.Result) {
					hits := stripped.Hits()
					if len(hits) != 2 || !hits[0].Authorization || hits[0].WSKey || hits[1].Authorization || !hits[1].WSKey {
						t.Errorf("hits = %+v, want header first then ws_key alone", hits)
					}
					if strings.Contains(r.Server.URL, "ws_key") {
						t.Errorf("server URL shows ws_key: %q", r.Server.URL)
					}
					if !strings.Contains(r.Warnings[0].Message, "Enable CGI mode for PHP") {
						t.Errorf("warning should name the CGI setting: %q", r.Warnings[0].Message)
					}
				}},
			{Name: "Authorization stripped, key refused", Values: local(strippedBad, FieldAPIKey, wrongKey), Want: connectors.CodeAuthInvalid, Requests: 2},
			{Name: "key disabled (20+21)", Values: local(keyOff), Want: connectors.CodeAuthInvalid, Requests: 1},
			{Name: "key unknown (20+21)", Values: local(unknown, FieldAPIKey, wrongKey), Want: connectors.CodeAuthInvalid, Requests: 1},
			{Name: "key unknown on 1.5 (19+21)", Values: local(unknown15, FieldAPIKey, wrongKey), Want: connectors.CodeAuthInvalid, Requests: 1},
			{Name: "key without permissions (21)", Values: local(noPerm), Want: connectors.CodeForbidden, Requests: 1},
			{Name: "key not on this shop (132)", Values: local(wrongShop), Want: connectors.CodeForbidden, Requests: 1},
			{Name: "key too short, no request", Values: local(ps8, FieldAPIKey, "ABC"), Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Requests != 0 || !strings.Contains(r.Message, "exactly 32 characters") {
						t.Errorf("requests %d, message %q", r.Requests, r.Message)
					}
				}},
			{Name: "rewrite rule missing", Values: local(noRewrite), Want: connectors.CodeOK,
				WantWarnings: []connectors.Code{connectors.CodeRewriteMissing}, Requests: 2,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.HasSuffix(r.Server.URL, "/webservice/dispatcher.php?url=") || r.Server.Version != "1.7.8.11" {
						t.Errorf("server = %+v", r.Server)
					}
				}},
			{Name: "not a shop", Values: local(site), Want: connectors.CodeNotAPI, Requests: 2,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, `"Welcome to nginx!"`) {
						t.Errorf("message should name the page: %q", r.Message)
					}
				}},
			{Name: "redirect to another host", Values: local(away), Want: connectors.CodeMoved, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Location != other.Host() || r.LocationField != FieldStoreURL {
						t.Errorf("location %q in %q, want %q", r.Location, r.LocationField, other.Host())
					}
					if other.Requests() != 0 || other.SawAuthorization() || other.SawWSKey() {
						t.Errorf("the other host got %+v; the key must never go there", other.Hits())
					}
				}},
			{Name: "same-host redirect followed", Values: local(folder, FieldStoreURL, folder.Host()), Want: connectors.CodeOK, Requests: 2,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Server.URL != folder.URL+"/shop/api/" {
						t.Errorf("final URL = %q", r.Server.URL)
					}
					hits := folder.Hits()
					if len(hits) != 2 || !hits[1].Authorization || hits[1].Path != "/shop/api/" {
						t.Errorf("hits = %+v", hits)
					}
				}},
			{Name: "server error", Values: local(broken), Want: connectors.CodeServerError, Requests: 1},
			{Name: "required permissions missing", Values: local(limited, FieldRequiredPermissions, "products:GET,PUT,DELETE customers:GET orders:get"),
				Want: connectors.CodeForbidden, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, "products: DELETE; customers: GET") || strings.Contains(r.Message, "orders") {
						t.Errorf("message = %q", r.Message)
					}
					if len(r.Permissions) != 2 {
						t.Errorf("permissions should still be reported: %v", r.Permissions)
					}
				}},
			{Name: "required permissions present", Values: local(limited, FieldRequiredPermissions, "products:GET,PUT orders:GET"), Want: connectors.CodeOK},
			{Name: "web server password", Values: connectors.Values{FieldStoreURL: strings.TrimPrefix(htpasswd.URL, "http://")}, Want: connectors.CodeAuthInvalid, Requests: 1},
			{Name: "untrusted certificate", Values: connectors.Values{FieldStoreURL: tlsShop.Host(), FieldUseHTTPS: "true"}, Want: connectors.CodeTLS,
				Check: func(t *testing.T, r connectors.Result) {
					if tlsShop.SawAuthorization() {
						t.Error("the key went out although the certificate was refused")
					}
				}},
			{Name: "connection refused", Values: connectors.Values{FieldStoreURL: refused}, Want: connectors.CodeUnreachable},
			{Name: "time-out", Values: local(slow, FieldRequestTimeout, "1"), Want: connectors.CodeTimeout},
		}),
	})
}

// TestTrustedTLS runs the happy path over HTTPS with the emulator's certificate trusted.
func TestTrustedTLS(t *testing.T) {
	shop := pstest.NewTLS(pstest.Options{Version: "8.1.4"})
	t.Cleanup(shop.Close)
	pool := x509.NewCertPool()
	pool.AddCert(shop.Certificate())
	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Client: connectors.ClientOptions{RootCAs: pool},
		Cases: []connectortest.Case{{
			Name: "https", Values: connectors.Values{FieldStoreURL: shop.Host(), FieldAPIKey: shop.Key()},
			Want: connectors.CodeOK, Requests: 1,
			Check: func(t *testing.T, r connectors.Result) {
				if !strings.HasPrefix(r.Server.URL, "https://") || r.HasWarning(connectors.CodeInsecureHTTP) {
					t.Errorf("url %q, warnings %v", r.Server.URL, r.Warnings)
				}
			},
		}},
	})
}

// TestInsecureHTTPWarning reaches a "public" host name over plain HTTP (the
// dial is pointed at the emulator) and expects the warning.
func TestInsecureHTTPWarning(t *testing.T) {
	shop := start(t, pstest.Options{})
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, shop.Listener.Addr().String())
	}
	connectortest.Run(t, connectortest.Suite{
		Info:   Info(),
		Client: connectors.ClientOptions{Dial: dial},
		Cases: []connectortest.Case{{
			Name: "plain http to shop.example", Values: connectors.Values{FieldStoreURL: "shop.example", FieldUseHTTPS: "false", FieldAPIKey: shop.Key()},
			Want: connectors.CodeOK, WantWarnings: []connectors.Code{connectors.CodeInsecureHTTP}, Requests: 1,
		}},
	})
}

// TestProgress checks the steps a user sees.
func TestProgress(t *testing.T) {
	shop := start(t, pstest.Options{})
	var steps []string
	cfg := connectors.Config{Values: local(shop), Progress: func(s string) { steps = append(steps, s) }}
	r := connectors.Run(context.Background(), Info(), cfg)
	if !r.OK || len(steps) == 0 || steps[0] != "Connecting to "+shop.Host()+"..." {
		t.Fatalf("ok %v, steps %q", r.OK, steps)
	}
}

// TestRawErrors covers webservice answers the emulator has no switch for:
// error 18 (only reachable with a key of another length) and a PHP error.
// Bodies as WebserviceOutputXML::renderErrors writes them.
func TestRawErrors(t *testing.T) {
	serve := func(status int, body string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
			w.Header().Set("PSWS-Version", "0")
			w.Header().Set("WWW-Authenticate", pstest.Realm)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(s.Close)
		return s
	}
	doc := func(code, msg string) string {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[" + code + "]]></code>\n<message><![CDATA[" + msg + "]]></message>\n</error>\n</errors>\n</prestashop>\n"
	}
	e18 := serve(401, doc("18", "Invalid authentication key format"))
	e17 := serve(401, doc("17", "Authentication key is empty"))
	e126 := serve(500, doc("126", `Class "MyRequest" not found. Please update the class_name field in the webservice_account table.`))
	host := func(s *httptest.Server) connectors.Values {
		return connectors.Values{FieldStoreURL: strings.TrimPrefix(s.URL, "http://")}
	}
	connectortest.Run(t, connectortest.Suite{
		Info: Info(),
		Base: connectors.Values{FieldAPIKey: pstest.DefaultKey, FieldUseHTTPS: "false"},
		Cases: connectortest.Presented(Info(), []connectortest.Case{
			{Name: "error 18", Values: host(e18), Want: connectors.CodeInvalidInput, Requests: 1},
			{Name: "error 17", Values: host(e17), Want: connectors.CodeAuthHeaderStripped, Requests: 1},
			{Name: "error 126", Values: host(e126), Want: connectors.CodeServerError, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, "error 126") {
						t.Errorf("message = %q", r.Message)
					}
				}},
		}),
	})
}

// TestHTTPSDowngradeIsMoved: an https shop redirecting to http is not followed.
func TestHTTPSDowngradeIsMoved(t *testing.T) {
	plain := start(t, pstest.Options{})
	shop := pstest.NewTLS(pstest.Options{RedirectTo: plain.URL})
	t.Cleanup(shop.Close)
	pool := x509.NewCertPool()
	pool.AddCert(shop.Certificate())
	cfg := connectors.Config{
		Values: connectors.Values{FieldStoreURL: shop.Host(), FieldAPIKey: shop.Key()},
		Client: connectors.ClientOptions{RootCAs: pool},
	}
	r := connectors.Run(context.Background(), Info(), cfg)
	if r.Code != connectors.CodeMoved || !strings.Contains(r.Message, "plain HTTP") || plain.Requests() != 0 {
		t.Fatalf("code %q message %q, plain got %d requests", r.Code, r.Message, plain.Requests())
	}
}
