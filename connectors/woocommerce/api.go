package woocommerce

// api.go: requests a saved WooCommerce connection makes of its REST API
// (`storelink api`, Try a request): under <site>/wp-json/wc/v3, the key
// carried as the test carries it (Basic over HTTPS, an OAuth 1.0a
// signature over plain HTTP, the address when the server drops the
// Authorization header), pages followed by page= and X-WP-TotalPages.
//
// The root is the pretty-permalink form. On a site whose permalinks are
// Plain, /wp-json/ is not routed: after its 404 page the session sends the
// request again, and the rest of the call's, as index.php?rest_route=/wc/v3/…
// (as the test finds the API), since that form cannot be a root that paths
// are appended to.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"storelink/connectors"
)

// apiPrefix is where WooCommerce's REST API v3 lives under the site.
const apiPrefix = "/wp-json/wc/v3"

func api() *connectors.API {
	return &connectors.API{
		Root:     apiRoot,
		Open:     openSession,
		Fields:   "json",
		Next:     nextPage,
		Diagnose: diagnose,
		Examples: []connectors.APIExample{
			{Label: "Products", Method: "GET", Path: "/products?per_page=5"},
			{Label: "Orders", Method: "GET", Path: "/orders?per_page=5"},
			{Label: "System status", Method: "GET", Path: "/system_status"},
		},
	}
}

func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	if o.Store == "" || validateStoreURL(o.Store) != nil {
		return "", fmt.Errorf("The connection's Shop address %q is not a valid site address.", v.String(FieldStoreURL))
	}
	return o.base() + apiPrefix, nil
}

// openSession refuses what a test refuses before any request (Basic or the
// key in the address over plain HTTP among them).
func openSession(_ context.Context, cfg connectors.Config) (connectors.Session, error) {
	o := decode(cfg.Values)
	if r, bad := o.invalid(); bad {
		return nil, &connectors.ResultError{Result: r}
	}
	return &session{o: o, via: o.firstWay(), now: cfg.Clock, fallback: o.Auth == AuthAuto || o.Auth == AuthOAuth1}, nil
}

type session struct {
	o   options
	via way
	now func() time.Time
	// fallback: the key may go into the address once, when WooCommerce
	// answers as if the Authorization header never came (as a test does).
	fallback bool
	// plain: /wp-json/ is not routed (Plain permalinks); requests go to
	// index.php?rest_route=.
	plain bool
}

func (s *session) Authorize(r *connectors.Request) error {
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	if s.plain {
		r.URL = plainURL(r.URL)
	}
	return s.o.authorize(r, s.via, s.now())
}

// plainURL turns <site>/wp-json/wc/v3/route?query into
// <site>/index.php?rest_route=%2Fwc%2Fv3%2Froute&query: index.php, since
// WooCommerce signs "/?rest_route=" as the home URL without its slash.
func plainURL(u string) string {
	site, rest, ok := strings.Cut(u, "/wp-json/")
	if !ok {
		return u
	}
	route, query, _ := strings.Cut(rest, "?")
	if dec, err := url.PathUnescape(route); err == nil {
		route = dec
	}
	out := site + "/index.php?rest_route=" + url.QueryEscape("/"+route)
	if query != "" {
		out += "&" + query
	}
	return out
}

func (*session) Done(connectors.Request, *connectors.Response) {}

// Retry moves the request to index.php?rest_route= after the 404 page of
// an unrouted /wp-json/, and the key into the address after an answer that
// says no key came; each once per call.
func (s *session) Retry(r connectors.Request, resp *connectors.Response) (connectors.Warning, bool) {
	if resp == nil {
		return connectors.Warning{}, false
	}
	a := inspect(resp)
	if !s.plain && resp.Status == http.StatusNotFound && a.kind == kindOther && strings.Contains(r.URL, "/wp-json/") {
		s.plain = true
		return connectors.Warning{}, true
	}
	if !s.fallback || !unrecognised(a) {
		return connectors.Warning{}, false
	}
	next, ok := s.via.fallback()
	s.fallback = false
	if !ok {
		return connectors.Warning{}, false
	}
	s.via = next
	return connectors.Warning{Code: connectors.CodeAuthHeaderStripped,
		Message: "The server drops the Authorization header before WordPress sees it, so the key was sent in the address instead, where it ends up in the web server's logs. " + htaccessAdvice}, true
}

var _ connectors.Retrier = (*session)(nil)

// nextPage asks for page+1 while X-WP-TotalPages says there is one; without
// that header it follows the Link rel="next" WooCommerce's list controllers
// send (WC_REST_CRUD_Controller::get_items(), WP_REST_Posts_Controller).
func nextPage(req connectors.APIRequest, resp *connectors.Response) (connectors.APIRequest, bool) {
	path, query, _ := strings.Cut(req.Path, "?")
	if total, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-WP-TotalPages"))); err == nil {
		page := 1
		if p, err := strconv.Atoi(phpQuery(query).scalar("page")); err == nil && p > 0 {
			page = p
		}
		if page >= total {
			return connectors.APIRequest{}, false
		}
		next := req
		next.Path = path + "?" + setParam(query, "page", strconv.Itoa(page+1))
		return next, true
	}
	link := nextLink(resp.Header)
	if link == "" {
		return connectors.APIRequest{}, false
	}
	rel, ok := underRoot(link)
	if !ok {
		return connectors.APIRequest{}, false
	}
	next := req
	next.Path = rel
	return next, true
}

var nextRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?next"?`) })

// nextLink is the rel="next" address of the Link headers, or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		if m := nextRE().FindStringSubmatch(v); m != nil {
			return m[1]
		}
	}
	return ""
}

// underRoot turns an absolute link of the API (pretty or ?rest_route=)
// into a path relative to the root: WordPress builds links from its own
// home URL, which may name the site differently than the connection.
func underRoot(link string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	const ns = "/wc/v3"
	if i := strings.Index(u.Path, apiPrefix); i >= 0 {
		rest := u.Path[i+len(apiPrefix):]
		if rest != "" && rest[0] != '/' {
			return "", false
		}
		if u.RawQuery != "" {
			rest += "?" + u.RawQuery
		}
		return rest, true
	}
	route := phpQuery(u.RawQuery).scalar("rest_route")
	rest, ok := strings.CutPrefix(route, ns)
	if !ok || rest != "" && rest[0] != '/' {
		return "", false
	}
	if q := dropParam(u.RawQuery, "rest_route"); q != "" {
		rest += "?" + q
	}
	return rest, true
}

// setParam sets name=value in a raw query, in place or at the end, leaving
// every other pair as written.
func setParam(raw, name, value string) string {
	kept := dropParam(raw, name)
	pair := url.QueryEscape(name) + "=" + url.QueryEscape(value)
	if kept == "" {
		return pair
	}
	return kept + "&" + pair
}

func dropParam(raw, name string) string {
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); part == "" || err == nil && dk == name {
			continue
		}
		kept = append(kept, part)
	}
	return strings.Join(kept, "&")
}

// scalar is $_GET[name] when it is no array, or "".
func (a *phpArray) scalar(name string) string {
	if v, ok := a.values[name]; ok && v.array == nil {
		return v.scalar
	}
	return ""
}

// Errors a list or item handler gives for the key's user
// (WC_REST_Controller's *_permissions_check()).
var cannotDo = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^woocommerce_rest_cannot_(view|create|edit|delete|batch)$`)
})

// diagnose names the answers that are about the key, the site or the
// server, in a test's words and codes; an answer about the request itself
// (woocommerce_rest_product_invalid_id, rest_invalid_param) is WordPress's
// own and stays as it is.
func diagnose(_ connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
	if resp.Status < 300 {
		return connectors.Result{}, false
	}
	a := inspect(resp)
	t := &tester{o: options{Store: storeOf(resp)}}
	if a.kind != kindWPError {
		if a.kind == kindOther && resp.Status != http.StatusNotFound {
			return connectors.Result{}, false
		}
		return t.failure(a), true
	}
	e := a.err
	switch {
	case e.Code == "rest_no_route":
		return connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("WordPress has no REST route matching %s for this method (%s).", resp.URL.Path, e.quote(nil)),
			"Check the path and the method against WooCommerce's REST API reference (woocommerce.github.io/woocommerce-rest-api-docs), like /products or /orders/123; if every path fails, check in WordPress's Plugins that WooCommerce is active."), true
	case e.Message == "The API key provided does not have write permissions.":
		return connectors.Fail(connectors.CodeForbidden, "The key is read-only: WooCommerce refuses it to write (\"The API key provided does not have write permissions.\").",
			"In "+keysPage+" click the key's description, set Permissions to Read/Write and click Save API key: the key and secret stay the same."), true
	case cannotDo().MatchString(e.Code) && resp.Status == http.StatusUnauthorized:
		return connectors.Fail(connectors.CodeAuthInvalid,
			fmt.Sprintf("WooCommerce answered as if no key had been sent (%s): the key is unknown to this shop, or the server drops the Authorization header.", e.quote(nil)),
			newKeyAdvice+" If the key works in a test, choose Automatic in Authentication, or "+htaccessAdvice), true
	case cannotDo().MatchString(e.Code):
		return connectors.Fail(connectors.CodeForbidden,
			fmt.Sprintf("WooCommerce accepted the key, but its user may not do this (%s).", e.quote(nil)),
			"In "+keysPage+" make the key for a user with the Shop manager or Administrator role; a key inherits its user's capabilities."), true
	case e.Code == "woocommerce_rest_authentication_error", e.Code == "woocommerce_rest_authentication_missing_parameter",
		e.Code == "rest_not_logged_in", e.notAuthenticated():
		return t.fromError(a), true
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		if !e.isWooCommerce() {
			return t.fromError(a), true // a plugin's refusal (CodeAPIDisabled)
		}
	}
	return connectors.Result{}, false
}

// storeOf is the Shop address an answer came from, for messages.
func storeOf(resp *connectors.Response) string {
	if resp.URL == nil {
		return ""
	}
	return storeFromAPI(resp.URL)
}
