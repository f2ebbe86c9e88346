package magentotest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// apiError is an exception as Rest\Response::_renderMessages renders it.
type apiError struct {
	status  int
	message string
	params  any // []string (%1...) or ordered fields (%name)
	errors  []apiError
}

// orderedFields keep PHP's array order in the JSON.
type orderedFields [][2]any

func list(v ...string) []string { return v }

func fields(kv ...any) orderedFields {
	var out orderedFields
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, [2]any{kv[i], kv[i+1]})
	}
	return out
}

// inputErr is an OauthInputException/InputException: 400.
func inputErr(msg string, params any) *apiError {
	return &apiError{status: http.StatusBadRequest, message: msg, params: params}
}

// authErr is an Oauth\Exception/AuthenticationException: 401.
func authErr(msg string, params any) *apiError {
	return &apiError{status: http.StatusUnauthorized, message: msg, params: params}
}

// phpJSON encodes like PHP's json_encode without flags (Zend_Json::encode):
// "/" as "\/", non-ASCII as \uXXXX, no HTML escaping.
func phpJSON(v any) string {
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case []string:
		b.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, s)
		}
		b.WriteByte(']')
	case []any:
		b.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, s)
		}
		b.WriteByte(']')
	case orderedFields:
		if len(x) == 0 {
			b.WriteString("[]") // an empty PHP array
			return
		}
		b.WriteByte('{')
		for i, kv := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, fmt.Sprint(kv[0]))
			b.WriteByte(':')
			writeJSON(b, kv[1])
		}
		b.WriteByte('}')
	default:
		data, _ := json.Marshal(x)
		b.Write(data)
	}
}

func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/':
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				r1, r2 := utf16Pair(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			} else if r == utf8.RuneError {
				b.WriteString(`\ufffd`)
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}

// body renders the error as Rest\Response::_renderMessages does.
func (s *Server) body(e *apiError) string {
	f := fields("message", e.message)
	if len(e.errors) > 0 {
		var errs []any
		for _, sub := range e.errors {
			errs = append(errs, fields("message", sub.message, "parameters", sub.params))
		}
		f = append(f, [2]any{"errors", errs})
	}
	switch p := e.params.(type) {
	case []string:
		if len(p) > 0 {
			f = append(f, [2]any{"parameters", p})
		}
	case orderedFields:
		if len(p) > 0 {
			f = append(f, [2]any{"parameters", p})
		}
	}
	if s.opts.DeveloperMode {
		f = append(f, [2]any{"trace", "#0 /var/www/html/vendor/magento/framework/Webapi/ErrorProcessor.php(123): ...\n#1 {main}"})
	}
	return phpJSON(f)
}

func (s *Server) header(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Date", s.now().UTC().Format(http.TimeFormat))
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	s.header(w)
	w.WriteHeader(e.status)
	_, _ = io.WriteString(w, s.body(e))
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	s.header(w)
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, phpJSON(v))
}

// storefront404 is what a path outside the API gets: Magento's CMS
// "404 Not Found" page, or the web server's own page without rewrites.
func (s *Server) storefront404(w http.ResponseWriter, webServer bool) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	if webServer {
		_, _ = io.WriteString(w, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		return
	}
	_, _ = io.WriteString(w, "<!doctype html>\n<html lang=\"en\">\n    <head >\n        <meta charset=\"utf-8\"/>\n<title>404 Not Found</title>\n</head>\n<body data-container=\"body\" class=\"cms-no-route cms-noroute-index page-layout-2columns-right\">\n<h1 class=\"page-title\"><span class=\"base\" data-ui-id=\"page-title-wrapper\" >Whoops, our bad...</span></h1>\n</body>\n</html>\n")
}

// route is one entry of a module's etc/webapi.xml.
type route struct {
	method, path, resource string
	handle                 func(s *Server, w http.ResponseWriter, r *http.Request, store string)
}

