// Package magentotest is a Magento 2 REST API emulator for tests: an
// httptest server on 127.0.0.1 that checks OAuth 1.0 signatures on its own
// (it shares no code with connectors/oauth1) and answers the way Magento's
// public source does:
//
//   - lib/internal/Magento/Framework/Oauth/Helper/Request.php: protocol
//     parameters from the Authorization header (stripos 'oauth ', split on
//     ",", rawurldecode), query parameters split on "&" and "=" and
//     urldecoded (a name without "=" is dropped, duplicates keep the last),
//     the request URL as scheme://Host + REQUEST_URI;
//   - lib/internal/Magento/Framework/Oauth/Oauth.php: validateAccessTokenRequest,
//     _validateProtocolParams, _validateSignature and their messages;
//     getSupportedSignatureMethods() is HMAC-SHA1 and HMAC-SHA256 up to
//     2.4.3 and HMAC-SHA256 alone from 2.4.4;
//   - Laminas/Zend OAuth's Utility::sign and Signature classes (the base
//     string: rawurlencode, keys in strnatcmp order, the URL normalised with
//     lower-case host and no default port, query and fragment dropped; HMAC
//     keyed with the encoded secrets joined by "&"; RSA-SHA*; PLAINTEXT as
//     the secrets joined by "&", not encoded);
//   - app/code/Magento/Integration/Model/Oauth/Token/Provider.php and
//     Nonce/Generator.php: consumer, token and nonce messages (a timestamp
//     more than 600 s ahead becomes "An error occurred validating the nonce");
//   - app/code/Magento/Webapi/Controller/Rest/RequestValidator.php and
//     Router: the route is matched before authentication ("Request does not
//     match any route." 404), then the ACL check, which asks the user
//     context and so validates OAuth on every route, anonymous ones too
//     ("The consumer isn't authorized to access %resources.");
//   - lib/internal/Magento/Framework/Webapi/ErrorProcessor.php and
//     Rest/Response.php: {"message", "errors"?, "code"?, "parameters"?,
//     "trace" in developer mode}, 400/401/404/500 by exception type,
//     "Internal Error. Details are available in Magento log file. Report
//     ID: webapi-..." for unexpected errors; JSON from Zend_Json::encode
//     (PHP json_encode: "/" escaped, non-ASCII as \uXXXX), Content-Type
//     "application/json; charset=utf-8";
//   - app/code/Magento/Integration admin token service and
//     app/code/Magento/TwoFactorAuth/Model/AdminAccessTokenService.php:
//     POST /V1/integration/admin/token and its refusals;
//   - app/code/Magento/*/etc/webapi.xml: the routes and their ACL resources.
package magentotest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Credentials a server accepts when Options leave them empty: 32 characters
// each, as Magento's Helper\Oauth LENGTH_CONSUMER_KEY and LENGTH_TOKEN want.
const (
	DefaultConsumerKey    = "u1hvkyzeqs3ykcxfq6lzd3uu8uw9b0q2"
	DefaultConsumerSecret = "2rxrwgl2ph9wk8bh8v3kf6s7ovj9g1sa"
	DefaultAccessToken    = "ik4p0qbd7ye5oxnyl2gv0sdw4vh3ifkr"
	DefaultTokenSecret    = "xb0ws2kx6x6hsbm6snqv6ybaadhbr8xa"
	DefaultAdminUser      = "admin"
	DefaultAdminPassword  = "admin123!"
)

// AllMethods are the seven OAuth signature methods.
var AllMethods = []string{"HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512", "PLAINTEXT"}

