// Package redact removes secret values from text before it reaches a log,
// an error message or the "Technical details" panel.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Mask replaces what is hidden.
const Mask = "****"

// minLen keeps tiny values ("1", "on") from blanking out ordinary words.
const minLen = 4

// Each pattern runs only where one of its lower-case hints occurs, so the
// common line without any costs a few substring searches, not regexps, and a
// large body with "key" in it is not scanned whole by a case-insensitive
// regexp (about 7 MB/s). before is how many bytes before a hint a match can
// start (the hint, or each of locators when given, is always inside the
// match); -1 runs the pattern over the
// whole text (those have a literal prefix, which regexp finds fast). Each
// regexp is compiled the first time its hint occurs, not at start-up.
var patterns = []pattern{
	// Authorization / Proxy-Authorization header values, in dumps and logs.
	// Not HTTP_AUTHORIZATION: the .htaccess advice Storelink gives names that
	// variable ("[E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"), no value.
	// before: one rune of context (up to 4 bytes) and "proxy-".
	newPattern([]string{"authorization"}, 10, `(?i)(^|[^_a-z0-9])((?:proxy-)?authorization"?\s*[:=]\s*"?)(?:basic|bearer|oauth|digest)?\s*[^"\r\n,]*(?:,\s*[a-z_]+="[^"]*")*`, "${1}${2}"+Mask),
	newPattern([]string{"ws_key"}, 0, `(?i)(ws_key=)[^&\s"']+`, "${1}"+Mask),
	newPattern([]string{"oauth_signature"}, 0, `(?i)(oauth_signature="?)[^"&,\s]+`, "${1}"+Mask),
	newPattern([]string{"oauth_token"}, 0, `(?i)(oauth_token="?)[^"&,\s]+`, "${1}"+Mask),
	// A value after a field name: JSON ("api_key": "v") or a form or query
	// (api_key=v). "api_key: Could not store..." is Storelink's own words
	// naming a field, not a value, and stays readable.
	// Searched near the names themselves, which every match holds (a JSON
	// body with a "key" field costs no regexp); before: the opening quote.
	newPattern([]string{"key", "password", "secret", "token"}, 1, `(?i)("(?:api_?key|apiKey|password|consumer_secret|token_secret|access_token|private_key)"\s*:\s*"|\b(?:api_?key|apiKey|password|consumer_secret|token_secret|access_token|private_key)\s*=\s*"?)[^"&,\s}]+`, "${1}"+Mask,
		"api_key", "apikey", "password", "consumer_secret", "token_secret", "access_token", "private_key"),
	newPattern([]string{"private key"}, -1, `-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`, Mask),
	newPattern([]string{"@"}, -1, `(://[^:/@\s]+:)[^@/\s]+@`, "${1}"+Mask+"@"),
}

// pattern is one shape of secret; see patterns.
type pattern struct {
	hints []string
	// locators are what a match always holds, when more telling than hints.
	locators []string
	before   int
	repl     string
	re       func() *regexp.Regexp
	// near and nearStart find re's leftmost match starting at most before+4
	// runes after where they are run (near after one rune of context, which
	// it reads first), anchored there: the search ends near the hint rather
	// than reading on through the text. Group 1 is re's whole match.
	near, nearStart func() *regexp.Regexp
}

func newPattern(hints []string, before int, expr, repl string, locators ...string) pattern {
	if locators == nil {
		locators = hints
	}
	skip := `(?s:.){0,` + strconv.Itoa(before+4) + `}?(` + expr + `)`
	compiled := func(e string) func() *regexp.Regexp {
		return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(e) })
	}
	return pattern{hints: hints, locators: locators, before: before, repl: repl, re: compiled(expr),
		near: compiled(`\A(?s:.)` + skip), nearStart: compiled(`\A` + skip)}
}

// foldedAway are runes that (?i) matches with an ASCII letter of a hint
// (the Kelvin sign for k, the long s for s): a text with one is searched
// whole, as a search for the ASCII hint would miss it.
const foldedAway = "\u212A\u017F"

// Patterns masks the shapes of secrets that need no list: header values,
// ws_key and oauth_signature parameters, PEM private keys, URL passwords.
func Patterns(s string) string {
	whole := strings.ContainsAny(s, foldedAway)
	lower := strings.ToLower(s)
	for _, p := range patterns {
		for _, h := range p.hints {
			if strings.Contains(lower, h) {
				if whole || p.before < 0 {
					s = p.re().ReplaceAllString(s, p.repl)
				} else {
					s = p.replaceNear(s)
				}
				lower = strings.ToLower(s)
				break
			}
		}
	}
	return s
}

