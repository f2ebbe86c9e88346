// Package wootest is a WordPress + WooCommerce emulator for tests: an
// httptest server on 127.0.0.1 that answers the REST API the way the public
// source does, status, headers and JSON bodies byte for byte:
//
//   - woocommerce: plugins/woocommerce/includes/class-wc-rest-authentication.php
//     (authenticate(): Basic, or consumer_key/consumer_secret in the query,
//     only when is_ssl(); perform_oauth_authentication() otherwise and after
//     a failed Basic; get_oauth_parameters() merging $_GET and the
//     Authorization header; check_oauth_signature() with WooCommerce's own
//     normalisation and base URI from get_home_url(); the 15-minute
//     timestamp window and the nonces kept per timestamp;
//     check_permissions() on rest_pre_dispatch, before any route is matched;
//     send_unauthorized_headers());
//   - plugins/woocommerce/includes/wc-rest-functions.php
//     (wc_rest_urlencode_rfc3986(), wc_rest_check_manager_permissions());
//   - plugins/woocommerce/includes/rest-api/Controllers/Version2/
//     class-wc-rest-system-status-v2-controller.php (the permission check
//     and its "woocommerce_rest_cannot_view" error, _fields);
//   - WordPress: wp-includes/rest-api/class-wp-rest-server.php (the JSON
//     error shape {"code","message","data":{"status"}}, rest_no_route, the
//     headers of serve_request(), rest_pre_dispatch before the route is
//     matched, get_index()), wp-includes/rest-api.php
//     (rest_authorization_required_code(): 403 when logged in, 401 when
//     not), the rewrite rules ^wp-json/?$ and ^wp-json/(.*)? and the
//     rest_route query variable, and wp_json_encode() escaping "/" and
//     non-ASCII as PHP's json_encode does.
//
// Each server records the requests it got, so tests can assert how the key
// travelled and that no request reached a handler that writes.
package wootest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The key pair a server accepts when Options leave them empty.
const (
	DefaultKey    = "ck_0123456789abcdef0123456789abcdef01234567"
	DefaultSecret = "cs_fedcba9876543210fedcba9876543210fedcba98"
)

// Key permissions, as woocommerce_api_keys.permissions holds them.
const (
	Read      = "read"
	Write     = "write"
	ReadWrite = "read_write"
)

// Error is a WordPress REST error: WP_Error turned into JSON.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Options choose which WordPress, and which trouble, a server emulates.
type Options struct {
	Key, Secret string // the one key; DefaultKey and DefaultSecret when empty
	Permissions string // Read, Write or ReadWrite (default)
	ShopName    string // blogname; "My WooCommerce Shop" when empty
	WPVersion   string // "6.8.3" when empty
	WCVersion   string // "10.3.5" when empty
	// BasePath is the folder WordPress is installed in ("/wordpress").
	BasePath string

	PlainPermalinks bool // Settings > Permalinks is "Plain": /wp-json/ is not routed
	StripAuthHeader bool // the server drops Authorization before PHP (CGI/FastCGI)
	NoWooCommerce   bool // WordPress without WooCommerce active
	// NoManageWooCommerce: the key's user lacks manage_woocommerce (an
	// editor's key), so system_status refuses it.
	NoManageWooCommerce bool
	// RequireLogin is the REST handbook's "require authentication for all
	// requests" filter: rest_not_logged_in for anyone not logged in.
	RequireLogin bool
	// BlockREST is a plugin on rest_authentication_errors answering every
	// REST request with this error, logged in or not.
	BlockREST *Error
	// WAF is the host's firewall: Apache's 403 page for every API request.
	WAF bool
	// RateLimit answers every request 429 with this Retry-After value.
	RateLimit string
	Fatal     bool // a PHP fatal error: WordPress's critical-error JSON, 500
	// Replay is a proxy in front that sends each request to WordPress twice
	// and answers with the second answer (a retry after a time-out).
	Replay bool
	// Echo makes a broken server that answers every request 400 with an
	// HTML page repeating the request, headers and query included.
	Echo bool
	// Site, when set, makes the server no WordPress at all: every request
	// gets a 200 HTML page with this title.
	Site string
	// RedirectTo answers every request with a 301 to RedirectTo + the URI.
	RedirectTo string
	// Products is how many products the shop has ("Product 1"...), ids
	// from 101, for the API's lists and pages.
	Products int
	// Now is the server's clock; time.Now when nil.
	Now func() time.Time
}

