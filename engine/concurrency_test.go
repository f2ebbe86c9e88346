package engine_test

// concurrency_test.go: borrowed concurrency levels are shared and enforced,
// and lenders are checked (missing, other platform, circles, even when two
// edits race).

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
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

// Two processes (two vaults over one folder) edit P to borrow from Q and Q
// to borrow from P at the same moment: the loop check runs inside the save's
// lock, so one of them is refused and no circle is ever saved.
func TestTwoEditsAtOnceNeverSaveABorrowingCircle(t *testing.T) {
	f := newFixture(t, 0)
	f.createWith("P", nil)
	f.createWith("Q", nil)
	other, err := vault.Open(f.store.Dir(), f.secrets)
	if err != nil {
		t.Fatal(err)
	}
	second := engine.New(engine.Deps{Store: other, Registry: registry()})
	borrow := func(eng *engine.Engine, name, lender string) error {
		d := engine.Draft{Values: connectors.Values{connectors.FieldBorrowFrom: lender}}
		_, err := eng.Edit(context.Background(), name, d, engine.SaveOptions{NoVerify: true, KeepSaved: true})
		return err
	}
	for round := 0; round < 200; round++ {
		for _, name := range []string{"P", "Q"} { // both back to their own level
			c, err := f.store.Get(name)
			if err != nil {
				t.Fatal(err)
			}
			delete(c.Values, connectors.FieldBorrowFrom)
			if _, err := f.store.Save(c, nil, vault.SaveOptions{Replace: name, KeepSecrets: true}); err != nil {
				t.Fatal(err)
			}
		}
		start := make(chan struct{})
		errs := make(chan error, 2)
		go func() { <-start; errs <- borrow(f.eng, "P", "Q") }()
		go func() { <-start; errs <- borrow(second, "Q", "P") }()
		close(start)
		refused := 0
		for range 2 {
			var ie *engine.InputError
			if err := <-errs; errors.As(err, &ie) && strings.Contains(err.Error(), "circle") {
				refused++
			} else if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		p, _ := f.store.Get("P")
		q, _ := f.store.Get("Q")
		if p.Values[connectors.FieldBorrowFrom] == "Q" && q.Values[connectors.FieldBorrowFrom] == "P" {
			t.Fatalf("round %d: a borrowing circle P → Q → P was saved", round)
		}
		if refused != 1 {
			t.Fatalf("round %d: %d of the two edits were refused, want exactly one", round, refused)
		}
	}
}

// Renaming a lender carries its borrowers in the same save: they keep its
// level and their tests give no concurrency_fallback.
func TestRenamingALenderCarriesItsBorrowers(t *testing.T) {
	f := newFixture(t, 0)
	f.createWith("Lender", connectors.Values{"concurrency_level": "2"})
	f.createWith("B1", connectors.Values{connectors.FieldBorrowFrom: "Lender"})
	f.createWith("B2", connectors.Values{connectors.FieldBorrowFrom: "lender"}) // names match without case
	if _, err := f.eng.Rename("Lender", "Main shop"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"B1", "B2"} {
		c, err := f.store.Get(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Values[connectors.FieldBorrowFrom]; got != "Main shop" {
			t.Errorf("%s borrows from %q after the rename, want \"Main shop\"", n, got)
		}
		if r := f.eng.TestSaved(context.Background(), n, engine.TestOptions{}).Result; !r.OK || r.HasWarning(connectors.CodeConcurrencyFallback) {
			t.Errorf("%s after the rename: %s %s (warnings %+v)", n, r.Code, r.Message, r.Warnings)
		}
	}
}
