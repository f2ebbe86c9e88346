package woocommerce

// answer.go: reading what WordPress sent back. The REST server answers an
// error as {"code","message","data":{"status"}} (WP_REST_Server::
// error_to_response()); the index at /wp-json/ lists the site's name and
// the namespaces of its REST routes (get_index()).

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"storelink/connectors"
	"storelink/redact"
)

// wpError is a WordPress REST error body.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Status int `json:"status"`
	} `json:"data"`
}

// wpIndex is the part of the REST index Storelink asks for with _fields.
type wpIndex struct {
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	Home       string   `json:"home"`
	Namespaces []string `json:"namespaces"`
}

// kind is what an answer turned out to be.
type kind int

const (
	kindJSON        kind = iota // a 2xx JSON document
	kindWPError                 // a WordPress REST error
	kindRedirect                // a redirect the client would not follow
	kindRateLimited             // 429, or 503 with Retry-After
	kindServerError             // 5xx without a REST error
	kindForbidden               // 401/403 that is no REST error: a firewall, a password prompt
	kindOther                   // a web page, a 404...
)

type answer struct {
	resp *connectors.Response
	kind kind
	err  wpError
}

func inspect(resp *connectors.Response) answer {
	a := answer{resp: resp, kind: kindOther}
	var e wpError
	isJSON := json.Unmarshal(resp.Body, &e) == nil
	switch {
	case resp.Status >= 300 && resp.Status < 400 && resp.Header.Get("Location") != "":
		a.kind = kindRedirect
	case resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		a.kind = kindRateLimited
	case isJSON && e.Code != "" && resp.Status >= 400 && resp.Status < 500:
		a.kind, a.err = kindWPError, e
	case resp.Status >= 500:
		a.kind, a.err = kindServerError, e
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		a.kind = kindForbidden
	case resp.Status >= 200 && resp.Status < 300 && isJSON:
		a.kind = kindJSON
	}
	return a
}

// index reads a REST index, or reports false when the body is none.
func (a answer) index() (wpIndex, bool) {
	var idx wpIndex
	if a.kind != kindJSON || json.Unmarshal(a.resp.Body, &idx) != nil || idx.Namespaces == nil {
		return wpIndex{}, false
	}
	return idx, true
}

// isWooCommerce reports whether a REST error comes from WooCommerce itself.
func (e wpError) isWooCommerce() bool { return strings.HasPrefix(e.Code, "woocommerce_") }

// notAuthenticated: a plugin's answer for a request that is not logged in
// (the REST handbook's rest_not_logged_in, "Disable REST API"'s "Only
// authenticated users..."): a valid key would have got through it.
func (e wpError) notAuthenticated() bool {
	m := strings.ToLower(e.Message)
	return e.Data.Status == http.StatusUnauthorized && !e.isWooCommerce() &&
		(e.Code == "rest_not_logged_in" || strings.Contains(m, "logged in") || strings.Contains(m, "authenticated"))
}

// quote is the error as the server said it, masked, on one line.
func (e wpError) quote(red *redact.Redactor) string {
	return e.Code + `: "` + shorten(stripTags(e.Message), 200, red) + `"`
}

var tags = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<[^>]*>`) })

func stripTags(s string) string { return tags().ReplaceAllString(s, " ") }

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// pageTitle is an HTML page's title, masked, or "".
func pageTitle(body []byte, red *redact.Redactor) string {
	m := titleRE().FindSubmatch(body)
	if m == nil {
		return ""
	}
	return shorten(string(m[1]), 120, red)
}

// describe names an answer that is not the API, for messages.
func describe(resp *connectors.Response, red *redact.Redactor) string {
	what := resp.StatusText
	if title := pageTitle(resp.Body, red); title != "" {
		what = `a web page titled "` + title + `" (` + resp.StatusText + ")"
	} else if ct := resp.Header.Get("Content-Type"); ct != "" {
		what += " (" + shorten(ct, 60, red) + ")"
	}
	if srv := resp.Header.Get("Server"); srv != "" {
		what += ", served by " + shorten(srv, 60, red)
	}
	return what
}

// shorten makes s one line of at most n runes, masked before the cut.
func shorten(s string, n int, red *redact.Redactor) string {
	s = red.String(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

var linkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([^>]+)>\s*;\s*rel="https://api\.w\.org/"`) })

// apiLink is the REST API root a WordPress page announces in its Link
// header (rest_output_link_header()), or "".
func apiLink(resp *connectors.Response) string {
	for _, v := range resp.Header.Values("Link") {
		if m := linkRE().FindStringSubmatch(v); m != nil {
			return m[1]
		}
	}
	return ""
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
