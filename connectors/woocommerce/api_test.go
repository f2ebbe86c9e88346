package woocommerce

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/woocommerce/wootest"
	"storelink/redact"
)

// apiCall is one connectors.Call and what it handed back.
type apiCall struct {
	pages []*connectors.Response
	reqs  []connectors.APIRequest
	sent  []connectors.Request
	red   *redact.Redactor
	err   error
}

// callAPI sends req to s with the default key, as `storelink api` would.
func callAPI(t *testing.T, s *httptest.Server, v connectors.Values, req connectors.APIRequest, follow bool) apiCall {
	t.Helper()
	v[FieldConsumerKey], v[FieldConsumerSecret] = wootest.DefaultKey, wootest.DefaultSecret
	c := apiCall{red: redact.New()}
	opts := connectors.ClientOptions{Redactor: c.red}
	if strings.HasPrefix(s.URL, "https://") {
		pool := x509.NewCertPool()
		pool.AddCert(s.Certificate())
		opts.RootCAs = pool
	}
	cfg := connectors.Config{Name: "shop", Values: v, Client: opts}
	_, c.err = connectors.Call(context.Background(), Info(), cfg, req,
		connectors.CallOptions{Follow: follow, Sent: func(r connectors.Request) { c.sent = append(c.sent, r) }},
		func(r connectors.APIRequest, resp *connectors.Response) error {
			c.reqs, c.pages = append(c.reqs, r), append(c.pages, resp)
			return nil
		})
	return c
}

// ids reads the product ids of a list answer.
func ids(t *testing.T, resp *connectors.Response) []int {
	t.Helper()
	var list []struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &list); err != nil {
		t.Fatalf("list: %v: %s", err, resp.Body)
	}
	out := []int{}
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}

func TestAPIEveryAuthentication(t *testing.T) {
	tls := startTLS(t, wootest.Options{Products: 3})
	plain := start(t, wootest.Options{Products: 3})
	stripped := startTLS(t, wootest.Options{Products: 3, StripAuthHeader: true})
	strippedHTTP := start(t, wootest.Options{Products: 3, StripAuthHeader: true})
	for _, tc := range []struct {
		name  string
		s     *wootest.Server
		v     connectors.Values
		auths []string
	}{
		{"basic over https", tls, over(tls), []string{"basic"}},
		{"basic chosen", tls, over(tls, FieldAuthMethod, AuthBasic), []string{"basic"}},
		{"query chosen", tls, over(tls, FieldAuthMethod, AuthQuery), []string{"query"}},
		{"oauth over http", plain, over(plain), []string{"oauth-header"}},
		{"oauth chosen over https", tls, over(tls, FieldAuthMethod, AuthOAuth1), []string{"oauth-header"}},
		{"header stripped: the key goes into the query", stripped, over(stripped), []string{"", "query"}},
		{"header stripped over http: oauth in the query", strippedHTTP, over(strippedHTTP), []string{"", "oauth-query"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(auths(tc.s))
			c := callAPI(t, tc.s.Server, tc.v, connectors.APIRequest{Path: "/products?per_page=5"}, false)
			if c.err != nil {
				t.Fatal(c.err)
			}
			if len(c.pages) != 1 || c.pages[0].Status != http.StatusOK {
				t.Fatalf("pages = %d, status %d: %s", len(c.pages), c.pages[0].Status, c.pages[0].Body)
			}
			if got := ids(t, c.pages[0]); len(got) != 3 || got[0] != 101 {
				t.Errorf("ids = %v", got)
			}
			if got := auths(tc.s)[before:]; strings.Join(got, ",") != strings.Join(tc.auths, ",") {
				t.Errorf("the key came as %q, want %q", got, tc.auths)
			}
			if len(c.sent) != len(tc.auths) {
				t.Errorf("sent %d requests, want %d", len(c.sent), len(tc.auths))
			}
			for _, r := range c.sent {
				shown := c.red.String(r.URL + " " + r.Header.Get("Authorization"))
				if strings.Contains(shown, wootest.DefaultSecret[:12]) || strings.Contains(shown, base64.StdEncoding.EncodeToString([]byte(wootest.DefaultKey + ":" + wootest.DefaultSecret))[:16]) {
					t.Errorf("a request shows the secret after masking: %s", shown)
				}
			}
		})
	}
}

func TestAPIRefusesTheSecretOverPlainHTTP(t *testing.T) {
	s := start(t, wootest.Options{})
	for _, auth := range []string{AuthBasic, AuthQuery} {
		c := callAPI(t, s.Server, over(s, FieldAuthMethod, auth), connectors.APIRequest{Path: "/products"}, false)
		var re *connectors.ResultError
		if !errors.As(c.err, &re) || re.Result.Code != connectors.CodeInvalidInput || !strings.Contains(re.Result.Message, "plain HTTP") {
			t.Errorf("%s over http: err = %v", auth, c.err)
		}
	}
	if len(s.Hits()) != 0 {
		t.Errorf("requests reached the server: %+v", s.Hits())
	}
}

