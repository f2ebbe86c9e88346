// Package connectortest is the conformance suite every connector runs
// (like rclone's fstests): declared fields are well formed and all used,
// and each case against a test server gives the documented code without
// leaking a secret into the result.
package connectortest

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

// Case is one test of the connector against a server.
type Case struct {
	Name   string
	Values connectors.Values // merged over Suite.Base
	Want   connectors.Code
	// WantWarnings must all be present (for a passing result with warnings).
	WantWarnings []connectors.Code
	// Requests, when non-zero, is the exact number of HTTP requests expected.
	Requests int
	// Check may assert more on the result.
	Check func(t *testing.T, r connectors.Result)
	State connectors.StateStore
	Force bool
	Now   func() time.Time
}

// Suite describes a connector under test.
type Suite struct {
	Info connectors.Info
	// Decode turns values into the connector's typed options; the suite checks
	// that every field the platform declares changes what Decode returns.
	Decode func(connectors.Values) any
	// Sample gives a distinctive valid value for a field key (so Decode sees
	// a change); "" falls back to a generated one.
	Sample func(key string) string
	Base   connectors.Values
	Client connectors.ClientOptions
	Cases  []Case
}

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

var common = map[string]bool{
	connectors.FieldName: true, connectors.FieldMode: true, connectors.FieldAgent: true,
	connectors.FieldConcurrency: true, connectors.FieldBorrowFrom: true,
	connectors.FieldRequestTimeout: true, // Run reads it, not the connector
	// Run builds the client's TLS trust from these, not the connector.
	connectors.FieldTLSFingerprint: true, connectors.FieldCAFile: true, connectors.FieldClientCertificate: true,
}

// Run runs the whole suite.
func Run(t *testing.T, s Suite) {
	t.Helper()
	t.Run("fields", func(t *testing.T) { checkFields(t, s.Info) })
	if s.Decode != nil {
		t.Run("every field is used", func(t *testing.T) { checkDecode(t, s) })
	}
	for _, c := range s.Cases {
		t.Run(c.Name, func(t *testing.T) { runCase(t, s, c) })
	}
}

func checkFields(t *testing.T, info connectors.Info) {
	for _, f := range info.Fields {
		if !snake.MatchString(f.Key) {
			t.Errorf("field key %q is not snake_case", f.Key)
		}
		if f.Label == "" || f.Help == "" {
			t.Errorf("field %q needs a label and help", f.Key)
		}
		if f.Kind == connectors.KindChoice && len(f.Choices) == 0 && f.ChoicesFrom == "" {
			t.Errorf("choice field %q has no choices", f.Key)
		}
		if f.Default != "" && f.Validate != nil {
			if err := f.Validate(f.Default); err != nil {
				t.Errorf("field %q: default %q does not validate: %v", f.Key, f.Default, err)
			}
		}
		for _, cond := range append(append([]connectors.Condition{}, f.VisibleWhen...), f.RequiredWhen...) {
			if _, ok := info.Field(cond.Field); !ok {
				t.Errorf("field %q has a condition on unknown field %q", f.Key, cond.Field)
			}
		}
	}
}

func checkDecode(t *testing.T, s Suite) {
	base := s.Base.Clone()
	before := s.Decode(base)
	for _, f := range s.Info.Fields {
		if common[f.Key] {
			continue
		}
		v := ""
		if s.Sample != nil {
			v = s.Sample(f.Key)
		}
		if v == "" {
			v = sampleFor(f, base[f.Key])
		}
		changed := base.Clone()
		changed[f.Key] = v
		if reflect.DeepEqual(before, s.Decode(changed)) {
			t.Errorf("field %q (set to %q) does not change the decoded options: is it used?", f.Key, v)
		}
	}
}

func sampleFor(f connectors.Field, current string) string {
	switch f.Kind {
	case connectors.KindChoice:
		for _, c := range f.Choices {
			if c.Value != current {
				return c.Value
			}
		}
	case connectors.KindBool:
		if current == "false" {
			return "true"
		}
		return "false"
	case connectors.KindNumber:
		if current == "7" {
			return "8"
		}
		return "7"
	}
	return "sample-" + f.Key
}

func runCase(t *testing.T, s Suite, c Case) {
	values := s.Base.Clone()
	for k, v := range c.Values {
		values[k] = v
	}
	var steps []string
	cfg := connectors.Config{
		Name: "conformance", Values: values, Client: s.Client,
		Progress: func(step string) { steps = append(steps, step) },
		State:    c.State, Force: c.Force, Now: c.Now,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := connectors.Run(ctx, s.Info, cfg) // as the window and the command line test
	if r.Code != c.Want {
		t.Fatalf("code = %q, want %q\nmessage: %s\nhint: %s\nwarnings: %v", r.Code, c.Want, r.Message, r.Hint, r.Warnings)
	}
	if r.OK != (c.Want == connectors.CodeOK) {
		t.Errorf("ok = %v with code %q", r.OK, r.Code)
	}
	if !connectors.KnownCode(r.Code) {
		t.Errorf("code %q is not in the documented set", r.Code)
	}
	if strings.TrimSpace(r.Message) == "" {
		t.Error("the result has no message")
	}
	if !r.OK && strings.TrimSpace(r.Hint) == "" && r.Code != connectors.CodeCanceled {
		t.Error("a failure must say what to do (hint)")
	}
	for _, w := range c.WantWarnings {
		if !r.HasWarning(w) {
			t.Errorf("missing warning %q; got %v", w, r.Warnings)
		}
	}
	for _, w := range r.Warnings {
		if !connectors.KnownCode(w.Code) {
			t.Errorf("warning code %q is not in the documented set", w.Code)
		}
	}
	if c.Requests != 0 && r.Requests != c.Requests {
		t.Errorf("made %d HTTP requests, want exactly %d", r.Requests, c.Requests)
	}
	AssertNoSecrets(t, s.Info, values, r)
	if c.Check != nil {
		c.Check(t, r)
	}
}

// AssertNoSecrets fails if any secret value appears in the result, its
// exchanges included.
func AssertNoSecrets(t *testing.T, info connectors.Info, values connectors.Values, r connectors.Result) {
	t.Helper()
	dump, err := json.Marshal(struct {
		R connectors.Result
		E []connectors.Exchange
	}{r, r.Exchanges})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range info.Fields {
		v := strings.TrimSpace(values[f.Key])
		if !f.IsSecret() || len(v) < 4 {
			continue
		}
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= 8 && !strings.HasPrefix(line, "-----") && strings.Contains(string(dump), line) {
				t.Errorf("secret field %q leaks into the result: %s", f.Key, dump)
			}
		}
	}
}
