package prestashop

import (
	"net"
	"strconv"
	"strings"
	"unicode"
)

// NormalizeStoreURL turns what a store owner pastes into the form the Store
// URL field keeps: host[:port][/folder], no scheme, no back-office or API
// path, no trailing slash. The note says in words what was changed ("" when
// nothing). It never echoes a password found in the address.
func NormalizeStoreURL(raw string) (normalized, note string) {
	// Odd pastes ("./A", ". :") need more than one pass; each pass only
	// shortens or lower-cases, so at most one pass a character (plus one)
	// reaches the fixed point ("./././././././././A" took ten).
	out, note := normalizeOnce(raw)
	for range len(raw) + 1 {
		next, more := normalizeOnce(out)
		if next == out {
			break
		}
		out = next
		if more != "" && !strings.Contains(note, more) {
			note = strings.TrimPrefix(note+"; "+more, "; ")
		}
	}
	return out, note
}

func normalizeOnce(raw string) (normalized, note string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", ""
	}
	var notes []string
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "")
		notes = append(notes, "removed spaces")
	}
	if i := strings.Index(s, "://"); i >= 0 && isScheme(s[:i]) {
		scheme := strings.ToLower(s[:i])
		s = s[i+3:]
		if scheme == "http" {
			notes = append(notes, `removed "http://" (for plain HTTP turn off "Use HTTPS" in Advanced)`)
		} else {
			notes = append(notes, `removed "`+scheme+`://" (the address is entered without it)`)
		}
	}
	s = strings.TrimLeft(s, "/")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
		notes = append(notes, "removed the query after the address")
	}
	host, path, _ := strings.Cut(s, "/")
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = host[at+1:]
		notes = append(notes, "removed a user name or password from the address")
	}
	host = strings.ToLower(strings.TrimRight(host, "."))
	if h, p, err := net.SplitHostPort(host); err == nil && (p == "") {
		host = h
	}
	kept, dropped := shopFolder(path)
	if dropped != "" {
		notes = append(notes, `removed "/`+dropped+`" (use the shop's own address, not the back office or API address)`)
	}
	out := host
	if kept != "" {
		out = strings.TrimLeft(out+"/"+kept, "/")
	}
	if trimmed := strings.TrimSpace(raw); out != trimmed && len(notes) == 0 {
		if strings.HasSuffix(trimmed, "/") {
			notes = append(notes, "removed the trailing slash")
		} else {
			notes = append(notes, "wrote the host name in lower case")
		}
	}
	return out, strings.Join(notes, "; ")
}

// shopFolder keeps the folder a shop is installed in ("shop" of
// shop.example/shop) and drops everything from the first segment that belongs
// to the back office (admin123...), the API, a PHP script or the dispatcher.
func shopFolder(path string) (kept, dropped string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, seg := range segs {
		l := strings.ToLower(seg)
		if strings.HasPrefix(l, "admin") || l == "api" || l == "webservice" || strings.HasSuffix(l, ".php") || strings.HasSuffix(l, ".html") {
			return strings.Join(segs[:i], "/"), strings.Join(segs[i:], "/")
		}
	}
	return strings.Trim(path, "/"), ""
}

func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter { // RFC 3986: a scheme starts with a letter
			return false
		}
		if !(letter || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// validateStoreURL checks the normalised form of v, so a pasted full address
// passes (Normalize rewrites it on save) while a typo does not.
func validateStoreURL(v string) error {
	n, _ := NormalizeStoreURL(v)
	if strings.Contains(v, "://") && !isScheme(v[:strings.Index(v, "://")]) {
		return fmtError("is not an address; enter it like shop.example or shop.example/shop")
	}
	if n == "" {
		return fmtError("enter the shop's address, like shop.example")
	}
	if strings.Contains(n, "://") { // "0://0/://0": the normal form would not pass either
		return fmtError("is not an address; enter it like shop.example or shop.example/shop")
	}
	if strings.ContainsAny(n, " \t\r\n\\") {
		return fmtError("must not contain spaces or backslashes; enter it like shop.example")
	}
	hostport, _, _ := strings.Cut(n, "/")
	host, port := hostport, ""
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(hostport, "[") && strings.HasSuffix(hostport, "]") {
		host = strings.Trim(hostport, "[]")
	} else if strings.Count(hostport, ":") > 1 {
		return fmtError("has an IPv6 address without brackets; write it like [2001:db8::1]:8080")
	} else if strings.Contains(hostport, ":") {
		return fmtError("has a port that is not a number from 1 to 65535")
	}
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 {
			return fmtError("has a port that is not a number from 1 to 65535")
		}
	}
	if net.ParseIP(host) != nil {
		return nil
	}
	if !validHostName(host) {
		return fmtError("is not a valid host name; enter it like shop.example (letters, digits, dots and dashes)")
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
