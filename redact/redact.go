// Package redact removes secret values from text before it reaches a log,
// an error message or the "Technical details" panel.
package redact

import (
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
	{[]string{"authorization"}, regexp.MustCompile(`(?i)((?:proxy-)?authorization"?\s*[:=]\s*"?)(?:basic|bearer|oauth|digest)?\s*[^"\r\n,]*(?:,\s*[a-z_]+="[^"]*")*`), "${1}" + Mask},
	{[]string{"ws_key"}, regexp.MustCompile(`(?i)(ws_key=)[^&\s"']+`), "${1}" + Mask},
	{[]string{"oauth_signature"}, regexp.MustCompile(`(?i)(oauth_signature="?)[^"&,\s]+`), "${1}" + Mask},
	{[]string{"oauth_token"}, regexp.MustCompile(`(?i)(oauth_token="?)[^"&,\s]+`), "${1}" + Mask},
	{[]string{"key", "password", "secret", "token"}, regexp.MustCompile(`(?i)("?(?:api_?key|apiKey|password|consumer_secret|token_secret|access_token|private_key)"?\s*[:=]\s*"?)[^"&,\s}]+`), "${1}" + Mask},
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
			if len(form) >= minLen {
				r.secrets[form] = struct{}{}
			}
		}
	}
	r.sorted = r.sorted[:0]
	for s := range r.secrets {
		r.sorted = append(r.sorted, s)
	}
	sort.Slice(r.sorted, func(a, b int) bool { return len(r.sorted[a]) > len(r.sorted[b]) })
}

func forms(v string) []string {
	v = strings.TrimSpace(v)
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
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
		r.mu.RLock()
		for _, secret := range r.sorted {
			if strings.Contains(s, secret) {
				s = strings.ReplaceAll(s, secret, Mask)
			}
		}
		r.mu.RUnlock()
	}
	return Patterns(s)
}