func TestAPIPostCreatesAProduct(t *testing.T) {
	for _, s := range []*wootest.Server{startTLS(t, wootest.Options{}), start(t, wootest.Options{})} {
		c := callAPI(t, s.Server, over(s), connectors.APIRequest{Method: "POST", Path: "/products",
			Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"name":"Blue mug","regular_price":"9.50"}`)}, false)
		if c.err != nil {
			t.Fatal(c.err)
		}
		resp := c.pages[0]
		if resp.Status != http.StatusCreated || !strings.HasSuffix(resp.Header.Get("Location"), "/wp-json/wc/v3/products/101") {
			t.Fatalf("status %d, Location %q: %s", resp.Status, resp.Header.Get("Location"), resp.Body)
		}
		if !strings.Contains(string(resp.Body), `"name":"Blue mug"`) || !strings.Contains(string(resp.Body), `"regular_price":"9.50"`) {
			t.Errorf("body = %s", resp.Body)
		}
		hits := s.Hits()
		if last := hits[len(hits)-1]; !last.Wrote || last.Dispatched != "POST wc/v3/products" {
			t.Errorf("last hit = %+v", last)
		}
	}
}

func TestAPIFollowsThreePages(t *testing.T) {
	for _, s := range []*wootest.Server{startTLS(t, wootest.Options{Products: 7}), start(t, wootest.Options{Products: 7})} {
		c := callAPI(t, s.Server, over(s), connectors.APIRequest{Path: "/products?per_page=3&orderby=id"}, true)
		if c.err != nil {
			t.Fatal(c.err)
		}
		var all []int
		for _, p := range c.pages {
			all = append(all, ids(t, p)...)
		}
		if len(c.pages) != 3 || len(all) != 7 || all[0] != 101 || all[6] != 107 {
			t.Fatalf("pages %d, ids %v", len(c.pages), all)
		}
		if c.reqs[2].Path != "/products?per_page=3&orderby=id&page=3" {
			t.Errorf("third request = %q", c.reqs[2].Path)
		}
	}
}

// TestAPIPlainPermalinks: /wp-json/ is not routed, so the call moves to
// index.php?rest_route= after its 404 page and stays there for every page.
func TestAPIPlainPermalinks(t *testing.T) {
	for _, s := range []*wootest.Server{startTLS(t, wootest.Options{Products: 5, PlainPermalinks: true}), start(t, wootest.Options{Products: 5, PlainPermalinks: true})} {
		c := callAPI(t, s.Server, over(s), connectors.APIRequest{Path: "/products?per_page=2"}, true)
		if c.err != nil {
			t.Fatal(c.err)
		}
		if len(c.pages) != 3 || c.pages[0].Status != http.StatusOK {
			t.Fatalf("pages %d, status %d: %s", len(c.pages), c.pages[0].Status, c.pages[0].Body)
		}
		if len(c.sent) != 4 || !strings.Contains(c.sent[0].URL, "/wp-json/wc/v3/products") {
			t.Fatalf("sent %d requests, first %s", len(c.sent), c.sent[0].URL)
		}
		for _, r := range c.sent[1:] {
			if !strings.Contains(r.URL, "/index.php?rest_route=%2Fwc%2Fv3%2Fproducts&per_page=2") {
				t.Errorf("request %s is not in the plain form", r.URL)
			}
		}
	}
}

func TestNextPageFollowsTheLinkHeader(t *testing.T) {
	for _, tc := range []struct{ link, want string }{
		{`<https://other.example/wp-json/wc/v3/products?per_page=2&page=3>; rel="next"`, "/products?per_page=2&page=3"},
		{`<https://shop.example/wp-json/wc/v3/orders?page=1>; rel="prev", <https://shop.example/wp-json/wc/v3/orders?page=3>; rel="next"`, "/orders?page=3"},
		{`<https://shop.example/?rest_route=/wc/v3/products&per_page=2&page=2>; rel="next"`, "/products?per_page=2&page=2"},
		{`<https://shop.example/wp-json/>; rel="https://api.w.org/"`, ""},
		{`<https://shop.example/wp-json/wp/v2/posts?page=2>; rel="next"`, ""},
	} {
		resp := &connectors.Response{Status: 200, Header: http.Header{"Link": {tc.link}}}
		next, more := nextPage(connectors.APIRequest{Path: "/products?page=2"}, resp)
		if more != (tc.want != "") || next.Path != tc.want {
			t.Errorf("Link %s: next %q, %v; want %q", tc.link, next.Path, more, tc.want)
		}
	}
	last := &connectors.Response{Status: 200, Header: http.Header{"X-Wp-Totalpages": {"2"}, "Link": {`<https://shop.example/wp-json/wc/v3/products?page=3>; rel="next"`}}}
	if _, more := nextPage(connectors.APIRequest{Path: "/products?page=2"}, last); more {
		t.Error("page 2 of 2 has a next page")
	}
}

// TestAPIOAuthSignsPHPArrays: WooCommerce signs include[]=… as include[0],
// include[1] (PHP's $_GET), not as RFC 5849 would.
func TestAPIOAuthSignsPHPArrays(t *testing.T) {
	s := start(t, wootest.Options{Products: 2})
	c := callAPI(t, s.Server, over(s), connectors.APIRequest{Path: "/products?include[]=101&include[]=102&search=blue+mug&a.b=1"}, false)
	if c.err != nil {
		t.Fatal(c.err)
	}
	if c.pages[0].Status != http.StatusOK {
		t.Fatalf("status %d: %s", c.pages[0].Status, c.pages[0].Body)
	}
}

func TestAPIDiagnosesErrors(t *testing.T) {
	readOnly := startTLS(t, wootest.Options{Permissions: wootest.Read})
	otherSecret := start(t, wootest.Options{Secret: "cs_" + strings.Repeat("ab", 20)})
	// A site that is no WordPress: nginx's 404 page for every path.
	notWP := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
	}))
	t.Cleanup(notWP.Close)
	notWPValues := connectors.Values{FieldStoreURL: strings.TrimPrefix(notWP.URL, "https://")}
	ok := startTLS(t, wootest.Options{Products: 1})
	limited := startTLS(t, wootest.Options{RateLimit: "120"})
	for _, tc := range []struct {
		name string
		s    *httptest.Server
		v    connectors.Values
		req  connectors.APIRequest
		code connectors.Code // "" when the answer is the request's own
		says string
	}{
		{"read-only key writes", readOnly.Server, over(readOnly), connectors.APIRequest{Method: "POST", Path: "/products", Body: []byte(`{}`)}, connectors.CodeForbidden, "read-only"},
		{"wrong secret over oauth", otherSecret.Server, over(otherSecret), connectors.APIRequest{Path: "/products"}, connectors.CodeSignatureInvalid, "signature does not match"},
		{"no such route", ok.Server, over(ok), connectors.APIRequest{Path: "/productz"}, connectors.CodeNotAPI, "no REST route"},
		{"not WordPress", notWP, notWPValues, connectors.APIRequest{Path: "/products"}, connectors.CodeNotAPI, "Permalinks"},
		{"rate limited", limited.Server, over(limited), connectors.APIRequest{Path: "/products"}, connectors.CodeRateLimited, "2m0s"},
		{"unknown product", ok.Server, over(ok), connectors.APIRequest{Path: "/products/999"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callAPI(t, tc.s, tc.v, tc.req, true)
			if c.err != nil {
				t.Fatal(c.err)
			}
			if len(c.pages) != 1 {
				t.Fatalf("%d pages, want one error answer", len(c.pages))
			}
			connectortest.Diagnosed(t, Info(), c.reqs[0], c.pages[0], tc.code, tc.says)
		})
	}
}