// Hit is one request the server received.
type Hit struct {
	Method string
	Path   string
	Route  string // the REST route, "" when the request was none
	// Auth is how credentials came: "basic", "oauth-header", "oauth-query",
	// "query" or "" (as PHP saw them, after any stripping).
	Auth string
	// Dispatched is the handler that ran ("GET wc/v3/system_status"), ""
	// when none did; Wrote is true when that handler changes data.
	Dispatched string
	Wrote      bool
}

// Server is a running emulator.
type Server struct {
	*httptest.Server
	o Options

	mu       sync.Mutex
	hits     []Hit
	nonces   map[int64]string // woocommerce_api_keys.nonces: timestamp => nonce
	products []product
}

// New starts a plain-HTTP server (is_ssl() is false: OAuth 1.0a only).
func New(o Options) *Server {
	s := newServer(o)
	s.Server = httptest.NewServer(s)
	return s
}

// NewTLS starts an HTTPS server (is_ssl() is true: Basic and the query
// work). Clients must trust s.Certificate().
func NewTLS(o Options) *Server {
	s := newServer(o)
	s.Server = httptest.NewTLSServer(s)
	return s
}

func newServer(o Options) *Server {
	if o.Key == "" {
		o.Key = DefaultKey
	}
	if o.Secret == "" {
		o.Secret = DefaultSecret
	}
	if o.Permissions == "" {
		o.Permissions = ReadWrite
	}
	if o.ShopName == "" {
		o.ShopName = "My WooCommerce Shop"
	}
	if o.WPVersion == "" {
		o.WPVersion = "6.8.3"
	}
	if o.WCVersion == "" {
		o.WCVersion = "10.3.5"
	}
	s := &Server{o: o, nonces: map[int64]string{}}
	s.seed()
	return s
}

// StoreURL is the Shop address field's value for this server.
func (s *Server) StoreURL() string {
	return strings.TrimPrefix(strings.TrimPrefix(s.URL, "http://"), "https://") + s.o.BasePath
}

// Hits returns the requests received so far.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

func (s *Server) now() time.Time {
	if s.o.Now != nil {
		return s.o.Now()
	}
	return time.Now()
}

// home is get_option('home'): the site's address without a trailing slash.
func (s *Server) home() string { return s.URL + s.o.BasePath }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.o.Site != "":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head>\n<title>%s</title>\n</head>\n<body>\n<h1>%s</h1>\n</body>\n</html>\n", s.o.Site, s.o.Site)
		return
	case s.o.RedirectTo != "":
		http.Redirect(w, r, s.o.RedirectTo+r.URL.RequestURI(), http.StatusMovedPermanently)
		return
	case s.o.Echo:
		s.echo(w, r)
		return
	case s.o.RateLimit != "":
		w.Header().Set("Retry-After", s.o.RateLimit)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
		return
	}
	if s.o.StripAuthHeader {
		r.Header.Del("Authorization")
	}
	route, isREST := s.restRoute(r)
	if s.o.WAF && isREST {
		apachePage(w, http.StatusForbidden, "Forbidden", "You don't have permission to access this resource.")
		return
	}
	if !isREST {
		s.page(w, r)
		return
	}
	if s.o.Replay {
		s.rest(httptest.NewRecorder(), r, route)
	}
	s.rest(w, r, route)
}

// restRoute finds the REST route as WP::parse_request() does: the
// rest_route query variable on index.php, or the rewrite rules of
// rest_api_register_rewrites() when permalinks are not plain.
func (s *Server) restRoute(r *http.Request) (string, bool) {
	p := r.URL.Path
	if s.o.BasePath != "" {
		if !strings.HasPrefix(p, s.o.BasePath+"/") && p != s.o.BasePath {
			return "", false
		}
		p = strings.TrimPrefix(p, s.o.BasePath)
	}
	if p == "" || p == "/" || p == "/index.php" {
		if rr, ok := phpGet(r.URL.RawQuery)["rest_route"]; ok {
			return rr, true
		}
		return "", false
	}
	if s.o.PlainPermalinks {
		return "", false
	}
	if p == "/wp-json" || p == "/wp-json/" {
		return "/", true
	}
	if rest, ok := strings.CutPrefix(p, "/wp-json/"); ok {
		return "/" + rest, true
	}
	return "", false
}

