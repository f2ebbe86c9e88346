// Package pstest is a PrestaShop webservice emulator for tests: an httptest
// server on 127.0.0.1 that answers /api/ and /webservice/dispatcher.php the
// way PrestaShop's public source does, byte for byte where it matters:
//
//   - webservice/dispatcher.php: the bare "401 Unauthorized" when no key
//     arrives (neither PHP_AUTH_USER nor ws_key), with the Basic realm;
//   - classes/webservice/WebserviceRequest.php: fetch(), isActivated() (error
//     22), authenticate() (errors 16-21 and WWW-Authenticate),
//     shopHasRight() (error 132), returnOutput() headers (Access-Time,
//     X-Powered-By, Execution-Time, PSWS-Version only once authenticated,
//     Content-Sha1 on success);
//   - classes/webservice/WebserviceOutputBuilder.php: getResourcesList()
//     (shopName, shop_name up to 1.6.0; patch attributes from 8.0, as in
//     devdocs.prestashop-project.org/8/webservice/getting-started),
//     buildHeader() (the header list starts with 'PSWS-Version' => 0, so
//     unauthenticated answers carry "PSWS-Version: 0"), setStatus();
//   - classes/webservice/WebserviceOutputXML.php: renderErrors() with CDATA
//     code and message, renderNodeHeader(), overrideContent().
//
// Each server records the requests it got, so tests can assert how many came
// and whether the key travelled in the Authorization header or as ws_key.
package pstest

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultKey is the key a server accepts when Options.Key is empty. It is
// drawn from PrestaShop's generator alphabet (1-9, A-Z without O).
const DefaultKey = "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN"

// Realm is the WWW-Authenticate value of dispatcher.php and
// WebserviceRequest::authenticate().
const Realm = `Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."`

// Options choose which PrestaShop, and which trouble, a server emulates.
type Options struct {
	// Version is _PS_VERSION_: "8.1.4" (default), "1.7.8.11", "1.6.1.24",
	// "1.6.0.14", "1.5.6.2", "1.4.11.0". It decides the root attributes,
	// the Content-Type and the error variants.
	Version string
	Key     string // the one valid key; DefaultKey when empty
	// ShopName is PS_SHOP_NAME; "PrestaShop" when empty.
	ShopName string
	// BasePath is __PS_BASE_URI__ without the trailing slash ("/shop").
	BasePath string
	// Permissions of the key by resource; nil gives full access to a few
	// common resources (GET, PUT, POST, PATCH (8+), DELETE, HEAD).
	Permissions map[string][]string

	Disabled        bool // PS_WEBSERVICE off: error 22
	StripAuthHeader bool // the server drops Authorization (PHP as CGI)
	NoRewrite       bool // /api/ is not rewritten: nginx's 404 page
	KeyDisabled     bool // the key exists but is not active: errors 20 and 21
	NoPermissions   bool // the key is active without any permission: error 21
	WrongShop       bool // the key is not associated with this shop: error 132
	// RedirectTo answers every request outside BasePath with a 301 to
	// RedirectTo + the request URI: "/shop" stays on this host, a full URL
	// ("http://127.0.0.1:8081") sends the client elsewhere.
	RedirectTo string
	// Site, when set, makes the server no PrestaShop at all: every request
	// gets a 200 HTML page with this title.
	Site string
	// Fail500 answers every request like a PHP fatal error with
	// display_errors off: 500 and an empty body.
	Fail500 bool
	// Delay holds every answer back (for time-out tests).
	Delay time.Duration
	// Products is how many demo products /api/products lists at first
	// (default 3); POST /api/products adds to them.
	Products int
}

// Hit is one request the server received.
type Hit struct {
	Method string
	Path   string
	Query  string // the raw query, ws_key included: tests only
	// Authorization: the request carried an Authorization header;
	// WSKey: it carried a ws_key parameter.
	Authorization bool
	WSKey         bool
	// OutputFormat is what Output-Format, Io-Format, output_format or
	// io_format asked for ("" for XML by default).
	OutputFormat string
}

// Server is a running emulator.
type Server struct {
	*httptest.Server
	opts Options

	mu       sync.Mutex
	hits     []Hit
	products []Product
}

// New starts a plain HTTP emulator on 127.0.0.1. Close it when done.
func New(opts Options) *Server {
	s := Handler(opts)
	s.Server = httptest.NewServer(s)
	return s
}

