package connectors

// present.go: a result in the shape an owner reads in ten seconds: a
// one-line headline, the reason in a sentence or two, numbered steps (with
// the exact text to paste), technical details kept apart, and one-click
// fixes. Connectors say it in one place per diagnosis (Result.With,
// Diagnose); Present derives it from Message and Hint for any result that
// did not, so every platform shows something sensible.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxHeadline is the longest headline, in characters, a connector should
// write; Present shortens derived ones to it.
const MaxHeadline = 90

// Presentation is a result in words, split by how it is read.
type Presentation struct {
	// Headline is one line: what happened ("The API key is not known to the shop").
	Headline string `json:"headline,omitempty"`
	// Reason is why, in one or two sentences.
	Reason string `json:"reason,omitempty"`
	// Steps are what to do, in order, with the back-office path.
	Steps []Step `json:"steps,omitempty"`
	// Technical are the details for a developer or support: codes, ACL IDs,
	// headers, timings.
	Technical []Detail `json:"technical,omitempty"`
	// Fixes are changes of one field each that the answer says would help;
	// a front end offers them as buttons.
	Fixes []Fix `json:"fixes,omitempty"`
}

// Step is one thing to do. Copy, when set, is the exact text to paste (a
// .htaccess line, a command), shown with a Copy button.
type Step struct {
	Text string `json:"text"`
	Copy string `json:"copy,omitempty"`
}

// Detail is one technical fact: "ACL resource": "Magento_Backend::store".
type Detail struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Fix sets one field to one value: {"Use HMAC-SHA256", "signature_method", "HMAC-SHA256"}.
type Fix struct {
	Label string `json:"label"`
	Field string `json:"field"`
	Value string `json:"value"`
}

// Steps makes steps of plain sentences.
func Steps(texts ...string) []Step {
	out := make([]Step, len(texts))
	for i, t := range texts {
		out[i] = Step{Text: t}
	}
	return out
}

// CopyStep is a step with the exact text to paste.
func CopyStep(text, paste string) Step { return Step{Text: text, Copy: paste} }

// Tech makes details of label, value pairs; pairs with an empty value are left out.
func Tech(pairs ...string) []Detail {
	var out []Detail
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, Detail{Label: pairs[i], Value: pairs[i+1]})
		}
	}
	return out
}

// Text fills a sentence's named parameters: Text("{host} answered.", "host", h).
// Sentences stay whole, so they can be translated later.
func Text(sentence string, names ...string) string {
	if len(names)%2 != 0 {
		names = append(names, "")
	}
	pairs := make([]string, 0, len(names))
	for i := 0; i < len(names); i += 2 {
		pairs = append(pairs, "{"+names[i]+"}", names[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(sentence)
}

// With gives r its presentation, keeping Message and Hint as they are (the
// flat text `storelink test` prints and scripts read).
func (r Result) With(p Presentation) Result {
	r.Presentation = p
	return r
}

// Diagnose builds a failed result from its presentation alone: Message is
// the headline and the reason, Hint the steps, so a new diagnosis is said
// once.
func Diagnose(code Code, p Presentation) Result {
	msg := sentence(p.Headline)
	if p.Reason != "" {
		msg += " " + p.Reason
	}
	var hint []string
	for _, s := range p.Steps {
		if s.Copy != "" { // the text to paste ends as it is, without a full stop
			hint = append(hint, strings.TrimSuffix(strings.TrimSpace(s.Text), ".")+": "+s.Copy)
			continue
		}
		hint = append(hint, sentence(s.Text))
	}
	return Fail(code, msg, strings.Join(hint, " ")).With(p)
}

// sentence ends s with a full stop when it has no end of its own.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?:") {
		return s
	}
	return s + "."
}

// Present is r's presentation: what the connector said, completed from
// Message and Hint where it said nothing (first sentence of Message as the
// headline, the rest as the reason, Hint's sentences as steps), with the
// code first among the technical details.
func Present(r Result) Presentation {
	p := r.Presentation
	if h, ok := networkHeadlines[r.Code]; ok && strings.TrimSpace(p.Headline) == "" && !r.OK {
		// The network's words (host, port, the system's error) are the reason.
		p.Headline, p.Reason = h, strings.Join(strings.Fields(r.Message), " ")
	}
	if strings.TrimSpace(p.Headline) == "" {
		p.Headline, p.Reason = splitHeadline(r.Message)
		if p.Headline == "" {
			p.Headline = r.Code.Short()
			if r.OK {
				p.Headline = "The connection works"
			}
		}
	}
	p.Headline = oneLine(p.Headline)
	if p.Steps == nil && !r.OK && r.Hint != "" {
		p.Steps = Steps(sentences(r.Hint)...)
	}
	if r.Code != "" && !hasDetail(p.Technical, detailCode) {
		p.Technical = append([]Detail{{Label: detailCode, Value: string(r.Code)}}, p.Technical...)
	}
	return p
}

const detailCode = "Code"

// networkHeadlines say failures before any platform answered, the same for
// every platform (Client.Do's errors, the agent's, the context's).
var networkHeadlines = map[Code]string{
	CodeUnreachable:            "The store cannot be reached from this computer",
	CodeTimeout:                "The store did not answer in time",
	CodeTLS:                    "The store's HTTPS certificate was not accepted",
	CodeCanceled:               "The test was cancelled",
	CodeAgentUnavailable:       "The agent for this connection cannot be used",
	CodeAgentUnreachable:       "The agent cannot be reached",
	CodeAgentAuthInvalid:       "The agent refused to sign in",
	CodeAgentForwardingRefused: "The agent's SSH server refuses the tunnel",
	CodeHostKeyUnknown:         "The agent's host key is not trusted yet",
	CodeHostKeyChanged:         "The agent's host key has changed",
	CodeKeychain:               "The connection's secrets could not be read",
	CodeInternalError:          "Storelink failed while testing",
}

func hasDetail(ds []Detail, label string) bool {
	for _, d := range ds {
		if d.Label == label {
			return true
		}
	}
	return false
}

// splitHeadline takes the first sentence of msg as a headline of at most
// MaxHeadline characters, and the rest as the reason.
func splitHeadline(msg string) (headline, reason string) {
	ss := sentences(msg)
	if len(ss) == 0 {
		return "", ""
	}
	head, rest := ss[0], strings.Join(ss[1:], " ")
	if utf8.RuneCountInString(head) > MaxHeadline {
		// "Magento refused the admin sign-in: <Magento's words>" reads as its
		// first clause; the whole sentence moves to the reason.
		if i := strings.Index(head, ": "); i > 0 && utf8.RuneCountInString(head[:i]) < MaxHeadline {
			return head[:i], strings.TrimSpace(head + " " + rest)
		}
		return shortenWords(head, MaxHeadline), strings.TrimSpace(head + " " + rest)
	}
	return strings.TrimSuffix(head, "."), rest
}

// sentences splits text after ".", "!" or "?" followed by a space and a
// capital letter or a digit, so "1.0 hours", ".htaccess" and "e.g. x" stay whole.
func sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if !strings.ContainsRune(".!?", rune(text[i])) || i+2 >= len(text) || text[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[i+2:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || next == '"' {
			out = append(out, text[start:i+1])
			start = i + 2
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// oneLine joins lines and cuts s to MaxHeadline characters at a word.
func oneLine(s string) string {
	return shortenWords(strings.Join(strings.Fields(s), " "), MaxHeadline)
}

func shortenWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