// page answers what is not the REST API: WordPress's pages carry the Link
// header rest_output_link_header() sends; /shop/ is WooCommerce's shop page;
// anything else is WordPress's 404 page, or Apache's when plain permalinks
// leave /wp-json/ without a rewrite.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.record(Hit{Method: r.Method, Path: r.URL.Path})
	p := strings.TrimPrefix(r.URL.Path, s.o.BasePath)
	if s.o.PlainPermalinks && strings.HasPrefix(p, "/wp-json") {
		apachePage(w, http.StatusNotFound, "Not Found", "The requested URL was not found on this server.")
		return
	}
	w.Header().Set("Link", `<`+s.apiRoot()+`>; rel="https://api.w.org/"`)
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	title := s.o.ShopName
	switch p {
	case "", "/", "/index.php":
	case "/shop", "/shop/":
		title = "Shop &#8211; " + s.o.ShopName
	default:
		w.WriteHeader(http.StatusNotFound)
		title = "Page not found &#8211; " + s.o.ShopName
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>%s</title>\n</head>\n<body></body>\n</html>\n", title)
}

// apiRoot is get_rest_url(): /wp-json/, or ?rest_route=/ on plain permalinks.
func (s *Server) apiRoot() string {
	if s.o.PlainPermalinks {
		return s.home() + "/?rest_route=/"
	}
	return s.home() + "/wp-json/"
}

func apachePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n<p>%s</p>\n</body></html>\n", status, title, title, text)
}

// echo is a broken debug page that repeats the whole request.
func (s *Server) echo(w http.ResponseWriter, r *http.Request) {
	s.record(Hit{Method: r.Method, Path: r.URL.Path})
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>Bad request %s %s Authorization: %s</title></head><body><pre>\n", r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"))
	for k, vs := range r.Header {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	b.WriteString("</pre></body></html>\n")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte(b.String()))
}

func (s *Server) record(h Hit) {
	s.mu.Lock()
	s.hits = append(s.hits, h)
	s.mu.Unlock()
}

// key is the row of woocommerce_api_keys the consumer key found.
type key struct{ permissions string }

// authState is what WC_REST_Authentication keeps during one request.
type authState struct {
	user   *key
	err    *Error
	method string // $this->auth_method
	via    string // for Hit.Auth
}

func authErr(msg string) *Error {
	return &Error{Code: "woocommerce_rest_authentication_error", Message: msg, Status: http.StatusUnauthorized}
}

func (s *Server) lookup(consumerKey string) *key {
	if consumerKey == s.o.Key {
		return &key{permissions: s.o.Permissions}
	}
	return nil
}

// authenticate is WC_REST_Authentication::authenticate().
func (s *Server) authenticate(r *http.Request) authState {
	var a authState
	if r.TLS != nil { // is_ssl()
		if s.basic(r, &a) {
			return a
		}
	}
	s.oauth(r, &a)
	return a
}

// basic is perform_basic_authentication(): the query first, then
// PHP_AUTH_USER/PHP_AUTH_PW. An unknown key sets no error at all.
func (s *Server) basic(r *http.Request, a *authState) bool {
	a.method = "basic_auth"
	get := phpGet(r.URL.RawQuery)
	ck, cs := "", ""
	if get["consumer_key"] != "" && get["consumer_secret"] != "" {
		ck, cs = get["consumer_key"], get["consumer_secret"]
		a.via = "query"
	}
	if ck == "" {
		if u, p, ok := r.BasicAuth(); ok && u != "" && p != "" {
			ck, cs = u, p
			a.via = "basic"
		}
	}
	if ck == "" || cs == "" {
		return false
	}
	a.user = s.lookup(ck)
	if a.user == nil {
		return false
	}
	if subtle.ConstantTimeCompare([]byte(s.o.Secret), []byte(cs)) != 1 {
		a.user, a.err = nil, authErr("Consumer secret is invalid.")
		return false
	}
	return true
}

var headerParam = regexp.MustCompile(`(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))`)

