package connectortest

// presentation.go: what every result of a connector that presents its
// diagnoses must show: a one-line headline, a reason for a failure, steps
// that say what to do, the code among the technical details, and fixes that
// name a declared field.

import (
	"strings"
	"testing"
	"unicode/utf8"

	"storelink/connectors"
)

// Presented wraps each case's Check so that it also asserts the result's
// presentation, as Run completed it.
func Presented(info connectors.Info, cases []Case) []Case {
	out := make([]Case, len(cases))
	for i, c := range cases {
		check := c.Check
		c.Check = func(t *testing.T, r connectors.Result) {
			t.Helper()
			CheckPresentation(t, info, r)
			if check != nil {
				check(t, r)
			}
		}
		out[i] = c
	}
	return out
}

// CheckPresentation asserts r's structured parts. Invalid input is said by
// the form beside the field, so its presentation may be derived.
func CheckPresentation(t *testing.T, info connectors.Info, r connectors.Result) {
	t.Helper()
	p := r.Presentation
	h := p.Headline
	switch {
	case h == "":
		t.Errorf("no headline (code %s, message %q)", r.Code, r.Message)
	case strings.ContainsAny(h, "\n\r"):
		t.Errorf("headline is more than one line: %q", h)
	case utf8.RuneCountInString(h) > connectors.MaxHeadline:
		t.Errorf("headline has %d characters, more than %d: %q", utf8.RuneCountInString(h), connectors.MaxHeadline, h)
	}
	if !r.OK {
		if strings.TrimSpace(p.Reason) == "" && r.Code != connectors.CodeInvalidInput {
			t.Errorf("a failure without a reason: headline %q", h)
		}
		if len(p.Steps) == 0 && r.Code != connectors.CodeCanceled {
			t.Errorf("a failure without steps: headline %q", h)
		}
	}
	for i, s := range p.Steps {
		if strings.TrimSpace(s.Text) == "" {
			t.Errorf("step %d has no text", i+1)
		}
	}
	for _, d := range p.Technical {
		if d.Label == "" || d.Value == "" {
			t.Errorf("technical detail %+v lacks a label or a value", d)
		}
	}
	if len(p.Technical) == 0 || p.Technical[0].Label != "Code" || p.Technical[0].Value != string(r.Code) {
		t.Errorf("technical details do not start with the code %s: %+v", r.Code, p.Technical)
	}
	for _, f := range p.Fixes {
		if f.Label == "" || f.Value == "" {
			t.Errorf("fix %+v lacks a label or a value", f)
		}
		if _, ok := info.Field(f.Field); !ok {
			t.Errorf("fix %+v names a field %s does not declare", f, info.ID)
		}
	}
}
