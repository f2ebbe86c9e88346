package connectors

// target.go: where a connection's requests go, as its Address fields say,
// compared in one way for every platform: an edit that moves it elsewhere
// must not take the saved secrets along unasked.

import (
	"net/url"
	"strconv"
	"strings"
)

// AddressChange is one Address field whose value points somewhere else.
type AddressChange struct {
	Key, Label string
	From, To   string // the values as each platform's Normalize leaves them
}

// AddressChanges lists the Address fields of i whose values point
// elsewhere in now than in before: both are given defaults and tidied up as
// Check would, then compared by scheme, host, port and path (case of scheme
// and host, a default port and a trailing slash do not count).
func (i Info) AddressChanges(before, now Values) []AddressChange {
	old, _ := i.Normalize(i.Defaults(before))
	cur, _ := i.Normalize(i.Defaults(now))
	var out []AddressChange
	for _, f := range i.Fields {
		if !f.Address {
			continue
		}
		a, b := old.String(f.Key), cur.String(f.Key)
		if f.Kind == KindBool {
			def, _ := strconv.ParseBool(f.Default)
			a, b = strconv.FormatBool(old.Bool(f.Key, def)), strconv.FormatBool(cur.Bool(f.Key, def))
		}
		if sameAddress(a, b) {
			continue
		}
		out = append(out, AddressChange{Key: f.Key, Label: f.Label, From: a, To: b})
	}
	return out
}

// sameAddress compares two addresses by scheme, host, port and path.
func sameAddress(a, b string) bool {
	return a == b || canonicalAddress(a) == canonicalAddress(b)
}

func canonicalAddress(s string) string {
	raw := strings.TrimSpace(s)
	parse := raw
	if !strings.Contains(parse, "://") {
		parse = "//" + parse // a host without a scheme ("shop.example/path")
	}
	u, err := url.Parse(parse)
	if err != nil || u.Host == "" {
		return strings.ToLower(raw)
	}
	scheme, port := strings.ToLower(u.Scheme), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	out := scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port + strings.TrimRight(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}