// oauthParams is get_oauth_parameters(): $_GET merged with the
// Authorization header's oauth_* parameters, which win.
func (s *Server) oauthParams(r *http.Request, a *authState) map[string]string {
	params := phpGet(r.URL.RawQuery)
	if params["oauth_signature"] != "" {
		a.via = "oauth-query"
	}
	if h := strings.TrimSpace(r.Header.Get("Authorization")); strings.HasPrefix(h, "OAuth ") {
		for _, m := range headerParam.FindAllStringSubmatch(h, -1) {
			v := m[3]
			if v == "" {
				v = m[4]
			}
			params[m[1]], _ = url.QueryUnescape(v) // PHP's urldecode()
			a.via = "oauth-header"
		}
	}
	var missing []string
	have := false
	for _, n := range []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"} {
		if params[n] == "" || params[n] == "0" { // PHP's empty()
			missing = append(missing, n)
		} else {
			have = true
		}
	}
	if !have {
		return nil
	}
	if len(missing) > 0 {
		word := "parameter"
		if len(missing) > 1 {
			word = "parameters"
		}
		a.user = nil
		a.err = &Error{Code: "woocommerce_rest_authentication_missing_parameter", Message: "Missing OAuth " + word + " " + strings.Join(missing, ", "), Status: http.StatusUnauthorized}
		return nil
	}
	return params
}

// oauth is perform_oauth_authentication().
func (s *Server) oauth(r *http.Request, a *authState) {
	a.method = "oauth1"
	params := s.oauthParams(r, a)
	if params == nil {
		return
	}
	a.user = s.lookup(params["oauth_consumer_key"])
	if a.user == nil {
		a.err = authErr("Consumer key is invalid.")
		return
	}
	if e := s.checkSignature(r, params); e != nil {
		a.user, a.err = nil, e
		return
	}
	if e := s.checkTimestampAndNonce(params["oauth_timestamp"], params["oauth_nonce"]); e != nil {
		a.user, a.err = nil, e
	}
}

// checkSignature is check_oauth_signature(): the base URI is the home URL
// plus the request path after the site's folder, so "/?rest_route=" signs
// as "http://host" without the slash RFC 5849 would keep.
func (s *Server) checkSignature(r *http.Request, params map[string]string) *Error {
	method := strings.ToUpper(r.Method)
	requestPath, _, _ := strings.Cut(r.RequestURI, "?")
	if wpBase := s.o.BasePath + "/"; strings.HasPrefix(requestPath, wpBase) {
		requestPath = requestPath[len(wpBase):]
	}
	home := s.home()
	if requestPath != "" {
		home += "/" + strings.TrimLeft(requestPath, "/")
	}
	baseRequestURI := rawurlencode(home)
	consumerSig, _ := url.PathUnescape(strings.ReplaceAll(params["oauth_signature"], " ", "+"))
	// $_GET with the header's oauth_* merged over it (get_oauth_parameters()).
	all := phpParse(r.URL.RawQuery)
	for n, v := range params {
		if strings.HasPrefix(n, "oauth_") {
			all.put(n, &phpNode{value: v})
		}
	}
	names := make([]string, 0, len(all.keys))
	for _, n := range all.keys {
		if n != "oauth_signature" {
			names = append(names, n)
		}
	}
	sort.Strings(names) // uksort( $params, 'strcmp' )
	var parts []string
	for _, n := range names {
		parts = joinWithEqualsSign(parts, urlencodeRFC3986(n), all.kids[n])
	}
	toSign := method + "&" + baseRequestURI + "&" + strings.Join(parts, "%26")
	var h func() hash.Hash
	switch params["oauth_signature_method"] {
	case "HMAC-SHA1":
		h = sha1.New
	case "HMAC-SHA256":
		h = sha256.New
	default:
		return authErr("Invalid signature - signature method is invalid.")
	}
	mac := hmac.New(h, []byte(s.o.Secret+"&"))
	mac.Write([]byte(toSign))
	if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(consumerSig)) {
		return authErr("Invalid signature - provided signature does not match.")
	}
	return nil
}

