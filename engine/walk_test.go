package engine

// walk_test.go: every string of every type that leaves the engine can be
// masked by the redactor's walk.

import (
	"encoding/json"
	"reflect"
	"testing"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/redact"
	"storelink/vault"
)

// Every string field of every type that leaves the engine, filled with text
// holding a secret in pieces, passes the redactor's walk: a field added
// later (or a type the walk cannot reach) fails here.
func TestWalkMasksEveryFieldOfEveryResult(t *testing.T) {
	const secret = "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN"
	text := "title " + secret[:31] + "... realm x" + secret[3:] + " whole " + secret
	red := redact.New()
	red.Add(secret)
	e := New(Deps{Redactor: red})
	for _, v := range []any{
		&connectors.Result{}, &connectors.CertificateInfo{}, &vault.Verification{}, &vault.Connection{},
		&Tested{}, &Event{}, &Outcome{}, &AgentOutcome{}, &ProbeOutcome{}, &Diagnosis{}, &[]Diagnosis{},
		&Trial{}, &AgentDetail{}, &Change{}, &StatusInfo{},
	} {
		name := reflect.TypeOf(v).Elem().String()
		n, unfillable := connectortest.Fill(v, text)
		if n < 1 || len(unfillable) > 0 {
			t.Errorf("%s: %d strings filled; fields no walk can mask: %v", name, n, unfillable)
		}
		if r, ok := v.(*connectors.Result); ok {
			e.mask(r) // what every test's result goes through
		} else {
			red.Walk(v)
		}
		all := connectortest.Strings(v)
		if js, err := json.Marshal(v); err == nil { // Outcome holds functions: no JSON
			all = append(all, string(js))
		}
		for _, s := range all {
			if p := connectortest.Piece(s, secret); p != "" {
				t.Errorf("%s: %q survived the walk in %q", name, p, s)
				break
			}
		}
	}
}
