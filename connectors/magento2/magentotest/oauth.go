package magentotest

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// protocolParam is Request::_isProtocolParameter: preg_match, not anchored.
var protocolParam = regexp.MustCompile(`oauth_[a-z_-]+`)

// headerParams is Request::_processHeader: ok is false without "OAuth ".
func headerParams(h string) (map[string]string, bool) {
	i := strings.Index(strings.ToLower(h), "oauth ")
	if h == "" || i < 0 {
		return nil, false
	}
	out := map[string]string{}
	for _, part := range strings.Split(h[i+6:], ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !protocolParam.MatchString(name) {
			continue
		}
		out[rawurldecode(name)] = rawurldecode(strings.Trim(value, `"`))
	}
	return out, true
}

// queryParams is Request::_extractQueryStringParams: "&"-split, exactly one
// "=", protocol parameters skipped, urldecode ("+" is a space), last wins.
func queryParams(into map[string]string, rawQuery string) {
	if rawQuery == "" {
		return
	}
	for _, p := range strings.Split(rawQuery, "&") {
		parts := strings.Split(p, "=")
		if len(parts) != 2 || protocolParam.MatchString(parts[0]) {
			continue
		}
		into[urldecode(parts[0])] = urldecode(parts[1])
	}
}

// formParams is Request::_processRequest's form branch: a body whose
// Content-Type starts with application/x-www-form-urlencoded is parse_str'd
// and its parameters (not protocol ones: the header has them) are signed.
// Flat names only; parse_str's nested a[b] arrays are not emulated. The
// body is put back for the route.
func formParams(into map[string]string, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.Body == nil {
		return
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(data))
	for _, p := range strings.Split(string(data), "&") {
		name, value, _ := strings.Cut(p, "=")
		if name == "" || protocolParam.MatchString(name) {
			continue
		}
		into[urldecode(name)] = urldecode(value)
	}
}