// NewTLS starts an HTTPS emulator on 127.0.0.1 with httptest's self-signed
// certificate: clients trust it only with s.Certificate() in their roots.
func NewTLS(opts Options) *Server {
	s := Handler(opts)
	s.Server = httptest.NewTLSServer(s)
	return s
}

// Handler returns the emulator as a handler, for mounting elsewhere; its
// hits are recorded on the returned Server value (which has no listener).
func Handler(opts Options) *Server {
	o := withDefaults(opts)
	return &Server{opts: o, products: seedProducts(o.Products)}
}

func withDefaults(o Options) Options {
	if o.Version == "" {
		o.Version = "8.1.4"
	}
	if o.Key == "" {
		o.Key = DefaultKey
	}
	if o.ShopName == "" {
		o.ShopName = "PrestaShop"
	}
	if o.Products == 0 {
		o.Products = 3
	}
	o.BasePath = strings.TrimRight(o.BasePath, "/")
	if o.BasePath == "" && strings.HasPrefix(o.RedirectTo, "/") {
		o.BasePath = strings.TrimRight(o.RedirectTo, "/")
	}
	return o
}

// Key returns the key the server accepts.
func (s *Server) Key() string { return s.opts.Key }

// Host returns host:port, the value for the store_url field.
func (s *Server) Host() string {
	return strings.TrimPrefix(strings.TrimPrefix(s.URL, "http://"), "https://")
}

// StoreURL returns Host plus BasePath.
func (s *Server) StoreURL() string { return s.Host() + s.opts.BasePath }

// Hits returns a copy of the requests received so far.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// Requests is how many requests arrived.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hits)
}

// SawAuthorization reports whether any request carried an Authorization header.
func (s *Server) SawAuthorization() bool {
	for _, h := range s.Hits() {
		if h.Authorization {
			return true
		}
	}
	return false
}

// SawWSKey reports whether any request carried a ws_key parameter.
func (s *Server) SawWSKey() bool {
	for _, h := range s.Hits() {
		if h.WSKey {
			return true
		}
	}
	return false
}

func (s *Server) record(r *http.Request) {
	h := Hit{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization") != "",
		WSKey:         r.URL.Query().Has("ws_key"),
		OutputFormat:  outputFormat(r),
	}
	s.mu.Lock()
	s.hits = append(s.hits, h)
	s.mu.Unlock()
}