// checkTimestampAndNonce is check_oauth_timestamp_and_nonce().
func (s *Server) checkTimestampAndNonce(timestamp, nonce string) *Error {
	const window = 15 * 60
	ts, _ := strconv.ParseInt(timestamp, 10, 64) // PHP reads "abc" as 0
	now := s.now().Unix()
	if ts < now-window || ts > now+window {
		return authErr("Invalid timestamp.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, used := range s.nonces {
		if used == nonce {
			return authErr("Invalid nonce - nonce has already been used.")
		}
	}
	s.nonces[ts] = nonce
	for t := range s.nonces {
		if t < now-window {
			delete(s.nonces, t)
		}
	}
	return nil
}

// checkPermissions is check_permissions() on rest_pre_dispatch.
func checkPermissions(k *key, method string) *Error {
	p := k.permissions
	switch method {
	case http.MethodHead, http.MethodGet:
		if p != Read && p != ReadWrite {
			return authErr("The API key provided does not have read permissions.")
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if p != Write && p != ReadWrite {
			return authErr("The API key provided does not have write permissions.")
		}
	case http.MethodOptions:
	default:
		return authErr("Unknown request method.")
	}
	return nil
}

// rest is WP_REST_Server::serve_request() for one route.
func (s *Server) rest(w http.ResponseWriter, r *http.Request, route string) {
	hit := Hit{Method: r.Method, Path: r.URL.Path, Route: route}
	defer func() { s.record(hit) }()
	h := w.Header()
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Link", `<`+s.apiRoot()+`>; rel="https://api.w.org/"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	h.Set("Content-Type", "application/json; charset=UTF-8")
	if s.o.Fatal {
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"code":"internal_server_error","message":"<p>There has been a critical error on this website.<\/p><p><a href=\"https:\/\/wordpress.org\/documentation\/article\/faq-troubleshooting\/\">Learn more about troubleshooting WordPress.<\/a><\/p>","data":{"status":500},"additional_errors":[]}`))
		return
	}
	trimmed := strings.Trim(route, "/")
	var a authState
	if !s.o.NoWooCommerce && (strings.HasPrefix(trimmed, "wc/") || strings.HasPrefix(trimmed, "wc-")) {
		a = s.authenticate(r)
	}
	hit.Auth = a.via
	fail := func(e *Error) {
		// send_unauthorized_headers(): only while auth_method is still
		// basic_auth, which a failed Basic never leaves it at, since
		// perform_oauth_authentication() runs next and sets "oauth1".
		if a.err != nil && a.method == "basic_auth" {
			h.Set("WWW-Authenticate", `Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."`)
		}
		writeError(w, e)
	}
	// rest_authentication_errors, in priority order.
	switch {
	case s.o.BlockREST != nil:
		fail(s.o.BlockREST)
		return
	case s.o.RequireLogin && a.user == nil:
		fail(&Error{Code: "rest_not_logged_in", Message: "You are not currently logged in.", Status: http.StatusUnauthorized})
		return
	case a.err != nil:
		fail(a.err)
		return
	}
	// rest_pre_dispatch: the key's permission, before the route is matched.
	if a.user != nil {
		if e := checkPermissions(a.user, r.Method); e != nil {
			fail(e)
			return
		}
	}
	fields := phpGet(r.URL.RawQuery)["_fields"]
	switch {
	case trimmed == "" && r.Method == http.MethodGet:
		hit.Dispatched = "GET /"
		h.Set("Allow", "GET")
		writeJSON(w, http.StatusOK, s.index(fields))
	case trimmed == "wc/v3/system_status" && !s.o.NoWooCommerce && r.Method == http.MethodGet:
		h.Set("Allow", "GET")
		if a.user == nil || s.o.NoManageWooCommerce {
			fail(&Error{Code: "woocommerce_rest_cannot_view", Message: "Sorry, you cannot list resources.", Status: requiredCode(a)})
			return
		}
		hit.Dispatched = "GET wc/v3/system_status"
		writeJSON(w, http.StatusOK, s.systemStatus(fields))
	case trimmed == "wc/v3/products" && !s.o.NoWooCommerce && r.Method == http.MethodPost:
		// A real handler that writes: a probe must never get here.
		h.Set("Allow", "GET, POST")
		if a.user == nil {
			fail(&Error{Code: "woocommerce_rest_cannot_create", Message: "Sorry, you are not allowed to create resources.", Status: requiredCode(a)})
			return
		}
		hit.Dispatched, hit.Wrote = "POST wc/v3/products", true
		s.createProduct(w, r)
	case trimmed == "wc/v3/products" && !s.o.NoWooCommerce && r.Method == http.MethodGet:
		h.Set("Allow", "GET, POST")
		if a.user == nil {
			fail(&Error{Code: "woocommerce_rest_cannot_view", Message: "Sorry, you cannot list resources.", Status: requiredCode(a)})
			return
		}
		hit.Dispatched = "GET wc/v3/products"
		s.listProducts(w, r)
	case productRoute.MatchString(trimmed) && !s.o.NoWooCommerce && r.Method == http.MethodGet:
		h.Set("Allow", "GET, POST, PUT, PATCH, DELETE")
		if a.user == nil {
			fail(&Error{Code: "woocommerce_rest_cannot_view", Message: "Sorry, you cannot view this resource.", Status: requiredCode(a)})
			return
		}
		hit.Dispatched = "GET wc/v3/products/{id}"
		s.getProduct(w, productRoute.FindStringSubmatch(trimmed)[1])
	default:
		writeError(w, &Error{Code: "rest_no_route", Message: "No route was found matching the URL and request method.", Status: http.StatusNotFound})
	}
}

