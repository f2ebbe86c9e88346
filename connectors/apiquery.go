package connectors

// apiquery.go: the query of a request path, read and changed the way a
// platform's paging needs, leaving what the user wrote as it was.

import (
	"net/url"
	"strings"
)

// QueryParam is the last value of name in path's query ("" when absent),
// names and values decoded as PHP and most servers decode them.
func QueryParam(path, name string) string {
	_, query, _ := strings.Cut(path, "?")
	v := ""
	for _, pair := range strings.Split(query, "&") {
		k, val, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil && dk == name {
			if dv, err := url.QueryUnescape(val); err == nil {
				v = dv
			}
		}
	}
	return v
}

// SetQueryParam is path with name's value replaced, or appended when the
// query has none; every other parameter stays as the user wrote it.
func SetQueryParam(path, name, value string) string {
	base, query, _ := strings.Cut(path, "?")
	var out []string
	set := false
	for _, pair := range strings.Split(query, "&") {
		if pair == "" {
			continue
		}
		k, _, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil && dk == name {
			if !set {
				out = append(out, k+"="+url.QueryEscape(value))
				set = true
			}
			continue
		}
		out = append(out, pair)
	}
	if !set {
		out = append(out, url.QueryEscape(name)+"="+url.QueryEscape(value))
	}
	return base + "?" + strings.Join(out, "&")
}
