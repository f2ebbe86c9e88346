package engine_test

// since_test.go: a recorded test keeps when the connection's state began
// and the state before it (Verification.Since and Before), so the table
// needs no history; a verification saved before they were kept is told
// from the history.

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// stepClock is a Deps.Now that moves on only when told.
type stepClock struct {
	mu sync.Mutex
	at time.Time
}

func newStepClock() *stepClock {
	return &stepClock{at: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

// next moves the clock an hour on and returns the new time.
func (c *stepClock) next() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(time.Hour)
	return c.at
}

// sinceEngine is an engine over store that keeps the history h, with the
// clock clk.
func sinceEngine(store *vault.Vault, h vault.History, clk *stepClock) *engine.Engine {
	return engine.New(engine.Deps{Store: store, Registry: registry(), History: h, Now: clk.now})
}

// wantLasted checks what name's saved verification says of its state's
// start, and that Lasted and StatusSince say the same.
func wantLasted(t *testing.T, eng *engine.Engine, store *vault.Vault, name string, since time.Time, before engine.State) {
	t.Helper()
	c, err := store.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	if c.Last == nil || c.Last.Since == nil {
		t.Fatalf("%s: the last verification %+v keeps no start", name, c.Last)
	}
	if !c.Last.Since.Equal(since) || c.Last.Before != string(before) {
		t.Errorf("%s: since %v, before %q; want %v, %q", name, *c.Last.Since, c.Last.Before, since, before)
	}
	r := eng.Of(engine.KindConnection)
	if got := r.Lasted([]vault.Connection{c})[c.ID]; !got.Since.Equal(since) || got.Before != before {
		t.Errorf("%s: Lasted %+v, want %v, %q", name, got, since, before)
	}
	if got := r.StatusSince(c); !got.Equal(since) {
		t.Errorf("%s: StatusSince %v, want %v", name, got, since)
	}
}

func TestSinceFollowsEachRecordedTest(t *testing.T) {
	f := newFixture(t, 0)
	clk := newStepClock()
	f.eng = sinceEngine(f.store, vault.History{Dir: filepath.Join(t.TempDir(), "history")}, clk)
	ctx := context.Background()
	r := f.eng.Of(engine.KindConnection)

	created := clk.next()
	f.create("Shop") // its test before the save began the state
	wantLasted(t, f.eng, f.store, "Shop", created, "")
	clk.next()
	f.eng.TestSaved(ctx, "Shop", engine.TestOptions{})
	clk.next()
	f.eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil)
	wantLasted(t, f.eng, f.store, "Shop", created, "") // passes carry over

	f.shop.accept.Store(otherKey)
	failed := clk.next()
	if got := f.eng.TestSaved(ctx, "Shop", engine.TestOptions{}); got.Result.Code != connectors.CodeAuthInvalid {
		t.Fatalf("test with the wrong key: %+v", got.Result)
	}
	wantLasted(t, f.eng, f.store, "Shop", failed, engine.StateVerified)

	// Another reason to fail is the same state: it began with the first.
	if err := r.Record("Shop", vault.Verification{At: clk.next(), Code: connectors.CodeRateLimited, Message: "Too many requests."}); err != nil {
		t.Fatal(err)
	}
	wantLasted(t, f.eng, f.store, "Shop", failed, engine.StateVerified)

	f.shop.accept.Store(goodKey)
	passed := clk.next()
	f.eng.TestSaved(ctx, "Shop", engine.TestOptions{})
	wantLasted(t, f.eng, f.store, "Shop", passed, engine.StateFailed)

	f.shop.stripsHeaders.Store(true)
	warned := clk.next()
	if got := f.eng.TestSaved(ctx, "Shop", engine.TestOptions{}); !got.Result.OK || len(got.Result.Warnings) == 0 {
		t.Fatalf("test through a proxy that strips headers: %+v", got.Result)
	}
	wantLasted(t, f.eng, f.store, "Shop", warned, engine.StateVerified)

	// Saved without a test: unverified keeps no start.
	if out, err := f.eng.Edit(ctx, "Shop", f.draft("Shop", goodKey), engine.SaveOptions{NoVerify: true}); err != nil || !out.Saved {
		t.Fatalf("edit: %v %+v", err, out)
	}
	if c, _ := f.store.Get("Shop"); c.Last.Since != nil || c.Last.Before != "" {
		t.Errorf("unverified: since %v, before %q; want neither", c.Last.Since, c.Last.Before)
	}
}

