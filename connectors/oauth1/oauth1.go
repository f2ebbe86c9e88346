// Package oauth1 signs requests with OAuth 1.0 (RFC 5849) for the seven
// signature methods store platforms offer: HMAC-SHA1, HMAC-SHA256,
// HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512 and PLAINTEXT.
//
// The signers sit behind github.com/dghubble/oauth1's Signer interface and
// reuse its HMAC-SHA1, HMAC-SHA256 and RSA-SHA1 signers and its PercentEncode
// (RFC 3986 unreserved set, as RFC 5849 3.6 asks). The signature base string
// is built here instead, because the library's collectParameters/baseURI
// fall short of RFC 5849 for us: it keeps only the first value of a
// duplicated parameter and sorts by name alone (3.4.1.3.2 sorts by name,
// then value), it drops port 80 for https and 443 for http (3.4.1.2 drops
// only the scheme's default), it splits host:port on ":" (breaking IPv6
// literals), it reads the request body to find form parameters, and it
// makes 32-byte base64 nonces rather than 32 characters. It also offers no
// way to see the base string, which "Technical details" shows.
package oauth1

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	lib "github.com/dghubble/oauth1"
)

// Signer signs a base string; it is the library's interface.
type Signer = lib.Signer

// Protocol parameter names (RFC 5849 3.1).
const (
	ParamConsumerKey     = "oauth_consumer_key"
	ParamToken           = "oauth_token"
	ParamSignatureMethod = "oauth_signature_method"
	ParamTimestamp       = "oauth_timestamp"
	ParamNonce           = "oauth_nonce"
	ParamVersion         = "oauth_version"
	ParamSignature       = "oauth_signature"
	ParamRealm           = "realm"
)

// NonceLength is the length of the nonces NewNonce makes.
const NonceLength = 32

// PercentEncode encodes s as RFC 5849 3.6 asks: every byte outside
// ALPHA / DIGIT / "-" / "." / "_" / "~" becomes %XX with upper-case hex.
func PercentEncode(s string) string { return lib.PercentEncode(s) }

const nonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewNonce returns 32 random letters and digits from crypto/rand.
func NewNonce() (string, error) {
	out := make([]byte, 0, NonceLength)
	buf := make([]byte, 64)
	for len(out) < NonceLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("oauth1: no randomness for a nonce: %w", err)
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting the rest keeps every character equally likely.
			if b < 248 && len(out) < NonceLength {
				out = append(out, nonceAlphabet[int(b)%len(nonceAlphabet)])
			}
		}
	}
	return string(out), nil
}

// ErrBadURL is returned for a URL that cannot be signed.
var ErrBadURL = errors.New("oauth1: the URL must be absolute http or https")

// BaseStringURI returns the base string URI of rawURL (RFC 5849 3.4.1.2):
// lower-case scheme and host, the scheme's default port dropped, the path
// as sent ("/" when empty), without query or fragment.
func BaseStringURI(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Host == "" {
		return "", ErrBadURL
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path, nil
}

// pair is one name/value parameter, not yet encoded.
type pair struct{ name, value string }

// parseForm decodes an application/x-www-form-urlencoded string as RFC 5849
// 3.4.1.3.1 does: "+" is a space, a name without "=" has an empty value,
// duplicates and ";" are kept as they are.
func parseForm(s string) ([]pair, error) {
	var out []pair
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		n, err := url.QueryUnescape(name)
		if err != nil {
			return nil, fmt.Errorf("oauth1: query parameter %q: %w", name, err)
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return nil, fmt.Errorf("oauth1: value of %q: %w", n, err)
		}
		out = append(out, pair{n, v})
	}
	return out, nil
}

// NormalizedParameters returns the parameter string of RFC 5849 3.4.1.3.2:
// query, form body and protocol parameters (realm and oauth_signature left
// out), each name and value encoded, sorted by name then value, joined.
func NormalizedParameters(rawURL string, oauthParams map[string]string, formBody url.Values) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	params, err := parseForm(u.RawQuery)
	if err != nil {
		return "", err
	}
	for name, values := range formBody {
		for _, v := range values {
			params = append(params, pair{name, v})
		}
	}
	for name, v := range oauthParams {
		if name == ParamRealm || name == ParamSignature {
			continue
		}
		params = append(params, pair{name, v})
	}
	encoded := make([]pair, len(params))
	for i, p := range params {
		encoded[i] = pair{PercentEncode(p.name), PercentEncode(p.value)}
	}
	sort.Slice(encoded, func(i, j int) bool {
		if encoded[i].name != encoded[j].name {
			return encoded[i].name < encoded[j].name
		}
		return encoded[i].value < encoded[j].value
	})
	var b strings.Builder
	for i, p := range encoded {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String(), nil
}

