package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/shopify/shopifytest"
	"storelink/redact"
)

type apiCall struct {
	pages []*connectors.Response
	reqs  []connectors.APIRequest
	sent  []connectors.Request
	red   *redact.Redactor
	err   error
}

// callAPI sends req over connectors.Call, as `storelink api` would.
func callAPI(t *testing.T, v connectors.Values, req connectors.APIRequest, follow bool) apiCall {
	t.Helper()
	c := apiCall{red: redact.New()}
	cfg := connectors.Config{Name: "shop", Values: v, Client: connectors.ClientOptions{Redactor: c.red}}
	_, c.err = connectors.Call(context.Background(), Info(), cfg, req,
		connectors.CallOptions{Follow: follow, Sent: func(r connectors.Request) { c.sent = append(c.sent, r) }},
		func(r connectors.APIRequest, resp *connectors.Response) error {
			c.reqs, c.pages = append(c.reqs, r), append(c.pages, resp)
			return nil
		})
	return c
}

func productIDs(t *testing.T, resp *connectors.Response) []int64 {
	t.Helper()
	var out struct {
		Products []struct {
			ID int64 `json:"id"`
		} `json:"products"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	var ids []int64
	for _, p := range out.Products {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestAPIEveryAuthentication(t *testing.T) {
	s := start(t, shopifytest.Options{Products: 2})
	for _, tc := range []struct {
		name string
		v    connectors.Values
	}{
		{"access token", tokenValues(s)},
		{"client credentials", clientValues(s)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callAPI(t, tc.v, connectors.APIRequest{Path: "/shop.json"}, false)
			if c.err != nil {
				t.Fatal(c.err)
			}
			if c.pages[0].Status != http.StatusOK || !strings.Contains(string(c.pages[0].Body), `"myshopify_domain":"storelink-test.myshopify.com"`) {
				t.Fatalf("status %d: %s", c.pages[0].Status, c.pages[0].Body)
			}
			if got := c.sent[0].URL; got != s.URL+"/admin/api/"+DefaultAPIVersion+"/shop.json" {
				t.Errorf("URL = %s", got)
			}
			hits := s.Hits()
			token := hits[len(hits)-1].Token
			if token == "" || hits[len(hits)-1].Path != "/admin/api/"+DefaultAPIVersion+"/shop.json" {
				t.Fatalf("last hit = %+v", hits[len(hits)-1])
			}
			if tc.v[FieldAuthType] == AuthClientCredentials {
				if token == shopifytest.DefaultAccessToken || hits[len(hits)-2].Path != "/admin/oauth/access_token" {
					t.Errorf("the client credentials were not exchanged first: %+v", hits)
				}
			}
			// The fetched token is masked like a saved one.
			shown := c.red.String(c.sent[0].Header.Get("X-Shopify-Access-Token") + " " + token)
			if strings.Contains(shown, token[:12]) {
				t.Errorf("the token shows after masking: %s", shown)
			}
		})
	}
}

func TestAPIPostCreatesAProduct(t *testing.T) {
	s := start(t, shopifytest.Options{Scopes: []string{"write_products"}})
	c := callAPI(t, tokenValues(s), connectors.APIRequest{Method: "POST", Path: "/products.json",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"product":{"title":"Blue mug"}}`)}, false)
	if c.err != nil {
		t.Fatal(c.err)
	}
	if r := c.pages[0]; r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"title":"Blue mug"`) {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	blank := callAPI(t, tokenValues(s), connectors.APIRequest{Method: "POST", Path: "/products.json",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"product":{"title":""}}`)}, false)
	if r := blank.pages[0]; r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if r, known := Info().API.Diagnose(blank.reqs[0], blank.pages[0]); known {
		t.Errorf("a validation error was diagnosed as %s: %s", r.Code, r.Message)
	}
}

func TestAPIGraphQLIsAPlainPost(t *testing.T) {
	s := start(t, shopifytest.Options{})
	c := callAPI(t, tokenValues(s), connectors.APIRequest{Method: "POST", Path: "/graphql.json",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"query":"{ shop { name } }"}`)}, false)
	if c.err != nil || c.pages[0].Status != http.StatusOK || !strings.Contains(string(c.pages[0].Body), `"name":"Storelink Test Store"`) {
		t.Fatalf("err %v: %+v", c.err, c.pages)
	}
}

func TestAPIFollowsThreePages(t *testing.T) {
	s := start(t, shopifytest.Options{Products: 7})
	c := callAPI(t, tokenValues(s), connectors.APIRequest{Path: "/products.json?limit=3"}, true)
	if c.err != nil {
		t.Fatal(c.err)
	}
	var all []int64
	for _, p := range c.pages {
		all = append(all, productIDs(t, p)...)
	}
	if len(c.pages) != 3 || len(all) != 7 || all[0] != 632910393 || all[6] != 632910399 {
		t.Fatalf("pages %d, ids %v", len(c.pages), all)
	}
	if p := c.reqs[1].Path; !strings.HasPrefix(p, "/products.json?limit=3&page_info=") {
		t.Errorf("second request = %q", p)
	}
}

func TestNextPageIsRelativeToTheRoot(t *testing.T) {
	for _, tc := range []struct{ link, want string }{
		{`<https://s.myshopify.com/admin/api/2026-10/products.json?limit=3&page_info=abc>; rel="next"`, "/products.json?limit=3&page_info=abc"},
		{`<https://s.myshopify.com/admin/api/2026-07/orders.json?page_info=p>; rel="previous", <https://s.myshopify.com/admin/api/2026-07/orders.json?page_info=n>; rel="next"`, "/orders.json?page_info=n"},
		{`<https://s.myshopify.com/admin/api/2026-10/products.json?page_info=p>; rel="previous"`, ""},
		{`<https://evil.example/elsewhere?x=1>; rel="next"`, ""},
	} {
		next, more := nextPage(connectors.APIRequest{Path: "/products.json"}, &connectors.Response{Header: http.Header{"Link": {tc.link}}})
		if more != (tc.want != "") || next.Path != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.link, next.Path, more, tc.want)
		}
	}
}

