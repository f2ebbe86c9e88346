package connectortest

// strict.go: an address read as it is meant, for the fuzz property that
// tidying never points an address somewhere else.

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// StrictURL reads s as the address it means, written independently of every
// platform's tidying, for the fuzz property "tidied input means the same
// target": http(s) only (https:// when none is written), nothing invisible
// inside, a host, a port from 1 to 65535; the query and fragment (RFC 3986)
// are no part of the target.
func StrictURL(s string) (*url.URL, bool) {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\\' {
			return nil, false
		}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, false
		}
	}
	return u, true
}