// TestAPIEchoedSecretsAreMasked: a server repeating the request, and
// WooCommerce's own Link header repeating consumer_secret from the query,
// hand back nothing that shows a secret once masked as Call's redactor does.
func TestAPIEchoedSecretsAreMasked(t *testing.T) {
	echo := startTLS(t, wootest.Options{Echo: true})
	list := startTLS(t, wootest.Options{Products: 4})
	basic := base64.StdEncoding.EncodeToString([]byte(wootest.DefaultKey + ":" + wootest.DefaultSecret))
	for _, tc := range []struct {
		name string
		s    *wootest.Server
		v    connectors.Values
		leak string // what the raw answer holds
	}{
		{"echo of basic", echo, over(echo), basic},
		{"echo of the query", echo, over(echo, FieldAuthMethod, AuthQuery), wootest.DefaultSecret},
		{"Link with the query's secret", list, over(list, FieldAuthMethod, AuthQuery), wootest.DefaultSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callAPI(t, tc.s.Server, tc.v, connectors.APIRequest{Path: "/products?per_page=2"}, false)
			if c.err != nil {
				t.Fatal(c.err)
			}
			resp := c.pages[0]
			var raw strings.Builder
			raw.Write(resp.Body)
			for k, vs := range resp.Header {
				raw.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
			}
			if !strings.Contains(raw.String(), tc.leak) {
				t.Fatalf("the server did not repeat the secret, so this checks nothing: %s", raw.String())
			}
			shown := c.red.String(raw.String())
			if r, ok := Info().API.Diagnose(c.reqs[0], resp); ok {
				shown += c.red.String(r.Message + r.Hint)
			}
			for _, secret := range []string{wootest.DefaultSecret, wootest.DefaultKey, basic} {
				for i := 0; i+redact.RunLen <= len(secret); i += redact.RunLen {
					if strings.Contains(shown, secret[i:i+redact.RunLen]) {
						t.Fatalf("masked output holds part of a secret %q: %s", secret[i:i+redact.RunLen], shown)
					}
				}
			}
		})
	}
}
