package connectors

// siteaddress.go: the address of a site entered without its scheme, as
// PrestaShop's and WooCommerce's Shop address fields take it:
// host[:port][/folder]. A pasted full address is tidied (the scheme, a
// query, a user name, the application's own paths dropped, each said in a
// note); what tidying would point elsewhere is refused (address.go).

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// SiteAddress describes one platform's form of the address.
type SiteAddress struct {
	// Example is how the address looks, in messages ("shop.example or
	// shop.example/shop"); Folder an address with a folder.
	Example, Folder string
	// DroppedWhy says why a dropped tail is not part of the address.
	DroppedWhy string
	// Tail reports whether a path segment (lower case) and all after it
	// belong to the application, not to the folder it is installed in.
	Tail func(segment string) bool
}

// Normalize turns what an owner pastes into host[:port][/folder]: no
// scheme, no tail, no trailing slash. The note says in words what was
// changed ("" when nothing). It never echoes a password found in the
// address. An address that tidying would point elsewhere (another scheme, a
// space inside, a bad port) is returned as typed, trimmed, for Validate to
// refuse.
func (a SiteAddress) Normalize(raw string) (normalized, note string) {
	out, note, err := a.Parse(raw)
	if err != nil {
		return strings.TrimSpace(raw), ""
	}
	return out, note
}

// Parse tidies raw into the host[:port][/folder] form, or says why it
// cannot without changing the site it points at.
func (a SiteAddress) Parse(raw string) (normalized, note string, err error) {
	trimmed := strings.TrimSpace(raw)
	s := trimmed
	if s == "" {
		return "", "", nil
	}
	if err := CheckAddressText(s, a.Example); err != nil {
		return "", "", err
	}
	if err := CheckScheme(s, a.Example); err != nil {
		return "", "", err
	}
	notAddress := fmt.Errorf("is not an address; enter it like %s", a.Example)
	var notes []string
	if scheme := SchemeOf(s); scheme != "" {
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
			return "", "", fmt.Errorf("has text before \"@\" that is no user name; enter the address without it, like %s", a.Example)
		}
		hostport = hostport[at+1:]
		notes = append(notes, "removed a user name or password from the address")
	}
	host, port, err := splitSiteHostPort(strings.ToLower(hostport))
	if err != nil {
		return "", "", err
	}
	if host == "" {
		if path != "" || strings.Contains(hostport, ":") {
			return "", "", notAddress
		}
		return "", "", fmt.Errorf("enter the shop's address, like %s", a.Example)
	}
	if strings.Contains(host, "://") {
		return "", "", notAddress
	}
	if net.ParseIP(host) == nil && !ValidHost(host) {
		return "", "", fmt.Errorf("is not a valid host name; enter it like shop.example (letters, digits, dots and dashes)")
	}
	if _, err := url.PathUnescape(path); err != nil {
		return "", "", fmt.Errorf(`has a "%%" that is not followed by two hexadecimal digits; enter the folder as the browser shows it, like %s`, a.Folder)
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return "", "", fmt.Errorf(`has "%s" in its folder; enter the folder the site is in, like %s`, seg, a.Folder)
		}
	}
	kept, dropped := a.folder(path)
	if dropped != "" {
		notes = append(notes, `removed "/`+dropped+`" (`+a.DroppedWhy+`)`)
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

// splitSiteHostPort splits "host", "host:port", "[v6]" or "[v6]:port" and
// checks the port; an empty port ("shop.example:") is dropped, a trailing
// dot of the host (an absolute DNS name) too.
func splitSiteHostPort(hostport string) (host, port string, err error) {
	host = hostport
	switch {
	case strings.HasPrefix(hostport, "["):
		end := strings.Index(hostport, "]")
		if end < 0 || net.ParseIP(hostport[1:end]) == nil {
			return "", "", fmt.Errorf("has an IPv6 address that is not valid; write it like [2001:db8::1]:8080")
		}
		host, rest := hostport[1:end], hostport[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return "", "", fmt.Errorf("has an IPv6 address that is not valid; write it like [2001:db8::1]:8080")
		}
		port = strings.TrimPrefix(rest, ":")
		return host, port, CheckPort(port)
	case strings.Count(hostport, ":") > 1:
		return "", "", fmt.Errorf("has an IPv6 address without brackets; write it like [2001:db8::1]:8080")
	case strings.Contains(hostport, ":"):
		host, port, _ = strings.Cut(hostport, ":")
		if err := CheckPort(port); err != nil {
			return "", "", err
		}
	}
	if strings.HasSuffix(host, ".") && !strings.HasSuffix(host, "..") {
		host = strings.TrimSuffix(host, ".")
	}
	return host, port, nil
}

// folder keeps the folder the site is installed in and drops everything
// from the first segment that a.Tail says belongs to the application itself
// (a back office, the API, a script).
func (a SiteAddress) folder(path string) (kept, dropped string) {
	var segs []string
	for _, seg := range strings.Split(path, "/") {
		if seg != "" { // "a//b" is the folder a/b
			segs = append(segs, seg)
		}
	}
	for i, seg := range segs {
		if a.Tail != nil && a.Tail(strings.ToLower(seg)) {
			return strings.Join(segs[:i], "/"), strings.Join(segs[i:], "/")
		}
	}
	return strings.Join(segs, "/"), ""
}

// Validate checks v as Parse reads it, so a pasted full address passes
// (Normalize rewrites it on save) while a typo, or an address that tidying
// would point elsewhere, does not.
func (a SiteAddress) Validate(v string) error {
	n, _, err := a.Parse(v)
	if err != nil {
		return err
	}
	if n == "" {
		return fmt.Errorf("enter the shop's address, like %s", a.Example)
	}
	return nil
}

// SiteBase is a tidied site address with its scheme (https, or http when
// the connection's Use HTTPS is off), without a trailing slash.
func SiteBase(address string, https bool) string {
	if https {
		return "https://" + address
	}
	return "http://" + address
}

// SiteHost is the host[:port] of a tidied site address.
func SiteHost(address string) string {
	h, _, _ := strings.Cut(address, "/")
	return h
}