// BaseString returns the signature base string of RFC 5849 3.4.1.1 for a
// request: the upper-case method, the encoded base string URI and the
// encoded normalised parameters, joined by "&". formBody is the body of an
// application/x-www-form-urlencoded request, nil otherwise.
func BaseString(method, rawURL string, oauthParams map[string]string, formBody url.Values) (string, error) {
	if !isToken(method) {
		return "", fmt.Errorf("oauth1: %q is not an HTTP method", method)
	}
	uri, err := BaseStringURI(rawURL)
	if err != nil {
		return "", err
	}
	params, err := NormalizedParameters(rawURL, oauthParams, formBody)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(method) + "&" + PercentEncode(uri) + "&" + PercentEncode(params), nil
}

// isToken reports whether s is an HTTP method token (RFC 9110 5.6.2), so
// it cannot smuggle an "&" into the base string.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// AuthorizationHeader formats protocol parameters as an "OAuth" header
// value (RFC 5849 3.5.1): realm first when set, then the parameters sorted,
// names and values percent-encoded and quoted.
func AuthorizationHeader(oauthParams map[string]string) string {
	names := make([]string, 0, len(oauthParams))
	for name := range oauthParams {
		if name != ParamRealm {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names)+1)
	if realm := oauthParams[ParamRealm]; realm != "" {
		// The realm is a quoted-string (RFC 2617), not encoded.
		parts = append(parts, `realm="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(realm)+`"`)
	}
	for _, name := range names {
		parts = append(parts, PercentEncode(name)+`="`+PercentEncode(oauthParams[name])+`"`)
	}
	return "OAuth " + strings.Join(parts, ", ")
}

// Request is one request to sign.
type Request struct {
	Method string
	URL    string
	// Form is the body of an application/x-www-form-urlencoded request; nil
	// for any other body (JSON bodies are not signed, RFC 5849 3.4.1.3.1).
	Form url.Values
}

// Credentials are the client's and the token's identifiers; the secrets
// live in the Signer (consumer secret, private key) and TokenSecret.
type Credentials struct {
	ConsumerKey string
	Token       string // "" for requests without a token
	TokenSecret string
	Signer      Signer
	Realm       string // optional; in the header, never in the base string
}

// Options fix what is normally random or current, for tests and vectors.
type Options struct {
	Nonce string    // "" makes a new one
	Now   time.Time // zero means time.Now()
	// NoVersion leaves oauth_version out (it is optional, RFC 5849 3.1).
	NoVersion bool
}

// Signed is a signed request.
type Signed struct {
	Header     string            // the Authorization header value
	BaseString string            // what was signed; holds the token, never a secret
	Params     map[string]string // protocol parameters, oauth_signature and realm included
}

// Sign signs req with creds.
func Sign(req Request, creds Credentials, opts Options) (Signed, error) {
	if creds.Signer == nil {
		return Signed{}, errors.New("oauth1: no signer")
	}
	nonce := opts.Nonce
	if nonce == "" {
		var err error
		if nonce, err = NewNonce(); err != nil {
			return Signed{}, err
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	params := map[string]string{
		ParamConsumerKey:     creds.ConsumerKey,
		ParamSignatureMethod: creds.Signer.Name(),
		ParamTimestamp:       strconv.FormatInt(now.Unix(), 10),
		ParamNonce:           nonce,
	}
	if !opts.NoVersion {
		params[ParamVersion] = "1.0"
	}
	if creds.Token != "" {
		params[ParamToken] = creds.Token
	}
	method := req.Method
	if method == "" {
		method = "GET"
	}
	base, err := BaseString(method, req.URL, params, req.Form)
	if err != nil {
		return Signed{}, err
	}
	sig, err := creds.Signer.Sign(creds.TokenSecret, base)
	if err != nil {
		return Signed{}, fmt.Errorf("oauth1: signing with %s: %w", creds.Signer.Name(), err)
	}
	params[ParamSignature] = sig
	if creds.Realm != "" {
		params[ParamRealm] = creds.Realm
	}
	return Signed{Header: AuthorizationHeader(params), BaseString: base, Params: params}, nil
}