// replaceNear is p.re().ReplaceAllString(s, p.repl), searching only within
// p.before bytes ahead of each hint: every match holds a hint, so no match
// starts anywhere else. The context of each search (the byte before it, for
// \b and the character class) is s's own.
func (p pattern) replaceNear(s string) string {
	at := hintsAt(s, p.locators)
	if len(at) == 0 {
		return s
	}
	var b strings.Builder
	done, written := 0, 0
	for _, q := range at {
		if q < done {
			continue // inside the last match
		}
		from := max(done, runeAt(s, max(done, q-p.before)))
		m := p.nearAt(s, from)
		if m == nil {
			continue
		}
		b.WriteString(s[written:m[0]])
		b.Write(p.re().ExpandString(nil, p.repl, s, m))
		written, done = m[1], m[1]
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// runeAt is where the rune holding s[i] starts: i itself unless s[i] is
// inside a valid multi-byte rune. A run of stray continuation bytes is as
// many runes to the regexp (one U+FFFD each), so walking back over all of
// them would start a window further back than the runes it may skip.
func runeAt(s string, i int) int {
	for k := 1; k < utf8.UTFMax && i-k >= 0; k++ {
		if utf8.RuneStart(s[i-k]) {
			if r, size := utf8.DecodeRuneInString(s[i-k:]); (r != utf8.RuneError || size > 1) && i-k+size > i {
				return i - k
			}
			return i
		}
	}
	return i
}

// nearAt is the submatch indexes in s of re's leftmost match starting in
// the window at from, nil when there is none.
func (p pattern) nearAt(s string, from int) []int {
	ctx, near := 0, p.nearStart()
	if from > 0 {
		ctx, near = runeAt(s, from-1), p.near()
	}
	m := near.FindStringSubmatchIndex(s[ctx:])
	if m == nil {
		return nil
	}
	m = m[2:] // group 1 is re's match, and its groups follow
	for i := range m {
		if m[i] >= 0 {
			m[i] += ctx
		}
	}
	return m
}

// hintsAt are the offsets in s of every hint, ASCII letters in any case,
// in order.
func hintsAt(s string, hints []string) []int {
	folded := asciiLower(s) // same length as s: offsets carry over
	var at []int
	for _, h := range hints {
		for i := 0; ; {
			j := strings.Index(folded[i:], h)
			if j < 0 {
				break
			}
			at = append(at, i+j)
			i += j + 1
		}
	}
	slices.Sort(at)
	return at
}

// asciiLower is s with its ASCII letters in lower case, byte for byte.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// RunLen is the shortest piece of a secret that is masked wherever it
// stands: text shortened, joined or quoted by a server or by Storelink may
// hold a secret only in part.
const RunLen = 8

// filterBits sizes the bit set that lets most positions of a text skip the
// map of a secret's pieces (2^16 bits: 8 KiB per redactor).
const filterBits = 16

// Redactor knows the secret values this process has handled. Safe for
// concurrent use; one is made in main and shared.
type Redactor struct {
	mu sync.RWMutex
	// secrets maps each form to whether it has no pieces (shorter than
	// RunLen, or a whole PEM): only those need a search of their own when
	// no piece of any secret is in the text.
	secrets  map[string]bool
	sorted   []string // longest first, so a secret containing another is masked whole
	unpieced []string // the forms without pieces, longest first
	dirty    bool     // sorted and unpieced need making again
	// pieces holds every RunLen-byte window of every form of a secret, as
	// a little-endian uint64; filter has the bit of each piece's hash set,
	// so most positions of a text cost one bit test and no map lookup.
	pieces map[uint64]struct{}
	filter *[1 << filterBits / 64]uint64
	known  known // what Add and AddPair were given: adding it again changes nothing
}

// New returns an empty Redactor.
func New() *Redactor { return &Redactor{} }

// Add remembers secret values (and their URL- and line-split forms).
func (r *Redactor) Add(values ...string) {
	if r == nil || r.knowsAll(values) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets == nil {
		r.secrets, r.pieces, r.filter = map[string]bool{}, map[uint64]struct{}{}, new([1 << filterBits / 64]uint64)
	}
	for _, v := range values {
		if _, done := r.known.values[v]; done {
			continue // the vault, then the engine, add each secret it reads
		}
		r.known.add(v)
		pieced := map[string]bool{}
		for _, form := range pieceForms(v) {
			// A form known with pieces has them all already: a secret is
			// added again for each user name paired with it, and most of its
			// forms are the same string (escaping leaves it as it is).
			if alone, known := r.secrets[form]; len(form) >= RunLen && !pieced[form] && (!known || alone) {
				r.addPieces(form)
			}
			if len(form) >= RunLen {
				pieced[form] = true
			}
		}
		for _, form := range forms(v) {
			if len(form) < minLen {
				continue
			}
			if was, known := r.secrets[form]; !known || (was && pieced[form]) {
				r.secrets[form] = !pieced[form]
				r.dirty = true
			}
		}
	}
}

// pieceForms are the forms of v whose every RunLen-byte piece is masked. A
// multi-line secret (PEM) gives its lines' forms, not its own: the pieces of
// "-----BEGIN RSA PRIVATE KEY-----" would mask those words in any message.
func pieceForms(v string) []string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "\n") {
		return forms(v)
	}
	var out []string
	for _, line := range strings.Split(v, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			out = append(out, forms(line)...)
		}
	}
	return out
}