// Two processes (two vaults and engines over one home) testing the same
// connection in turns agree on when its state began: each carries over
// what the other recorded, read again under the lock.
func TestSinceAgreesBetweenTwoProcesses(t *testing.T) {
	f := newFixture(t, 0)
	dir := filepath.Dir(f.store.Path())
	h := vault.History{Dir: filepath.Join(dir, "state", "history")}
	clk := newStepClock()
	other, err := vault.Open(dir, f.secrets)
	if err != nil {
		t.Fatal(err)
	}
	a, b := sinceEngine(f.store, h, clk), sinceEngine(other, h, clk)
	f.eng = a
	ctx := context.Background()

	created := clk.next()
	f.create("Shop")
	for i := range 4 { // passes in turns
		clk.next()
		e := []*engine.Engine{a, b}[i%2]
		if got := e.TestSaved(ctx, "Shop", engine.TestOptions{}); !got.Result.OK {
			t.Fatalf("pass %d: %+v", i, got.Result)
		}
	}
	wantLasted(t, b, other, "Shop", created, "")

	f.shop.accept.Store(otherKey)
	failed := clk.next()
	b.TestSaved(ctx, "Shop", engine.TestOptions{})
	clk.next()
	a.TestSaved(ctx, "Shop", engine.TestOptions{})
	if err := b.Of(engine.KindConnection).Record("Shop", vault.Verification{At: clk.next(), Code: connectors.CodeRateLimited}); err != nil {
		t.Fatal(err)
	}
	wantLasted(t, a, f.store, "Shop", failed, engine.StateVerified)

	f.shop.accept.Store(goodKey)
	passed := clk.next()
	a.TestSaved(ctx, "Shop", engine.TestOptions{})
	clk.next()
	b.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil)
	wantLasted(t, b, other, "Shop", passed, engine.StateFailed)
}

// A connection whose last verification was saved before Storelink kept
// its start (an older connections.json) is told from its history, and the
// next change of state records a start again.
func TestSinceOfAnOlderFileComesFromTheHistory(t *testing.T) {
	f := newFixture(t, 0)
	h := vault.History{Dir: filepath.Join(t.TempDir(), "history")}
	clk := newStepClock()
	f.eng = sinceEngine(f.store, h, clk)
	saved := f.create("Shop")
	now := clk.next()
	// As an older Storelink left it: failed an hour ago, no start kept.
	if err := f.store.Record("Shop", vault.Verification{At: now.Add(-time.Hour), Code: connectors.CodeAuthInvalid}); err != nil {
		t.Fatal(err)
	}
	entry := func(ago time.Duration, outcome string) vault.HistoryItem {
		return vault.HistoryItem{Kind: engine.KindConnection, ID: saved.ID, Entry: vault.HistoryEntry{
			Time: now.Add(-ago), Outcome: outcome, Code: "x", Trigger: engine.TriggerSchedule}}
	}
	if err := h.Append(entry(5*time.Hour, vault.OutcomePassed), entry(3*time.Hour, vault.OutcomeFailed), entry(time.Hour, vault.OutcomeFailed)); err != nil {
		t.Fatal(err)
	}
	r := f.eng.Of(engine.KindConnection)
	check := func(when string) {
		t.Helper()
		c, err := f.store.Get("Shop")
		if err != nil {
			t.Fatal(err)
		}
		if c.Last.Since != nil {
			t.Fatalf("%s: a start %v was kept, though no test said when the failing began", when, *c.Last.Since)
		}
		want := now.Add(-3 * time.Hour)
		if got := r.Lasted([]vault.Connection{c})[c.ID]; !got.Since.Equal(want) || got.Before != engine.StateVerified {
			t.Errorf("%s: Lasted %+v, want failed since %v, verified before (from the history)", when, got, want)
		}
		if got := r.StatusSince(c); !got.Equal(want) {
			t.Errorf("%s: StatusSince %v, want %v", when, got, want)
		}
	}
	check("as saved")
	f.shop.accept.Store(otherKey)
	f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{}) // failing still
	check("after another failure")

	f.shop.accept.Store(goodKey)
	passed := clk.next()
	f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{})
	wantLasted(t, f.eng, f.store, "Shop", passed, engine.StateFailed)
}