func TestAPIDiagnosesErrors(t *testing.T) {
	ok := start(t, shopifytest.Options{Products: 1})
	for _, tc := range []struct {
		name string
		s    shopifytest.Options
		v    func(*shopifytest.Server) connectors.Values
		req  connectors.APIRequest
		code connectors.Code
		says string
	}{
		{"wrong token", shopifytest.Options{}, func(s *shopifytest.Server) connectors.Values {
			return tokenValues(s, FieldAccessToken, "shpat_ffffffffffffffffffffffffffffffff")
		}, connectors.APIRequest{Path: "/shop.json"}, connectors.CodeAuthInvalid, "Invalid API key or access token"},
		{"scope missing", shopifytest.Options{Scopes: []string{"read_orders"}}, nil, connectors.APIRequest{Path: "/products.json"}, connectors.CodeForbidden, "read_products scope"},
		{"rate limited", shopifytest.Options{RateLimited: true}, nil, connectors.APIRequest{Path: "/products.json"}, connectors.CodeRateLimited, "2 seconds"},
		{"frozen", shopifytest.Options{Frozen: true}, nil, connectors.APIRequest{Path: "/shop.json"}, connectors.CodeStoreUnavailable, "frozen"},
		{"locked", shopifytest.Options{Locked: true}, nil, connectors.APIRequest{Path: "/shop.json"}, connectors.CodeStoreUnavailable, "locked"},
		{"no store", shopifytest.Options{UnknownShop: true}, nil, connectors.APIRequest{Path: "/shop.json"}, connectors.CodeNotAPI, "no Shopify store"},
		{"unknown resource", shopifytest.Options{}, nil, connectors.APIRequest{Path: "/products/1.json"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			if tc.s.Scopes != nil || tc.s.RateLimited || tc.s.Frozen || tc.s.Locked || tc.s.UnknownShop || tc.v != nil {
				s = start(t, tc.s)
			}
			v := tokenValues(s)
			if tc.v != nil {
				v = tc.v(s)
			}
			c := callAPI(t, v, tc.req, true)
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

func TestAPIRefusesBeforeAnyRequest(t *testing.T) {
	s := start(t, shopifytest.Options{ShopNotPermitted: true})
	c := callAPI(t, clientValues(s), connectors.APIRequest{Path: "/shop.json"}, false)
	var re *connectors.ResultError
	if !errors.As(c.err, &re) || re.Result.Code != connectors.CodeForbidden || len(c.pages) != 0 {
		t.Fatalf("err = %v, pages %d", c.err, len(c.pages))
	}
	c = callAPI(t, tokenValues(s, FieldAPIVersion, "2019-04"), connectors.APIRequest{Path: "/shop.json"}, false)
	if !errors.As(c.err, &re) || re.Result.Code != connectors.CodeInvalidInput {
		t.Fatalf("err = %v", c.err)
	}
}

// TestAPIEchoedTokensAreMasked: a proxy repeating the request hands back
// the token (saved, or fetched with the client credentials); masked as
// Call's redactor masks, none of it shows.
func TestAPIEchoedTokensAreMasked(t *testing.T) {
	s := start(t, shopifytest.Options{Echo: true})
	for _, tc := range []struct {
		name string
		v    connectors.Values
	}{
		{"saved token", tokenValues(s)},
		{"fetched token", clientValues(s)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := callAPI(t, tc.v, connectors.APIRequest{Path: "/shop.json"}, false)
			if c.err != nil {
				t.Fatal(c.err)
			}
			token := c.sent[len(c.sent)-1].Header.Get("X-Shopify-Access-Token")
			body := string(c.pages[0].Body)
			if token == "" || !strings.Contains(body, token) {
				t.Fatalf("the server did not repeat the token, so this checks nothing: %s", body)
			}
			if tc.v[FieldAuthType] == AuthClientCredentials && token == shopifytest.DefaultAccessToken {
				t.Fatal("the token was not fetched")
			}
			shown := c.red.String(body + " " + token)
			if r, ok := Info().API.Diagnose(c.reqs[0], c.pages[0]); ok {
				shown += c.red.String(r.Message + r.Hint)
			}
			for i := 0; i+redact.RunLen <= len(token); i += redact.RunLen {
				if strings.Contains(shown, token[i:i+redact.RunLen]) {
					t.Fatalf("masked output holds part of the token: %s", shown)
				}
			}
		})
	}
}