var routes = []route{
	// app/code/Magento/Directory/etc/webapi.xml
	{"GET", "/V1/directory/currency", "anonymous", (*Server).currency},
	// app/code/Magento/Store/etc/webapi.xml (Magento_Backend::store since 2.2)
	{"GET", "/V1/store/storeConfigs", "Magento_Backend::store", (*Server).storeConfigs},
	// app/code/Magento/Catalog/etc/webapi.xml
	{"GET", "/V1/products", "Magento_Catalog::products", (*Server).products},
	{"POST", "/V1/products", "Magento_Catalog::products", (*Server).createProduct},
	// app/code/Magento/Sales/etc/webapi.xml
	{"GET", "/V1/orders", "Magento_Sales::actions_view", (*Server).orders},
	// app/code/Magento/Backend/etc/webapi.xml
	{"GET", "/V1/modules", "Magento_Backend::admin", (*Server).modules},
	// app/code/Magento/Integration/etc/webapi.xml
	{"POST", "/V1/integration/admin/token", "anonymous", (*Server).adminToken},
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	if s.opts.StripAuthorization {
		auth = ""
	}
	hit := Hit{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Authorization: auth}
	if p, ok := headerParams(auth); ok {
		hit.SignatureMethod = p["oauth_signature_method"]
	}
	s.mu.Lock()
	s.hits = append(s.hits, hit)
	s.mu.Unlock()

	if s.opts.RedirectTo != "" {
		w.Header().Set("Location", s.opts.RedirectTo+r.RequestURI)
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusMovedPermanently)
		_, _ = io.WriteString(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n</body></html>\n")
		return
	}
	path := r.URL.Path
	var rest string
	switch {
	case strings.HasPrefix(path, "/index.php/rest/"):
		rest = strings.TrimPrefix(path, "/index.php/rest")
	case strings.HasPrefix(path, "/rest/") && !s.opts.NoRewrite:
		rest = strings.TrimPrefix(path, "/rest")
	default:
		s.storefront404(w, strings.HasPrefix(path, "/rest") && s.opts.NoRewrite)
		return
	}
	// Webapi\Controller\PathProcessor: a leading store code, or "all".
	store := "default"
	if seg, after, ok := strings.Cut(strings.TrimPrefix(rest, "/"), "/"); ok {
		if contains(s.opts.StoreCodes, seg) || seg == "all" {
			store, rest = seg, "/"+after
		}
	}
	var rt *route
	for i := range routes {
		if routes[i].method == r.Method && strings.EqualFold(routes[i].path, strings.TrimSuffix(rest, "/")) {
			rt = &routes[i]
		}
	}
	if rt == nil {
		// Webapi\Controller\Rest\Router::match
		s.writeError(w, &apiError{status: http.StatusNotFound, message: "Request does not match any route."})
		return
	}
	if s.opts.Fail500 {
		// ErrorProcessor::maskException outside developer mode
		s.writeError(w, &apiError{status: http.StatusInternalServerError, message: "Internal Error. Details are available in Magento log file. Report ID: " + reportID()})
		return
	}
	// RequestValidator::checkPermissions; GuestAuthorization lets
	// "anonymous" through without asking who the caller is.
	if rt.resource != "anonymous" {
		u, err := s.authenticate(r, auth)
		if err != nil {
			s.writeError(w, err)
			return
		}
		allowed := u == adminUser || (u == integration && (s.opts.Resources == nil || s.opts.Resources[rt.resource]))
		if !allowed {
			s.writeError(w, authErr("The consumer isn't authorized to access %resources.", fields("resources", rt.resource)))
			return
		}
	}
	if store == "all" && r.Method == http.MethodGet {
		s.writeError(w, inputErr("Cannot perform GET operation with store code 'all'", nil))
		return
	}
	rt.handle(s, w, r, store)
}

func (s *Server) currency(w http.ResponseWriter, _ *http.Request, _ string) {
	c := s.opts.Currency
	s.writeJSON(w, fields("base_currency_code", c, "base_currency_symbol", "$", "default_display_currency_code", c,
		"default_display_currency_symbol", "$", "available_currency_codes", []string{c},
		"exchange_rates", []any{fields("currency_to", c, "rate", 1)}))
}

func (s *Server) storeConfigs(w http.ResponseWriter, r *http.Request, _ string) {
	base := "http://" + r.Host + "/"
	var out []any
	for i, code := range s.opts.StoreCodes {
		out = append(out, fields("id", i+1, "code", code, "website_id", 1, "locale", s.opts.Locale,
			"base_currency_code", s.opts.Currency, "default_display_currency_code", s.opts.Currency,
			"timezone", "Europe/Prague", "weight_unit", "kgs",
			"base_url", base, "base_link_url", base, "base_static_url", base+"static/version1700000000/",
			"base_media_url", base+"media/", "secure_base_url", base, "secure_base_link_url", base,
			"secure_base_static_url", base+"static/version1700000000/", "secure_base_media_url", base+"media/"))
	}
	s.writeJSON(w, out)
}

func (s *Server) modules(w http.ResponseWriter, _ *http.Request, _ string) {
	s.writeJSON(w, []string{"Magento_Store", "Magento_Directory", "Magento_Catalog", "Magento_Sales", "Magento_Integration"})
}

// adminToken is AdminTokenService::createAdminAccessToken, wrapped by
// TwoFactorAuth's AdminAccessTokenService when 2FA is on.
func (s *Server) adminToken(w http.ResponseWriter, r *http.Request, _ string) {
	var in struct{ Username, Password string }
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err := json.Unmarshal(data, &in); err != nil {
		s.writeError(w, inputErr("Decoding error: %1", list(err.Error())))
		return
	}
	if in.Username != s.opts.AdminUser || in.Password != s.opts.AdminPassword {
		s.writeError(w, authErr("The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.", nil))
		return
	}
	if s.opts.TwoFactor {
		s.writeError(w, authErr("Please use the 2fa provider-specific endpoints to obtain a token.", fields("active_providers", []string{"google"})))
		return
	}
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	token := hex.EncodeToString(raw)
	if !versionBefore(s.opts.Version, "2.4.4") {
		token = "eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ." + token // 2.4.4+ issues JWTs
	}
	s.mu.Lock()
	s.admin[token] = true
	s.mu.Unlock()
	s.writeJSON(w, token)
}