// addPieces remembers every RunLen-byte window of form; r.mu is held.
func (r *Redactor) addPieces(form string) {
	var w uint64
	for i := 0; i < len(form); i++ {
		w = w>>8 | uint64(form[i])<<56
		if i >= RunLen-1 {
			r.pieces[w] = struct{}{}
			h := pieceHash(w)
			r.filter[h/64] |= 1 << (h % 64)
		}
	}
}

func pieceHash(w uint64) uint64 { return (w * 0x9E3779B97F4A7C15) >> (64 - filterBits) }

// list returns the secrets and those without pieces, longest first,
// sorting them again only after an Add brought a new one.
func (r *Redactor) list() (all, unpieced []string) {
	r.mu.RLock()
	if !r.dirty {
		defer r.mu.RUnlock()
		return r.sorted, r.unpieced
	}
	r.mu.RUnlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dirty {
		sorted, short := make([]string, 0, len(r.secrets)), []string{}
		for s, alone := range r.secrets {
			sorted = append(sorted, s)
			if alone {
				short = append(short, s)
			}
		}
		longestFirst := func(list []string) {
			sort.Slice(list, func(a, b int) bool { return len(list[a]) > len(list[b]) })
		}
		longestFirst(sorted)
		longestFirst(short)
		r.sorted, r.unpieced, r.dirty = sorted, short, false
	}
	return r.sorted, r.unpieced
}

// AddPair remembers a secret sent with a user name as HTTP Basic does
// ("user:secret" in base64), besides the secret's own forms.
func (r *Redactor) AddPair(user, secret string) {
	if strings.TrimSpace(secret) == "" || r.knowsPair(user, secret) {
		return
	}
	r.Add(secret)
	r.Add(base64Forms(user + ":" + strings.TrimSpace(secret))...)
	r.notePair(user, secret)
}

func base64Forms(v string) []string {
	b := []byte(v)
	return []string{base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

func forms(v string) []string {
	v = strings.TrimSpace(v)
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	// Quoted as Go's %q and logrus do, or as JSON does (a `"` becomes `\"`).
	if q := strconv.Quote(v); len(q) != len(v)+2 {
		out = append(out, q[1:len(q)-1])
	}
	if j, err := json.Marshal(v); err == nil && len(j) != len(v)+2 {
		out = append(out, string(j[1:len(j)-1]))
	}
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

// String masks every known secret, every run of RunLen or more bytes that is
// part of one, and every secret-shaped pattern in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return Patterns(s)
	}
	all, unpieced := r.list()
	spans := r.pieceSpans(s)
	search := unpieced
	if spans != nil {
		search = all // a secret of RunLen or more can only be there now
	}
	replaced := false
	for _, secret := range search {
		if strings.Contains(s, secret) {
			s, replaced = strings.ReplaceAll(s, secret, Mask), true
		}
	}
	if replaced && spans != nil {
		spans = r.pieceSpans(s)
	}
	return Patterns(maskSpans(s, spans))
}

// pieceSpans are the byte ranges of s covered by pieces of known secrets,
// merged. It looks everywhere, not only where text was cut or joined: that
// is a superset, and needs no knowledge of who cut what.
func (r *Redactor) pieceSpans(s string) [][2]int {
	if len(s) < RunLen {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.pieces) == 0 {
		return nil
	}
	var spans [][2]int
	var w uint64
	for i := 0; i < len(s); i++ {
		w = w>>8 | uint64(s[i])<<56
		if i < RunLen-1 {
			continue
		}
		if h := pieceHash(w); r.filter[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		if _, ok := r.pieces[w]; !ok {
			continue
		}
		start, end := i+1-RunLen, i+1
		if n := len(spans); n > 0 && start <= spans[n-1][1] {
			spans[n-1][1] = end
		} else {
			spans = append(spans, [2]int{start, end})
		}
	}
	return spans
}

// maskSpans replaces each span of s with Mask, widened to whole runes so
// the output stays valid UTF-8.
func maskSpans(s string, spans [][2]int) string {
	if spans == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	done := 0
	for _, sp := range spans {
		start, end := max(sp[0], done), sp[1]
		for start > done && !utf8.RuneStart(s[start]) {
			start--
		}
		for end < len(s) && !utf8.RuneStart(s[end]) {
			end++
		}
		if start >= end {
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString(Mask)
		done = end
	}
	b.WriteString(s[done:])
	return b.String()
}