// requiredCode is rest_authorization_required_code().
func requiredCode(a authState) int {
	if a.user != nil {
		return http.StatusForbidden
	}
	return http.StatusUnauthorized
}

// productRoute is register_rest_route()'s '/products/(?P<id>[\d]+)'.
var productRoute = regexp.MustCompile(`^wc/v3/products/(\d+)$`)

var wcNamespaces = []string{"oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wc/store", "wc/store/v1", "wc-admin", "wc-analytics", "wc-telemetry", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"}
var wpNamespaces = []string{"oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"}

type field struct {
	name  string
	value any
}

// index is get_index(), filtered by _fields as rest_filter_response_fields() does.
func (s *Server) index(fields string) orderedJSON {
	ns := wcNamespaces
	if s.o.NoWooCommerce {
		ns = wpNamespaces
	}
	all := orderedJSON{
		{"name", s.o.ShopName}, {"description", "Just another WordPress site"},
		{"url", s.home()}, {"home", s.home()}, {"gmt_offset", "0"}, {"timezone_string", ""},
		{"namespaces", ns}, {"authentication", []any{}}, {"routes", map[string]any{}},
	}
	return all.only(fields)
}

func (s *Server) systemStatus(fields string) orderedJSON {
	env := orderedJSON{
		{"home_url", s.home()}, {"site_url", s.home()}, {"version", s.o.WCVersion},
		{"wp_version", s.o.WPVersion}, {"wp_multisite", false},
	}
	out := orderedJSON{{"environment", env}}
	if fields == "" {
		return out
	}
	var keep orderedJSON
	for _, f := range env {
		if containsField(fields, "environment") || containsField(fields, "environment."+f.name) {
			keep = append(keep, f)
		}
	}
	if keep == nil {
		return orderedJSON{}
	}
	return orderedJSON{{"environment", keep}}
}

func containsField(fields, name string) bool {
	for _, f := range strings.Split(fields, ",") {
		if strings.TrimSpace(f) == name {
			return true
		}
	}
	return false
}

type orderedJSON []field

func (o orderedJSON) only(fields string) orderedJSON {
	if fields == "" {
		return o
	}
	out := orderedJSON{}
	for _, f := range o {
		if containsField(fields, f.name) {
			out = append(out, f)
		}
	}
	return out
}

func (o orderedJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeError(w http.ResponseWriter, e *Error) {
	writeJSON(w, e.Status, orderedJSON{{"code", e.Code}, {"message", e.Message}, {"data", orderedJSON{{"status", e.Status}}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_, _ = w.Write(phpJSON(v))
}

// phpJSON encodes v as wp_json_encode() does with no options: "/" as "\/",
// every character outside ASCII as \uXXXX, "<" ">" "&" as they are.
func phpJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	raw := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	var out bytes.Buffer
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		switch {
		case r == '/':
			out.WriteString(`\/`)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		case r >= 0x80:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.WriteRune(r)
		}
		raw = raw[n:]
	}
	return out.Bytes()
}

// phpGet reads a query string as PHP fills $_GET for plain names: "+" is a
// space and the last of repeated names wins.
func phpGet(raw string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		kk, err1 := url.QueryUnescape(k)
		vv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		out[kk] = vv
	}
	return out
}

// rawurlencode is PHP's: everything but A-Z a-z 0-9 - _ . ~ as %XX.
func rawurlencode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// urlencodeRFC3986 is wc_rest_urlencode_rfc3986().
func urlencodeRFC3986(s string) string {
	return strings.NewReplacer("+", " ", "%7E", "~").Replace(rawurlencode(s))
}
