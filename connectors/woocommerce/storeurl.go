package woocommerce

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"storelink/connectors"
)

// storeURLExample is how a Shop address looks, in messages. The parsing is
// PrestaShop's (connectors/prestashop/storeurl.go), with WordPress's paths.
const storeURLExample = "shop.example or shop.example/wordpress"

// NormalizeStoreURL turns what a store owner pastes into the form the Store
// URL field keeps: host[:port][/folder], no scheme, no back-office or API
// path, no trailing slash. The note says in words what was changed ("" when
// nothing). It never echoes a password found in the address. An address
// that tidying would point elsewhere (another scheme, a space inside, a bad
// port) is returned as typed, trimmed, for validateStoreURL to refuse.
func NormalizeStoreURL(raw string) (normalized, note string) {
	out, note, err := parseStoreURL(raw)
	if err != nil {
		return strings.TrimSpace(raw), ""
	}
	return out, note
}

// parseStoreURL tidies raw into the Shop address form, or says why it cannot
// without changing the shop it points at.
func parseStoreURL(raw string) (normalized, note string, err error) {
	trimmed := strings.TrimSpace(raw)
	s := trimmed
	if s == "" {
		return "", "", nil
	}
	if err := connectors.CheckAddressText(s, storeURLExample); err != nil {
		return "", "", err
	}
	if err := connectors.CheckScheme(s, storeURLExample); err != nil {
		return "", "", err
	}
	notAddress := fmtError("is not an address; enter it like %s", storeURLExample)
	var notes []string
	if scheme := connectors.SchemeOf(s); scheme != "" {
		s = s[len(scheme)+3:]
		if scheme == "http" {
			notes = append(notes, `removed "http://" (for plain HTTP turn off "Use HTTPS" in Advanced)`)
		} else {
			notes = append(notes, `removed "`+scheme+`://" (the address is entered without it)`)
		}
	} else if rest, ok := strings.CutPrefix(s, "//"); ok { // a network-path reference: //shop.example
		s = rest
	}
	if strings.HasPrefix(s, "/") { // "https:///x", "/shop": no host where one must be
		return "", "", notAddress
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
		notes = append(notes, "removed the query after the address")
	}
	hostport, path, _ := strings.Cut(s, "/")
	if at := strings.LastIndex(hostport, "@"); at >= 0 {
		if _, err := url.Parse("https://" + hostport[:at+1] + "x"); err != nil {
			return "", "", fmtError("has text before \"@\" that is no user name; enter the address without it, like %s", storeURLExample)
		}
		hostport = hostport[at+1:]
		notes = append(notes, "removed a user name or password from the address")
	}
	host, port, err := splitHostPort(strings.ToLower(hostport))
	if err != nil {
		return "", "", err
	}
	if host == "" {
		if path != "" || strings.Contains(hostport, ":") {
			return "", "", notAddress
		}
		return "", "", fmtError("enter the shop's address, like %s", storeURLExample)
	}
	if strings.Contains(host, "://") {
		return "", "", notAddress
	}
	if net.ParseIP(host) == nil && !validHostName(host) {
		return "", "", fmtError("is not a valid host name; enter it like shop.example (letters, digits, dots and dashes)")
	}
	if _, err := url.PathUnescape(path); err != nil {
		return "", "", fmtError(`has a "%%" that is not followed by two hexadecimal digits; enter the folder as the browser shows it, like shop.example/wordpress`)
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return "", "", fmtError(`has "%s" in its folder; enter the folder the shop is in, like shop.example/wordpress`, seg)
		}
	}
	kept, dropped := shopFolder(path)
	if dropped != "" {
		notes = append(notes, `removed "/`+dropped+`" (use the site's own address, not that of wp-admin, the API or a script)`)
	}
	out := host
	if strings.Contains(host, ":") {
		out = "[" + host + "]"
	}
	if port != "" {
		out += ":" + port
	}
	if kept != "" {
		out += "/" + kept
	}
	if out != trimmed && len(notes) == 0 {
		switch {
		case strings.HasSuffix(trimmed, "/"):
			notes = append(notes, "removed the trailing slash")
		case strings.ToLower(trimmed) != trimmed && strings.ToLower(out) == strings.ToLower(trimmed):
			notes = append(notes, "wrote the host name in lower case")
		default:
			notes = append(notes, "tidied up the address")
		}
	}
	return out, strings.Join(notes, "; "), nil
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port" and
// checks the port; an empty port ("shop.example:") is dropped, a trailing
// dot of the host (an absolute DNS name) too.
func splitHostPort(hostport string) (host, port string, err error) {
	host = hostport
	switch {
	case strings.HasPrefix(hostport, "["):
		end := strings.Index(hostport, "]")
		if end < 0 || net.ParseIP(hostport[1:end]) == nil {
			return "", "", fmtError("has an IPv6 address that is not valid; write it like [2001:db8::1]:8080")
		}
		host, rest := hostport[1:end], hostport[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return "", "", fmtError("has an IPv6 address that is not valid; write it like [2001:db8::1]:8080")
		}
		port = strings.TrimPrefix(rest, ":")
		return host, port, connectors.CheckPort(port)
	case strings.Count(hostport, ":") > 1:
		return "", "", fmtError("has an IPv6 address without brackets; write it like [2001:db8::1]:8080")
	case strings.Contains(hostport, ":"):
		host, port, _ = strings.Cut(hostport, ":")
		if err := connectors.CheckPort(port); err != nil {
			return "", "", err
		}
	}
	if strings.HasSuffix(host, ".") && !strings.HasSuffix(host, "..") {
		host = strings.TrimSuffix(host, ".")
	}
	return host, port, nil
}

// shopFolder keeps the folder WordPress is installed in ("wordpress" of
// shop.example/wordpress) and drops everything from the first segment that
// belongs to WordPress itself: wp-admin, wp-json, wp-content, wp-includes,
// a PHP script (wp-login.php, index.php) or an HTML page.
func shopFolder(path string) (kept, dropped string) {
	var segs []string
	for _, seg := range strings.Split(path, "/") {
		if seg != "" { // "a//b" is the folder a/b
			segs = append(segs, seg)
		}
	}
	for i, seg := range segs {
		l := strings.ToLower(seg)
		switch {
		case l == "wp-admin", l == "wp-json", l == "wp-content", l == "wp-includes",
			strings.HasSuffix(l, ".php"), strings.HasSuffix(l, ".html"):
			return strings.Join(segs[:i], "/"), strings.Join(segs[i:], "/")
		}
	}
	return strings.Join(segs, "/"), ""
}

// validateStoreURL checks v as parseStoreURL reads it, so a pasted full
// address passes (Normalize rewrites it on save) while a typo, or an address
// that tidying would point elsewhere, does not.
func validateStoreURL(v string) error {
	n, _, err := parseStoreURL(v)
	if err != nil {
		return err
	}
	if n == "" {
		return fmtError("enter the shop's address, like %s", storeURLExample)
	}
	return nil
}

func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r > 127) {
				return false
			}
		}
	}
	return true
}

type fieldError string

func (e fieldError) Error() string { return string(e) }

func fmtError(format string, args ...any) error { return fieldError(fmt.Sprintf(format, args...)) }