// outputFormat follows WebserviceRequest::getOutputObject and fetch().
func outputFormat(r *http.Request) string {
	for _, h := range []string{"Io-Format", "Output-Format"} {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	q := r.URL.Query()
	for _, p := range []string{"output_format", "io_format"} {
		if v := q.Get(p); v != "" {
			return v
		}
	}
	return ""
}

// ServeHTTP routes like the shop's .htaccess: ^api/(.*)$ to
// webservice/dispatcher.php?url=$1 (Tools::generateHtaccess).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	o := s.opts
	if o.Delay > 0 {
		select {
		case <-time.After(o.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if o.RedirectTo != "" && (!strings.HasPrefix(o.RedirectTo, "/") || !strings.HasPrefix(r.URL.Path, o.BasePath+"/")) {
		apacheRedirect(w, strings.TrimRight(o.RedirectTo, "/")+r.URL.RequestURI())
		return
	}
	if o.Site != "" {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body>\n<h1>%s</h1>\n</body>\n</html>\n", o.Site, o.Site)
		return
	}
	if o.Fail500 {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, o.BasePath)
	switch {
	case path == "/webservice/dispatcher.php":
		s.dispatch(w, r, r.URL.Query().Get("url"))
	case (path == "/api" || strings.HasPrefix(path, "/api/")) && !o.NoRewrite:
		s.dispatch(w, r, strings.TrimPrefix(strings.TrimPrefix(path, "/api"), "/"))
	default:
		nginx404(w)
	}
}

// nginx404 is nginx's own page (src/http/ngx_http_special_response.c).
func nginx404(w http.ResponseWriter) {
	w.Header().Set("Server", "nginx")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}

// apacheRedirect is Apache httpd's 301 page (modules/http/http_protocol.c).
func apacheRedirect(w http.ResponseWriter, loc string) {
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(http.StatusMovedPermanently)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n<p>The document has moved <a href=\"%s\">here</a>.</p>\n</body></html>\n", loc)
}

// dispatch is webservice/dispatcher.php followed by WebserviceRequest::fetch.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, urlParam string) {
	o := s.opts
	key, hasKey := "", false
	if user, _, ok := r.BasicAuth(); ok && !o.StripAuthHeader {
		key, hasKey = user, true
	} else if r.URL.Query().Has("ws_key") {
		key, hasKey = r.URL.Query().Get("ws_key"), true
	}
	v := parseVersion(o.Version)
	if !hasKey {
		// dispatcher.php: header(SERVER_PROTOCOL.' 401 Unauthorized'); die('401 Unauthorized');
		w.Header().Set("WWW-Authenticate", Realm)
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.Header().Set("X-Powered-By", v.php)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "401 Unauthorized")
		return
	}
	start := time.Now()
	out := &output{status: http.StatusOK, contentType: v.contentType}
	authenticated := false
	key = strings.TrimSpace(key)
	switch {
	case o.Disabled && v.major == 1 && v.minor <= 4:
		out.fail(http.StatusNotFound, 0, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office")
	case o.Disabled:
		out.fail(http.StatusServiceUnavailable, 22, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office")
	case key == "":
		out.authFail(w, 17, "Authentication key is empty")
	case len(key) != 32:
		out.authFail(w, 18, "Invalid authentication key format")
	case key != o.Key && v.before(1, 6):
		out.authFail(w, 19, "Authentification key does not exist")
		out.authFail(w, 21, "No permission for this authentication key")
	case key != o.Key || o.KeyDisabled:
		out.authFail(w, 20, "Authentification key is not active")
		out.authFail(w, 21, "No permission for this authentication key")
	case o.NoPermissions:
		out.authFail(w, 21, "No permission for this authentication key")
	case o.WrongShop:
		authenticated = true
		out.fail(http.StatusForbidden, 132, "No permission for this key on this shop")
	default:
		authenticated = true
	}
	if out.errs == nil && strings.EqualFold(outputFormat(r), "JSON") && v.major >= 8 {
		// The observation: PrestaShop 8 on PHP 8 fails the root listing in JSON.
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	name, id, _ := strings.Cut(strings.Trim(urlParam, "/"), "/")
	if _, known := s.permissions(v)[name]; out.errs == nil && name != "" && !known {
		out.fail(http.StatusBadRequest, 27, fmt.Sprintf("Resource of type \"%s\" does not exists. Did you mean: \"products\"?", name))
	}
	var body string
	switch {
	case out.errs != nil:
	case name == "":
		body = s.resourcesList(r, v)
	default:
		body = s.resource(r, out, name, id)
	}
	if out.errs != nil {
		body = out.render()
	}
	h := w.Header()
	h.Set("Access-Time", strconv.FormatInt(time.Now().Unix(), 10))
	h.Set("X-Powered-By", "PrestaShop Webservice")
	if authenticated {
		h.Set("PSWS-Version", o.Version)
	} else {
		h.Set("PSWS-Version", "0")
	}
	h.Set("Content-Type", out.contentType)
	h.Set("Execution-Time", fmt.Sprintf("%.3f", time.Since(start).Seconds()))
	if out.errs == nil {
		sum := sha1.Sum([]byte(body))
		h.Set("Content-Sha1", hex.EncodeToString(sum[:]))
	}
	w.WriteHeader(out.status)
	if r.Method != http.MethodHead {
		fmt.Fprint(w, body)
	}
}

type output struct {
	status      int
	contentType string
	errs        []psError
}

type psError struct {
	code    int
	message string
}

func (o *output) fail(status, code int, msg string) {
	o.status = status
	o.errs = append(o.errs, psError{code, msg})
}

// authFail is an error of WebserviceRequest::authenticate(), which also sends the realm.
func (o *output) authFail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("WWW-Authenticate", Realm)
	o.fail(http.StatusUnauthorized, code, msg)
}

// render is WebserviceOutputBuilder::getErrors through WebserviceOutputXML.
func (o *output) render() string {
	var b strings.Builder
	b.WriteString("<errors>\n")
	for _, e := range o.errs {
		b.WriteString("<error>\n")
		if e.code != 0 {
			fmt.Fprintf(&b, "<code><![CDATA[%d]]></code>\n", e.code)
		}
		fmt.Fprintf(&b, "<message><![CDATA[%s]]></message>\n", e.message)
		b.WriteString("</error>\n")
	}
	b.WriteString("</errors>\n")
	return overrideContent(b.String())
}

func overrideContent(content string) string {
	return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n" + content + "</prestashop>\n"
}

// resource descriptions from WebserviceRequest::getResources (8.x).
var descriptions = map[string]string{
	"addresses":        "The Customer, Brand and Customer addresses",
	"categories":       "The product categories",
	"customers":        "The e-shop's customers",
	"images":           "The images",
	"orders":           "The Customers orders",
	"products":         "The products",
	"stock_availables": "Available quantities",
}

// specific management resources have no schema links.
var specific = map[string]bool{"images": true, "attachments": true, "search": true}

// resourcesList is WebserviceOutputBuilder::getResourcesList.
func (s *Server) resourcesList(r *http.Request, v version) string {
	wsURL := s.wsURL(r)
	perms := s.permissions(v)
	names := make([]string, 0, len(perms))
	for n := range perms {
		names = append(names, n)
	}
	sortStrings(names) // ksort($resources)
	attr := "shopName"
	if v.before(1, 6, 1) {
		attr = "shop_name"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<api %s=\"%s\">\n", attr, htmlspecialchars(s.opts.ShopName, v.major >= 8))
	for _, name := range names {
		ms := perms[name]
		flag := func(m string) string {
			for _, x := range ms {
				if strings.EqualFold(x, m) {
					return "true"
				}
			}
			return "false"
		}
		more := fmt.Sprintf(` xlink:href="%s%s" get="%s" put="%s" post="%s"`, wsURL, name, flag("GET"), flag("PUT"), flag("POST"))
		if v.major >= 8 {
			more += fmt.Sprintf(` patch="%s"`, flag("PATCH"))
		}
		more += fmt.Sprintf(` delete="%s" head="%s"`, flag("DELETE"), flag("HEAD"))
		desc, ok := descriptions[name]
		if !ok {
			desc = "The " + strings.ReplaceAll(name, "_", " ")
		}
		fmt.Fprintf(&b, "<%s%s>\n", name, more)
		fmt.Fprintf(&b, "<description%s>\n%s</description>\n", more, desc)
		if !specific[name] {
			fmt.Fprintf(&b, "<schema xlink:href=\"%s%s?schema=blank\" type=\"blank\"/>\n", wsURL, name)
			fmt.Fprintf(&b, "<schema xlink:href=\"%s%s?schema=synopsis\" type=\"synopsis\"/>\n", wsURL, name)
		}
		fmt.Fprintf(&b, "</%s>\n", name)
	}
	b.WriteString("</api>\n")
	return overrideContent(b.String())
}

// permissions are the key's methods by resource.
func (s *Server) permissions(v version) map[string][]string {
	if s.opts.Permissions != nil {
		return s.opts.Permissions
	}
	all := []string{"GET", "PUT", "POST", "DELETE", "HEAD"}
	if v.major >= 8 {
		all = append(all, "PATCH")
	}
	perms := map[string][]string{}
	for name := range descriptions {
		perms[name] = all
	}
	return perms
}

// htmlspecialchars as PHP does it: ENT_QUOTES from PHP 8.1 (PrestaShop 8),
// ENT_COMPAT before.
func htmlspecialchars(s string, quotes bool) string {
	r := []string{"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;"}
	if quotes {
		r = append(r, "'", "&#039;")
	}
	return strings.NewReplacer(r...).Replace(s)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// version holds what differs between PrestaShop releases here.
type version struct {
	parts       []int
	major       int
	minor       int
	contentType string
	php         string
}

func parseVersion(s string) version {
	var v version
	for _, p := range strings.Split(s, ".") {
		n, _ := strconv.Atoi(p)
		v.parts = append(v.parts, n)
	}
	for len(v.parts) < 4 {
		v.parts = append(v.parts, 0)
	}
	v.major, v.minor = v.parts[0], v.parts[1]
	// PHP appends ";charset=UTF-8" to text/* types since default_charset is
	// UTF-8 (PHP 5.6, the oldest PHP 1.7 runs on); 1.6 shops mostly ran older PHP.
	switch {
	case v.major >= 8:
		v.contentType, v.php = "text/xml;charset=UTF-8", "PHP/8.1.27"
	case v.minor >= 7:
		v.contentType, v.php = "text/xml;charset=UTF-8", "PHP/7.4.33"
	default:
		v.contentType, v.php = "text/xml", "PHP/5.6.40"
	}
	return v
}

// before reports whether v is older than the given version.
func (v version) before(want ...int) bool {
	for i, w := range want {
		if v.parts[i] != w {
			return v.parts[i] < w
		}
	}
	return false
}

// BasicAuth returns the Authorization value PrestaShop clients send for key.
func BasicAuth(key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))
}