func rawurldecode(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

func urldecode(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// rawurlencode is PHP's: everything but A-Z a-z 0-9 - _ . ~ as %XX.
func rawurlencode(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

// strnatcmp is a small version of PHP's natural order comparison, which
// Laminas' toByteValueOrderedQueryString sorts keys with.
func strnatcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si := i
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			sj := j
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na, nb := strings.TrimLeft(a[si:i], "0"), strings.TrimLeft(b[sj:j], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if na != nb {
				return strings.Compare(na, nb)
			}
			continue
		}
		if ca != cb {
			return int(ca) - int(cb)
		}
		i++
		j++
	}
	return (len(a) - i) - (len(b) - j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// normaliseURL is Hmac::normaliseBaseSignatureUrl.
func normaliseURL(scheme, host, requestURI string) string {
	scheme = strings.ToLower(scheme)
	host = strings.ToLower(host)
	if h, p, ok := strings.Cut(host, ":"); ok && !strings.Contains(p, ":") && ((scheme == "http" && p == "80") || (scheme == "https" && p == "443")) {
		host = h
	}
	path, _, _ := strings.Cut(requestURI, "?")
	path, _, _ = strings.Cut(path, "#")
	return scheme + "://" + host + path
}

// baseString is AbstractSignature::getBaseSignatureString.
func baseString(params map[string]string, method, normalisedURL string) string {
	enc := map[string]string{}
	for k, v := range params {
		enc[rawurlencode(k)] = rawurlencode(v)
	}
	delete(enc, "oauth_signature")
	keys := make([]string, 0, len(enc))
	for k := range enc {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strnatcmp(keys[i], keys[j]) < 0 })
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + enc[k]
	}
	return strings.ToUpper(method) + "&" + rawurlencode(normalisedURL) + "&" + rawurlencode(strings.Join(pairs, "&"))
}

// signatureMatches is Utility::sign followed by Security::compareStrings
// (RSA is verified with the public key instead of re-signing).
func (s *Server) signatureMatches(method, base, got string) bool {
	equal := func(want string) bool { return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1 }
	hm := func(h func() hash.Hash) bool {
		mac := hmac.New(h, []byte(rawurlencode(s.opts.ConsumerSecret)+"&"+rawurlencode(s.opts.TokenSecret)))
		mac.Write([]byte(base))
		return equal(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	rs := func(h crypto.Hash, sum []byte) bool {
		if s.opts.RSAPublicKey == nil {
			return false
		}
		sig, err := base64.StdEncoding.DecodeString(got)
		return err == nil && rsa.VerifyPKCS1v15(s.opts.RSAPublicKey, h, sum, sig) == nil
	}
	switch method {
	case "HMAC-SHA1":
		return hm(sha1.New)
	case "HMAC-SHA256":
		return hm(sha256.New)
	case "HMAC-SHA512":
		return hm(sha512.New)
	case "RSA-SHA1":
		d := sha1.Sum([]byte(base))
		return rs(crypto.SHA1, d[:])
	case "RSA-SHA256":
		d := sha256.Sum256([]byte(base))
		return rs(crypto.SHA256, d[:])
	case "RSA-SHA512":
		d := sha512.Sum512([]byte(base))
		return rs(crypto.SHA512, d[:])
	case "PLAINTEXT":
		// Zend_Oauth_Signature_Plaintext joins the secrets without encoding.
		return equal(s.opts.ConsumerSecret + "&" + s.opts.TokenSecret)
	}
	return false
}

// user is who Magento's CompositeUserContext decided the caller is.
type user int

const (
	guest user = iota
	integration
	adminUser
)

// authenticate runs OauthUserContext and TokenUserContext; an OAuth error
// comes back as the exception Magento would throw.
func (s *Server) authenticate(r *http.Request, auth string) (user, *apiError) {
	if fields := strings.Fields(auth); len(fields) == 2 && strings.EqualFold(fields[0], "bearer") {
		s.mu.Lock()
		isAdmin := s.admin[fields[1]]
		s.mu.Unlock()
		switch {
		case isAdmin:
			return adminUser, nil
		case fields[1] == s.opts.AccessToken && s.bearerIntegration() && !s.opts.TokenRevoked:
			return integration, nil
		}
		return guest, nil // TokenUserContext ignores unknown tokens
	}
	params, ok := headerParams(auth)
	if !ok {
		return guest, nil
	}
	formParams(params, r)
	queryParams(params, r.URL.RawQuery)
	if len(params) == 0 {
		return guest, nil
	}
	// Oauth::_validateProtocolParams
	if v, ok := params["oauth_version"]; ok && v != "1.0" {
		return guest, inputErr(`The "%1" Oauth version isn't supported.`, list(v))
	}
	var missing []string
	for _, p := range []string{"oauth_consumer_key", "oauth_signature", "oauth_signature_method", "oauth_nonce", "oauth_timestamp", "oauth_token"} {
		if _, ok := params[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		e := inputErr("One or more input exceptions have occurred.", nil)
		if len(missing) == 1 {
			e = inputErr(`"%fieldName" is required. Enter and try again.`, fields("fieldName", missing[0]))
		} else {
			for _, m := range missing {
				e.errors = append(e.errors, apiError{message: `"%fieldName" is required. Enter and try again.`, params: fields("fieldName", m)})
			}
		}
		return guest, e
	}
	if len(params["oauth_token"]) != 32 {
		return guest, inputErr("The token length is invalid. Check the length and try again.", nil)
	}
	method := params["oauth_signature_method"]
	if !contains(s.supported(), method) {
		return guest, inputErr("Signature method %1 is not supported", list(method))
	}
	if len(params["oauth_consumer_key"]) != 32 {
		return guest, authErr("Consumer key is not the correct length", nil)
	}
	if params["oauth_consumer_key"] != s.opts.ConsumerKey {
		return guest, authErr("A consumer having the specified key does not exist", nil)
	}
	// Nonce\Generator::validateNonce: the timestamp check throws an input
	// exception inside the try, which the generic catch turns into this.
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	if err != nil || ts <= 0 || ts > s.now().Unix()+600 {
		return guest, authErr("An error occurred validating the nonce", nil)
	}
	s.mu.Lock()
	used := s.nonces[params["oauth_nonce"]]
	s.nonces[params["oauth_nonce"]] = true
	s.mu.Unlock()
	if used {
		return guest, authErr("The nonce is already being used by the consumer with ID %1", list("1"))
	}
	// Token\Provider::validateAccessTokenRequest
	if params["oauth_token"] != s.opts.AccessToken {
		return guest, authErr("Specified token does not exist", nil)
	}
	if s.opts.TokenRevoked {
		return guest, authErr("Access token has been revoked", nil)
	}
	// Oauth::_validateSignature
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if s.opts.SeenScheme != "" {
		scheme = s.opts.SeenScheme
	}
	base := baseString(params, r.Method, normaliseURL(scheme, r.Host, r.RequestURI))
	if !s.signatureMatches(method, base, params["oauth_signature"]) {
		return guest, authErr("The signature is invalid. Verify and try again.", nil)
	}
	return integration, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
