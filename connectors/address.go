package connectors

// address.go: what every platform's address field refuses instead of
// tidying away, because tidying would change where requests go: a scheme
// other than http/https, a space, line break, control or invisible character
// inside the address ("shop example.com" is not shopexample.com, and
// "\r\nX-Injected: 1" is not part of a host), a backslash, and a port that
// is not a number from 1 to 65535. Leading and trailing spaces stay
// harmless and are trimmed.

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"storelink/names"
)

// CheckAddressText refuses what no address holds inside it (after trimming):
// spaces, line breaks, tabs, control, invisible and text-direction
// characters, and backslashes. example is how the field's address looks.
func CheckAddressText(raw, example string) error {
	s := strings.TrimSpace(raw)
	if !utf8.ValidString(s) {
		return fmt.Errorf("must be valid text (UTF-8); type the address again, like %s", example)
	}
	for i, r := range s {
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("must not contain spaces or line breaks (found one at character %d); enter the address in one piece, like %s", i+1, example)
		case unicode.IsControl(r) || names.IsInvisible(r) || names.IsBidiControl(r):
			return fmt.Errorf("must not contain control or invisible characters (found %U); type the address again, like %s", r, example)
		case r == '\\':
			return fmt.Errorf(`must not contain backslashes ("\"); write the address with "/", like %s`, example)
		}
	}
	return nil
}

// SchemeOf returns the scheme of an address written "scheme://...", lower
// case, or "" when it has none.
func SchemeOf(raw string) string {
	s := strings.TrimSpace(raw)
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	for j, r := range s[:i] {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !(letter || j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return ""
		}
	}
	return strings.ToLower(s[:i])
}

// CheckScheme refuses an address "scheme://..." whose scheme is not http or
// https: file:///etc/passwd is no store, and stripping "file://" would make
// it one. An address that starts with "://" or a non-scheme before "://" is
// refused too.
func CheckScheme(raw, example string) error {
	s := strings.TrimSpace(raw)
	i := strings.Index(s, "://")
	if i < 0 {
		return nil
	}
	switch SchemeOf(s) {
	case "http", "https":
		return nil
	case "":
		return fmt.Errorf("is not an address; enter it like %s", example)
	}
	return fmt.Errorf("must be a web address (http:// or https://), not %s://; enter it like %s", strings.ToLower(s[:i]), example)
}

// ErrPort is the message for a port that is not a number from 1 to 65535.
var ErrPort = errors.New("has a port that is not a number from 1 to 65535; write it like shop.example:8443, or leave the port out")

// CheckPort refuses a port (the text after the host's ":") that is not
// decimal digits from 1 to 65535; "" (no port) passes.
func CheckPort(port string) error {
	if port == "" {
		return nil
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return ErrPort
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return ErrPort
	}
	return nil
}

// ValidHost reports whether host (lower case, an IPv6 address in brackets)
// is a host name of letters, digits, hyphens and underscores in dot-separated
// labels, letters beyond ASCII allowed for IDNs, or an IP address: nothing
// that a URL parser would read as something else ("%", "@", "\").
func ValidHost(host string) bool {
	if ip, ok := strings.CutPrefix(host, "["); ok {
		return strings.HasSuffix(ip, "]") && net.ParseIP(strings.TrimSuffix(ip, "]")) != nil
	}
	if host == "" || len(host) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(host, "."), ".") {
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
