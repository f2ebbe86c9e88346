package engine_test

// edit_test.go: an edit keeps the saved secrets it is not given, and never
// sends them to a new address without the owner's word.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/engine"
)

// windowDraft is the edit form as the window hands it over: every field,
// the secret left empty ("stored in the keychain").
func windowDraft(name, url, note string) engine.Draft {
	return engine.Draft{App: "demo", Values: connectors.Values{"name": name, "url": url, "api_key": "", "note": note}}
}

func TestEditWithTheSavedKeyLeftEmpty(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	ctx := context.Background()
	edit := engine.SaveOptions{Editing: "Shop"}

	d, err := f.eng.WithSaved(windowDraft("Shop", f.shop.URL+"/", "timeout changed"), edit)
	if err != nil || d.Values["api_key"] != goodKey || d.Values["note"] != "timeout changed" {
		t.Fatalf("WithSaved: %v %q", err, d.Values["note"])
	}
	// Test connection while editing uses the saved key.
	c, err := f.eng.Check(d, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	if r := f.eng.Test(ctx, c, engine.TestOptions{}); !r.OK {
		t.Fatalf("the test of the edit: %+v", r)
	}
	out, err := f.eng.Save(ctx, d, edit)
	if err != nil || !out.Saved || out.Connection.Values["note"] != "timeout changed" {
		t.Fatalf("saved: %v %+v", err, out.Result)
	}
	if s, _ := f.store.Secrets(out.Connection); s["api_key"] != goodKey {
		t.Errorf("the saved key is kept: %q", s["api_key"])
	}
	// A typed key replaces the saved one (and is tested).
	typed := windowDraft("Shop", f.shop.URL, "")
	typed.Values["api_key"] = otherKey
	if d, err := f.eng.WithSaved(typed, edit); err != nil || d.Values["api_key"] != otherKey {
		t.Errorf("a typed key replaces the saved one: %v", err)
	}
}

func TestAnEditToANewAddressDoesNotSendTheSavedKey(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	elsewhere := newShop(t) // accepts goodKey: a new address would learn it
	ctx := context.Background()
	moved := engine.Draft{Values: connectors.Values{"url": elsewhere.URL}}

	refused := func(how string, err error) {
		t.Helper()
		var ae *engine.AddressChangeError
		if !errors.As(err, &ae) || !errors.Is(err, engine.ErrSecretsForNewAddress) {
			t.Fatalf("%s: want an *AddressChangeError, got %v", how, err)
		}
		msg := err.Error()
		for _, want := range []string{"URL: " + f.shop.URL + " → " + elsewhere.URL, "saved API key is not sent there", "Type the API key again, or confirm"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q does not say %q", how, msg, want)
			}
		}
		if len(ae.Secrets) != 1 || ae.Secrets[0].Key != "api_key" || len(ae.Changes) != 1 || ae.Changes[0].Key != "url" {
			t.Errorf("%s: fields %+v %+v", how, ae.Secrets, ae.Changes)
		}
		if strings.Contains(msg, goodKey) {
			t.Errorf("%s: the refusal shows the key", how)
		}
	}
	// The command line's edit, the window's draft, with or without a test.
	_, err := f.eng.Edit(ctx, "Shop", moved, engine.SaveOptions{KeepSaved: true})
	refused("edit", err)
	_, err = f.eng.Edit(ctx, "Shop", moved, engine.SaveOptions{KeepSaved: true, NoVerify: true})
	refused("edit without verifying", err)
	_, err = f.eng.WithSaved(windowDraft("Shop", elsewhere.URL, ""), engine.SaveOptions{Editing: "Shop"})
	refused("the window's draft", err)
	if n := elsewhere.requests.Load(); n != 0 {
		t.Fatalf("the new address got %d requests", n)
	}
	if c, _ := f.store.Get("Shop"); c.Values["url"] != f.shop.URL || c.Generation != 1 {
		t.Fatalf("nothing changed: %+v", c)
	}

	// The same address written differently is no new address.
	if _, err := f.eng.WithSaved(windowDraft("Shop", strings.ToUpper(f.shop.URL[:7])+f.shop.URL[7:]+"/", ""), engine.SaveOptions{Editing: "Shop"}); err != nil {
		t.Errorf("the same address: %v", err)
	}

	// Typed again: the key the owner gave goes to the new address.
	typed := engine.Draft{Values: connectors.Values{"url": elsewhere.URL, "api_key": goodKey}}
	if out, err := f.eng.Edit(ctx, "Shop", typed, engine.SaveOptions{KeepSaved: true}); err != nil || !out.Saved {
		t.Fatalf("typed again: %v %+v", err, out.Result)
	}
	if elsewhere.requests.Load() == 0 {
		t.Error("the typed key was tested at the new address")
	}

	// Confirmed: the saved key goes, tested and saved.
	back := engine.Draft{Values: connectors.Values{"url": f.shop.URL}}
	_, err = f.eng.Edit(ctx, "Shop", back, engine.SaveOptions{KeepSaved: true})
	if !errors.Is(err, engine.ErrSecretsForNewAddress) {
		t.Fatalf("moving back with the saved key: %v", err)
	}
	before := f.shop.requests.Load()
	out, err := f.eng.Edit(ctx, "Shop", back, engine.SaveOptions{KeepSaved: true, KeepSecretsForNewAddress: true})
	if err != nil || !out.Saved || out.Connection.Values["url"] != f.shop.URL || f.shop.requests.Load() == before {
		t.Fatalf("confirmed: %v %+v", err, out.Result)
	}
	if s, _ := f.store.Secrets(out.Connection); s["api_key"] != goodKey {
		t.Errorf("the saved key was kept: %q", s["api_key"])
	}
}
