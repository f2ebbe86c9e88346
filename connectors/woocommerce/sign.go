package woocommerce

// sign.go: how the key travels on one request, for the test and for
// `storelink api` alike. OAuth 1.0a signatures follow
// WC_REST_Authentication::check_oauth_signature(), not RFC 5849: the
// parameters are $_GET as PHP parsed it (the last of repeated names wins,
// name[] becomes name[0], name[1]...), sorted by name with strcmp, each
// "name=value" pair percent-encoded by join_with_equals_sign(), joined with
// %26; the base URI is get_home_url() plus the request path.

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/connectors/oauth1"
)

// authorize puts the key on r the way w says; r.URL is absolute.
func (o options) authorize(r *connectors.Request, w way, now time.Time) error {
	switch w {
	case viaBasic:
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(o.Key+":"+o.Secret)))
	case viaQuery:
		r.URL = withQuery(r.URL, "consumer_key="+url.QueryEscape(o.Key)+"&consumer_secret="+url.QueryEscape(o.Secret))
	case viaOAuthHeader, viaOAuthQuery:
		params, err := o.signOAuth(r.Method, r.URL, now)
		if err != nil {
			return err
		}
		if w == viaOAuthHeader {
			r.Header.Set("Authorization", oauth1.AuthorizationHeader(params))
			return nil
		}
		for _, n := range oauthNames {
			r.URL = withQuery(r.URL, n+"="+oauth1.PercentEncode(params[n]))
		}
	}
	return nil
}

var oauthNames = []string{oauth1.ParamConsumerKey, oauth1.ParamNonce, oauth1.ParamSignature, oauth1.ParamSignatureMethod, oauth1.ParamTimestamp, oauth1.ParamVersion}

// signOAuth returns the protocol parameters of a one-legged HMAC-SHA256
// signature of method and rawURL, oauth_signature included.
func (o options) signOAuth(method, rawURL string, now time.Time) (map[string]string, error) {
	nonce, err := oauth1.NewNonce()
	if err != nil {
		return nil, err
	}
	params := map[string]string{
		oauth1.ParamConsumerKey:     o.Key,
		oauth1.ParamNonce:           nonce,
		oauth1.ParamSignatureMethod: "HMAC-SHA256",
		oauth1.ParamTimestamp:       strconv.FormatInt(now.Unix(), 10),
		oauth1.ParamVersion:         "1.0",
	}
	base, err := wcBaseString(method, rawURL, params)
	if err != nil {
		return nil, err
	}
	sig, err := oauth1.NewHMACSHA256Signer(o.Secret).Sign("", base)
	if err != nil {
		return nil, err
	}
	params[oauth1.ParamSignature] = sig
	return params, nil
}

// wcBaseString is the string check_oauth_signature() signs for a request
// to rawURL carrying the protocol parameters oauth in its header.
func wcBaseString(method, rawURL string, oauth map[string]string) (string, error) {
	uri, err := oauth1.BaseStringURI(rawURL)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	top := phpQuery(u.RawQuery)
	for k, v := range oauth { // array_merge( $params, parse_header() )
		top.set(k, &phpValue{scalar: v})
	}
	names := append([]string(nil), top.order...)
	sort.Strings(names) // uksort( $params, 'strcmp' ): byte order, as Go's
	var pairs []string
	for _, n := range names {
		if n != oauth1.ParamSignature {
			pairs = joinWithEquals(pairs, wcEncode(n), top.values[n])
		}
	}
	return strings.ToUpper(method) + "&" + wcEncode(uri) + "&" + strings.Join(pairs, "%26"), nil
}

// joinWithEquals is join_with_equals_sign(): nested names as name%5Bkey%5D.
func joinWithEquals(out []string, name string, v *phpValue) []string {
	if v.array == nil {
		return append(out, wcEncode(name+"="+wcEncode(v.scalar)))
	}
	for _, k := range v.array.order {
		out = joinWithEquals(out, name+"%5B"+wcEncode(k)+"%5D", v.array.values[k])
	}
	return out
}

// wcEncode is wc_rest_urlencode_rfc3986(): PHP's rawurlencode().
func wcEncode(s string) string { return oauth1.PercentEncode(s) }

// phpArray is an ordered PHP array of a query string, as $_GET holds it.
type phpArray struct {
	order  []string
	values map[string]*phpValue
	next   int // the index name[] takes next
}

type phpValue struct {
	scalar string
	array  *phpArray
}

func newPHPArray() *phpArray { return &phpArray{values: map[string]*phpValue{}} }

// set assigns a[k] = v, keeping k's place if it was there (PHP's order).
func (a *phpArray) set(k string, v *phpValue) {
	if _, ok := a.values[k]; !ok {
		a.order = append(a.order, k)
	}
	a.values[k] = v
	if n, err := strconv.Atoi(k); err == nil && n >= a.next {
		a.next = n + 1
	}
}

// child is a[k] as an array, made (or made over a scalar) when needed.
func (a *phpArray) child(k string) *phpArray {
	if v, ok := a.values[k]; ok && v.array != nil {
		return v.array
	}
	c := newPHPArray()
	a.set(k, &phpValue{array: c})
	return c
}

// phpQuery parses a query string as php_default_treat_data() fills $_GET:
// "+" is a space, "." and " " in a top-level name become "_", name[a][]
// builds nested arrays.
func phpQuery(raw string) *phpArray {
	top := newPHPArray()
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || name == "" {
			continue
		}
		base, rest := name, ""
		if i := strings.IndexByte(name, '['); i > 0 && strings.Contains(name[i:], "]") {
			base, rest = name[:i], name[i:]
		}
		base = strings.NewReplacer(".", "_", " ", "_").Replace(base)
		keys := bracketKeys(rest)
		arr, key := top, base
		for _, sub := range keys {
			arr = arr.child(key)
			if sub == "" {
				sub = strconv.Itoa(arr.next)
			}
			key = sub
		}
		arr.set(key, &phpValue{scalar: value})
	}
	return top
}

// bracketKeys splits "[a][][b]" into "a", "", "b"; text after the last "]"
// is dropped as PHP drops it.
func bracketKeys(s string) []string {
	var out []string
	for strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			break
		}
		out = append(out, s[1:end])
		s = s[end+1:]
	}
	return out
}