// Options choose which Magento, and which trouble, a server emulates.
type Options struct {
	// Version is the Magento version: "2.4.7" (default), "2.4.3"... It picks
	// the supported signature methods and whether integration tokens work
	// as Bearer tokens.
	Version string

	ConsumerKey, ConsumerSecret, AccessToken, TokenSecret string // defaults above
	// RSAPublicKey verifies RSA-SHA* signatures.
	RSAPublicKey *rsa.PublicKey
	// SignatureMethods replaces Oauth::getSupportedSignatureMethods(), as a
	// store does that swaps OauthInterface for an extended class (a di.xml
	// preference); Laminas' Utility::sign implements all seven. nil: the
	// version's own.
	SignatureMethods []string
	// OnlySHA256 forces the 2.4.4+ behaviour on any version.
	OnlySHA256 bool
	// AllowBearerIntegrationToken is "Allow OAuth Access Tokens to be used as
	// standalone Bearer tokens" (2.4.4+; always on before).
	AllowBearerIntegrationToken bool
	TokenRevoked                bool // the integration's access token was revoked
	// Resources are the ACL resources granted to the integration; nil grants
	// all. Admin tokens always have all.
	Resources map[string]bool

	AdminUser, AdminPassword string // defaults above
	TwoFactor                bool   // Magento_TwoFactorAuth enabled with Google Authenticator

	// ClockOffset is how far the server's clock is from the test's.
	ClockOffset time.Duration
	// SeenScheme is the scheme Magento believes the request came with
	// ("https" behind a TLS proxy); "" is what it really was.
	SeenScheme string
	// StripAuthorization drops the Authorization header before PHP (CGI/FPM).
	StripAuthorization bool
	// NoRewrite: the web server does not rewrite /rest; only
	// /index.php/rest reaches Magento.
	NoRewrite bool
	// StoreCodes are the store views; "default" when nil.
	StoreCodes []string
	// Locale and Currency of the default store ("en_US", "USD").
	Locale, Currency string
	// RedirectTo answers every request with a 301 to RedirectTo + the
	// request URI, like a store that moved to https or another host.
	RedirectTo string
	// Fail500 makes every API call an unexpected exception (Report ID).
	Fail500       bool
	DeveloperMode bool // errors carry "trace"
	// Products and Orders are how many items GET /V1/products and
	// /V1/orders list (catalog.go); products POSTed are added after them.
	Products, Orders int
}

// Hit is one request the server received.
type Hit struct {
	Method, Path, Query, Authorization, SignatureMethod string
}

// Server is a running emulator.
type Server struct {
	*httptest.Server
	opts Options

	mu     sync.Mutex
	nonces map[string]bool
	admin  map[string]bool // admin tokens issued
	hits   []Hit
	// created are the products POSTed, in order.
	created []orderedFields
}

// New starts an emulator on 127.0.0.1; Close it when done.
func New(o Options) *Server {
	o = withDefaults(o)
	s := &Server{opts: o, nonces: map[string]bool{}, admin: map[string]bool{}}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("magentotest: " + err.Error())
	}
	ts.Listener = l
	ts.Start()
	s.Server = ts
	return s
}

func withDefaults(o Options) Options {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Version, "2.4.7")
	def(&o.ConsumerKey, DefaultConsumerKey)
	def(&o.ConsumerSecret, DefaultConsumerSecret)
	def(&o.AccessToken, DefaultAccessToken)
	def(&o.TokenSecret, DefaultTokenSecret)
	def(&o.AdminUser, DefaultAdminUser)
	def(&o.AdminPassword, DefaultAdminPassword)
	def(&o.Locale, "en_US")
	def(&o.Currency, "USD")
	if o.StoreCodes == nil {
		o.StoreCodes = []string{"default"}
	}
	return o
}

// BaseURI is the REST base a connection should use ("http://127.0.0.1:N/rest").
func (s *Server) BaseURI() string {
	if s.opts.NoRewrite {
		return s.URL + "/index.php/rest"
	}
	return s.URL + "/rest"
}

// Hits returns the requests received so far.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// now is the server's clock.
func (s *Server) now() time.Time { return time.Now().Add(s.opts.ClockOffset) }

// supported is Oauth::getSupportedSignatureMethods().
func (s *Server) supported() []string {
	switch {
	case s.opts.SignatureMethods != nil:
		return s.opts.SignatureMethods
	case s.opts.OnlySHA256 || !versionBefore(s.opts.Version, "2.4.4"):
		return []string{"HMAC-SHA256"}
	}
	return []string{"HMAC-SHA1", "HMAC-SHA256"}
}

// bearerIntegration reports whether the integration's access token works
// as a Bearer token (oauth/consumer/enable_integration_as_bearer, 2.4.4+).
func (s *Server) bearerIntegration() bool {
	return versionBefore(s.opts.Version, "2.4.4") || s.opts.AllowBearerIntegrationToken
}

// versionBefore compares dotted versions numerically.
func versionBefore(v, than string) bool {
	a, b := strings.Split(v, "."), strings.Split(than, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := 0, 0
		if i < len(a) {
			x = atoi(a[i])
		}
		if i < len(b) {
			y = atoi(b[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// reportID imitates PHP's uniqid("webapi-"): 13 hex digits.
func reportID() string {
	b := make([]byte, 7)
	_, _ = rand.Read(b)
	return "webapi-" + hex.EncodeToString(b)[:13]
}
