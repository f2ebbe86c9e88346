package connectors_test

import (
	"testing"

	"storelink/connectors"
)

func TestRegistryWordsAreOneVocabulary(t *testing.T) {
	reg := connectors.NewRegistry()
	newConn := func() connectors.Connector { return nil }
	reg.Register(connectors.Info{ID: "b", Title: "B shop", New: newConn, Words: connectors.ResultWords{
		Methods: map[string]string{"GET": "Look", "PUT": "Change"},
	}})
	reg.Register(connectors.Info{ID: "a", Title: "A shop", New: newConn, Words: connectors.ResultWords{
		Methods:    map[string]string{"GET": "View"},
		Privileges: map[string]string{"readonly": "Read only"},
		Values:     map[string]func(string) string{"patch": func(v string) string { return "patch is " + v }},
	}})
	w := reg.Words()
	for _, c := range []struct{ got, want string }{
		{w.Method("get"), "View"},   // the first by title wins, case ignored
		{w.Method("PUT"), "Change"}, // a term only the second names
		{w.Method("TRACE"), "TRACE"},
		{w.Privilege("READONLY"), "Read only"},
		{w.Privilege("deny"), "deny"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if v, ok := w.Value("patch", "true"); !ok || v != "patch is true" {
		t.Errorf("patch: %q %v", v, ok)
	}
	if v, ok := w.Value("locale", "cs_CZ"); ok || v != "cs_CZ" {
		t.Errorf("a key without words stays as it is: %q %v", v, ok)
	}
}
