package engine_test

// names_test.go: a name that looks like a saved one is that name (issue 17,
// finding 6), and an on-premise connection needs a saved agent.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/engine"
)

func TestLookAlikeNamesAreRefusedWithTheSavedName(t *testing.T) {
	f := newFixture(t, 0)
	f.create("café")   // composed
	f.create("paypal") // Latin
	ctx := context.Background()
	for _, c := range []struct{ name, want string }{
		{"cafe\u0301", `"café" already exists`}, // decomposed: the same letters
		{"CAFÉ", `"café" already exists`},
		{"p\u0430ypal", `looks the same as a connection named "paypal"`}, // Cyrillic а
		{"sh\u200bop", "invisible characters (found U+200B)"},
		{"shop\u2067", "control characters"},
	} {
		out, err := f.eng.Create(ctx, f.draft(c.name, goodKey), engine.SaveOptions{NoVerify: true})
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Fields[0].Key != connectors.FieldName || !strings.Contains(err.Error(), c.want) || out.Saved {
			t.Errorf("create %q: %v, want a Name error with %q", c.name, err, c.want)
		}
	}
	if got := f.names(); !slices.Equal(got, []string{"café", "paypal"}) {
		t.Errorf("saved %q", got)
	}
	// A decomposed name is kept composed, so it is found whichever way it is typed.
	f.create("Brno\u0301")
	if _, err := f.eng.Get("Brnó"); err != nil {
		t.Errorf("the decomposed name was not kept as NFC: %v (%q)", err, f.names())
	}
}

func TestRenameToALookAlikeIsRefused(t *testing.T) {
	f := newFixture(t, 0)
	f.create("paypal")
	f.create("shop")
	if _, err := f.eng.Rename("shop", "p\u0430ypal"); err == nil || !strings.Contains(err.Error(), `"paypal"`) {
		t.Errorf("rename to a look-alike: %v", err)
	}
	if _, err := f.eng.Rename("shop", "sho\ufeffp"); err == nil || !strings.Contains(err.Error(), "invisible") {
		t.Errorf("rename with a BOM: %v", err)
	}
	if c, err := f.eng.Rename("shop", "SHOP"); err != nil || c.Name != "SHOP" {
		t.Errorf("a connection may restyle its own name: %v %+v", err, c)
	}
}

func TestOnPremiseNeedsASavedAgent(t *testing.T) {
	f := newFixture(t, 0)
	d := f.draft("Behind", goodKey)
	d.Values["mode"] = connectors.ModeOnPremise
	d.Values["agent"] = "ghost"
	out, err := f.eng.Create(context.Background(), d, engine.SaveOptions{NoVerify: true})
	var ie *engine.InputError
	if !errors.As(err, &ie) || ie.Fields[0].Key != connectors.FieldAgent || !strings.Contains(err.Error(), `"ghost"`) || out.Saved {
		t.Errorf("a missing agent: %v %+v", err, out)
	}
	if len(f.names()) != 0 {
		t.Errorf("saved %q", f.names())
	}
}

func TestAgentLookAlikeIsRefused(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	ctx := context.Background()
	if _, err := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}}); err != nil {
		t.Fatal(err)
	}
	_, err := f.eng.SaveAgent(ctx, agentDraft(srv, "\u041effice"), engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}}) // Cyrillic О
	if err == nil || !strings.Contains(err.Error(), `an agent named "Office"`) {
		t.Errorf("agent look-alike: %v", err)
	}
}
