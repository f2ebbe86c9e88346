// Package redact removes secret values from text before it reaches a log,
// an error message or the "Technical details" panel.
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask replaces what is hidden.
const Mask = "****"

// minLen keeps tiny values ("1", "on") from blanking out ordinary words.
const minLen = 4

// Each pattern runs only when one of its lower-case hints occurs, so the
// common line without any costs a few substring searches, not regexps.
var patterns = []struct {
	hints []string
	re    *regexp.Regexp
	repl  string
}{
	// Authorization / Proxy-Authorization header values, in dumps and logs.
	// Not HTTP_AUTHORIZATION: the .htaccess advice Storelink gives names that
	// variable ("[E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"), no value.
	{[]string{"authorization"}, regexp.MustCompile(`(?i)(^|[^_a-z0-9])((?:proxy-)?authorization"?\s*[:=]\s*"?)(?:basic|bearer|oauth|digest)?\s*[^"\r\n,]*(?:,\s*[a-z_]+="[^"]*")*`), "${1}${2}" + Mask},
	{[]string{"ws_key"}, regexp.MustCompile(`(?i)(ws_key=)[^&\s"']+`), "${1}" + Mask},
	{[]string{"oauth_signature"}, regexp.MustCompile(`(?i)(oauth_signature="?)[^"&,\s]+`), "${1}" + Mask},
	{[]string{"oauth_token"}, regexp.MustCompile(`(?i)(oauth_token="?)[^"&,\s]+`), "${1}" + Mask},
	// A value after a field name: JSON ("api_key": "v") or a form or query
	// (api_key=v). "api_key: Could not store..." is Storelink's own words
	// naming a field, not a value, and stays readable.
	{[]string{"key", "password", "secret", "token"}, regexp.MustCompile(`(?i)("(?:api_?key|apiKey|password|consumer_secret|token_secret|access_token|private_key)"\s*:\s*"|\b(?:api_?key|apiKey|password|consumer_secret|token_secret|access_token|private_key)\s*=\s*"?)[^"&,\s}]+`), "${1}" + Mask},
	{[]string{"private key"}, regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`), Mask},
	{[]string{"@"}, regexp.MustCompile(`(://[^:/@\s]+:)[^@/\s]+@`), "${1}" + Mask + "@"},
}

// Patterns masks the shapes of secrets that need no list: header values,
// ws_key and oauth_signature parameters, PEM private keys, URL passwords.
func Patterns(s string) string {
	lower := strings.ToLower(s)
	for _, p := range patterns {
		for _, h := range p.hints {
			if strings.Contains(lower, h) {
				s = p.re.ReplaceAllString(s, p.repl)
				lower = strings.ToLower(s)
				break
			}
		}
	}
	return s
}

// Redactor knows the secret values this process has handled. Safe for
// concurrent use; one is made in main and shared.
type Redactor struct {
	mu      sync.RWMutex
	secrets map[string]struct{}
	sorted  []string // longest first, so a secret containing another is masked whole
	dirty   bool     // sorted needs making again
}

// New returns an empty Redactor.
func New() *Redactor { return &Redactor{secrets: map[string]struct{}{}} }

// Add remembers secret values (and their URL- and line-split forms).
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		for _, form := range forms(v) {
			if _, known := r.secrets[form]; !known && len(form) >= minLen {
				r.secrets[form] = struct{}{}
				r.dirty = true
			}
		}
	}
}

// list returns the secrets longest first, sorting them again only after an
// Add brought a new one.
func (r *Redactor) list() []string {
	r.mu.RLock()
	if !r.dirty {
		defer r.mu.RUnlock()
		return r.sorted
	}
	r.mu.RUnlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dirty {
		sorted := make([]string, 0, len(r.secrets))
		for s := range r.secrets {
			sorted = append(sorted, s)
		}
		sort.Slice(sorted, func(a, b int) bool { return len(sorted[a]) > len(sorted[b]) })
		r.sorted, r.dirty = sorted, false
	}
	return r.sorted
}

// AddPair remembers a secret sent with a user name as HTTP Basic does
// ("user:secret" in base64), besides the secret's own forms.
func (r *Redactor) AddPair(user, secret string) {
	if strings.TrimSpace(secret) == "" {
		return
	}
	r.Add(secret)
	r.Add(base64Forms(user + ":" + strings.TrimSpace(secret))...)
}

func base64Forms(v string) []string {
	b := []byte(v)
	return []string{base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

func forms(v string) []string {
	v = strings.TrimSpace(v)
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	// Sent as a Basic user name with an empty password (PrestaShop), or alone.
	out = append(out, base64Forms(v+":")...)
	out = append(out, base64Forms(v)...)
	// A multi-line secret (PEM) may be logged one line at a time.
	if strings.Contains(v, "\n") {
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
	}
	return out
}

// String masks every known secret and every secret-shaped pattern in s.
func (r *Redactor) String(s string) string {
	if r != nil {
		for _, secret := range r.list() {
			if strings.Contains(s, secret) {
				s = strings.ReplaceAll(s, secret, Mask)
			}
		}
	}
	return Patterns(s)
}
