package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
)

func (f *fixture) createWith(name string, extra connectors.Values) {
	f.t.Helper()
	d := f.draft(name, goodKey)
	for k, v := range extra {
		d.Values[k] = v
	}
	if out, err := f.eng.Create(context.Background(), d, engine.SaveOptions{NoVerify: true}); err != nil || !out.Saved {
		f.t.Fatalf("create %s: %v", name, err)
	}
}

func TestBorrowedLevelsAreSharedAndEnforced(t *testing.T) {
	f := newFixture(t, 20)
	f.createWith("Lender", connectors.Values{"concurrency_level": "2"})
	names := []string{"Lender"}
	for _, n := range []string{"B1", "B2", "B3", "B4", "B5"} {
		f.createWith(n, connectors.Values{"borrow_concurrency_from": "Lender"})
		names = append(names, n)
	}
	f.createWith("Chained", connectors.Values{"borrow_concurrency_from": "B1"}) // resolves to Lender
	names = append(names, "Chained")
	f.shop.delay = 30 * time.Millisecond
	for _, o := range f.eng.TestMany(context.Background(), names, engine.TestOptions{}, nil) {
		if !o.Result.OK {
			t.Fatalf("%s: %s %s", o.Name, o.Result.Code, o.Result.Message)
		}
	}
	if got := f.shop.maxInFlight.Load(); got != 2 {
		t.Errorf("a group borrowing level 2 had %d requests in flight at once", got)
	}

	// Connections with their own level 1 each still run side by side.
	g := newFixture(t, 20)
	var own []string
	for _, n := range []string{"A", "B", "C", "D"} {
		g.createWith(n, nil)
		own = append(own, n)
	}
	g.shop.delay = 30 * time.Millisecond
	g.eng.TestMany(context.Background(), own, engine.TestOptions{}, nil)
	if got := g.shop.maxInFlight.Load(); got < 2 {
		t.Errorf("independent connections ran one at a time (peak %d)", got)
	}
}

func TestLendersAreChecked(t *testing.T) {
	f := newFixture(t, 0)
	f.createWith("A", nil)
	f.createWith("B", connectors.Values{"borrow_concurrency_from": "A"})
	if _, err := f.eng.Create(context.Background(), engine.Draft{App: "other", Values: connectors.Values{"name": "O", "url": f.shop.URL}}, engine.SaveOptions{NoVerify: true}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		name, lender, want string
	}{
		"missing":        {"C", "Nope", "no saved connection"},
		"other platform": {"C", "O", "same platform"},
		"itself":         {"C", "C", "circle"},
		"circle":         {"A", "B", "circle"},
	}
	for what, c := range cases {
		d := f.draft(c.name, goodKey)
		d.Values["borrow_concurrency_from"] = c.lender
		editing := ""
		if c.name == "A" {
			editing = "A"
		}
		_, err := f.eng.Check(d, editing)
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Fields[0].Key != "borrow_concurrency_from" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", what, err)
		}
	}
	// A lender deleted later: the borrower falls back to its own level and says so.
	if err := f.eng.Delete("A"); err != nil {
		t.Fatal(err)
	}
	r := f.eng.TestSaved(context.Background(), "B", engine.TestOptions{}).Result
	if !r.OK || !r.HasWarning(connectors.CodeConcurrencyFallback) {
		t.Errorf("fallback: %+v", r)
	}
}
