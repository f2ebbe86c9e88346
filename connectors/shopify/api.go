package shopify

// api.go: requests a saved Shopify connection makes of its Admin API
// (`storelink api`, Try a request): under /admin/api/<API version>, the
// token in X-Shopify-Access-Token, exchanged from the client ID and secret
// first as a test does, pages followed through the Link header's
// rel="next" page_info address (shopify.dev/docs/api/usage/pagination-rest).
// GraphQL is a plain POST of {"query": ...} to /graphql.json.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"storelink/connectors"
)

func api() *connectors.API {
	return &connectors.API{
		Root:     apiRoot,
		Open:     openSession,
		Fields:   "json",
		Next:     nextPage,
		Diagnose: diagnose,
		Examples: []connectors.APIExample{
			{Label: "Shop", Method: "GET", Path: "/shop.json"},
			{Label: "Products", Method: "GET", Path: "/products.json?limit=5"},
			{Label: "Orders", Method: "GET", Path: "/orders.json?limit=5&status=any"},
		},
	}
}

func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	if o.Shop == "" || validateShop(o.Shop) != nil {
		return "", errors.New("The connection has no valid Shop address; it must be the store's myshopify.com address, like " + shopExample + ".")
	}
	return baseURL(o.Shop) + "/admin/api/" + o.Version, nil
}

// openSession refuses what a test refuses before any request, and
// exchanges the client credentials for a token as a test does; that token
// is masked from then on (exchange adds it to the client's redactor).
func openSession(ctx context.Context, cfg connectors.Config) (connectors.Session, error) {
	o := decode(cfg.Values)
	if r, bad := o.invalid(); bad {
		return nil, &connectors.ResultError{Result: r}
	}
	t := &tester{ctx: ctx, cfg: cfg, o: o, client: cfg.HTTP, token: o.AccessToken}
	if o.Auth == AuthClientCredentials {
		cfg.Step("Exchanging the client ID and secret for a token at " + t.host() + "...")
		if r, failed := t.exchange(); failed {
			return nil, &connectors.ResultError{Result: r}
		}
	}
	return session{token: t.token}, nil
}

type session struct{ token string }

func (s session) Authorize(r *connectors.Request) error {
	r.Header.Set("X-Shopify-Access-Token", s.token)
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	return nil
}

func (session) Done(connectors.Request, *connectors.Response) {}

var nextLink = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?next"?`) })

// nextPage follows rel="next". Shopify writes the link with its own
// address of the store and the version it served: the path after
// /admin/api/<version> is kept, so the next page goes to the connection's
// root like the first.
func nextPage(req connectors.APIRequest, resp *connectors.Response) (connectors.APIRequest, bool) {
	for _, v := range resp.Header.Values("Link") {
		m := nextLink().FindStringSubmatch(v)
		if m == nil {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil {
			return connectors.APIRequest{}, false
		}
		rest, ok := strings.CutPrefix(u.Path, "/admin/api/")
		_, rest, found := strings.Cut(rest, "/")
		if !ok || !found {
			return connectors.APIRequest{}, false
		}
		next := req
		next.Path = "/" + rest
		if u.RawQuery != "" {
			next.Path += "?" + u.RawQuery
		}
		return next, true
	}
	return connectors.APIRequest{}, false
}

// diagnose names Shopify's refusals of the token, the store or the rate
// (refusals.go, as a test words them); an answer about the request itself
// (404 {"errors":"Not Found"} for an id, 422 validation errors, 400) is
// Shopify's own and stays as it is.
func diagnose(req connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
	switch s := resp.Status; {
	case s < 300:
		return connectors.Result{}, false
	case s == http.StatusUnauthorized, s == http.StatusPaymentRequired, s == http.StatusForbidden,
		s == http.StatusLocked, s == http.StatusTooManyRequests:
	case s >= 400 && s < 500 && isJSON(resp):
		return connectors.Result{}, false
	}
	shop := ""
	if resp.URL != nil {
		shop = resp.URL.Scheme + "://" + resp.URL.Host
	}
	t := &tester{o: options{Shop: shop, Auth: AuthAccessToken}}
	path, _, _ := strings.Cut(req.Path, "?")
	return t.refusal(resp, fmt.Sprintf("%s %s", methodOf(req), path))
}

func methodOf(req connectors.APIRequest) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(req.Method)
}
