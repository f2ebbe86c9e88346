package engine_test

// state_test.go: what a test leaves on a saved connection stays as it was
// shown: a pass with warnings keeps them across saves and restarts, a save
// despite a failed test keeps that test's code and says why it is
// unverified, and Test all counts the warned apart.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func TestAPassWithWarningsStaysOne(t *testing.T) {
	f := newFixture(t, 0)
	f.shop.stripsHeaders.Store(true)
	ctx := context.Background()
	out, err := f.eng.Create(ctx, f.draft("Shop", goodKey), engine.SaveOptions{})
	if err != nil || !out.Saved || len(out.Result.Warnings) != 1 {
		t.Fatalf("create: %v %+v", err, out.Result)
	}
	warned := func(when string, v *vault.Verification) {
		t.Helper()
		st := engine.Status(v)
		if v == nil || len(v.Warnings) != 1 || v.Warnings[0].Code != connectors.CodeAuthHeaderStripped ||
			!strings.Contains(v.Warnings[0].Message, "server logs") || st.State != engine.StateWarning || st.Words != "Verified, 1 warning" {
			t.Errorf("%s: %+v %+v", when, v, st)
		}
	}
	warned("after Save", out.Connection.Last)
	// A restart: a new vault and engine over the same folder.
	store, err := vault.Open(f.store.Dir(), f.secrets)
	if err != nil {
		t.Fatal(err)
	}
	restarted := engine.New(engine.Deps{Store: store, Registry: registry()})
	c, err := restarted.Get("Shop")
	if err != nil {
		t.Fatal(err)
	}
	warned("after a restart", c.Last)
	if got := restarted.TestSaved(ctx, "Shop", engine.TestOptions{}); !got.Result.OK {
		t.Fatal(got.Result)
	}
	c, _ = store.Get("Shop")
	warned("after a test of the saved one", c.Last)
	renamed, err := restarted.Rename("Shop", "Shop EU")
	if err != nil {
		t.Fatal(err)
	}
	warned("after a rename", renamed.Last)
	// Fixed on the server: the next test records a plain pass.
	f.shop.stripsHeaders.Store(false)
	restarted.TestSaved(ctx, "Shop EU", engine.TestOptions{})
	if c, _ = store.Get("Shop EU"); engine.Status(c.Last).State != engine.StateVerified || len(c.Last.Warnings) != 0 {
		t.Errorf("a plain pass: %+v", c.Last)
	}
}

func TestSavedWithoutVerifyingKeepsTheFailedTest(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	out, err := f.eng.Create(ctx, f.draft("Shop", otherKey), engine.SaveOptions{})
	if err != nil || out.Saved || out.Result.Code != connectors.CodeAuthInvalid {
		t.Fatalf("the failed test: %v %+v", err, out.Result)
	}
	failed := *out.Result
	out, err = f.eng.Create(ctx, f.draft("Shop", otherKey), engine.SaveOptions{NoVerify: true, Reason: "saved without a passing test", Failed: &failed})
	if err != nil || !out.Saved {
		t.Fatalf("saved anyway: %v", err)
	}
	c, _ := f.store.Get("Shop")
	v := c.Last
	if v == nil || !v.Unverified || v.OK || v.Code != connectors.CodeAuthInvalid || v.Reason != "saved without a passing test" ||
		!strings.Contains(v.Message, "The shop said") || v.Hint != "Paste the right key." {
		t.Fatalf("recorded: %+v", v)
	}
	if strings.Contains(v.Message, otherKey) {
		t.Errorf("the echoed key is stored: %q", v.Message)
	}
	st := engine.Status(v)
	if st.State != engine.StateUnverified || st.Words != "Unverified: "+connectors.CodeAuthInvalid.Short() || st.Reason != "saved without a passing test" {
		t.Errorf("status: %+v", st)
	}
	// Without a test shown, the reason alone, as before.
	out, err = f.eng.Create(ctx, f.draft("Other", otherKey), engine.SaveOptions{NoVerify: true})
	if err != nil || !out.Saved || out.Connection.Last.Code != "" || out.Connection.Last.Message != "saved without verifying" ||
		engine.Status(out.Connection.Last).Words != "Unverified" || engine.Status(out.Connection.Last).Reason != "saved without verifying" {
		t.Errorf("no test: %v %+v", err, out.Connection.Last)
	}
}

func TestTestAllCountsTheWarnedApart(t *testing.T) {
	f := newFixture(t, 0)
	for _, n := range []string{"A", "B", "C"} {
		f.create(n)
	}
	ctx := context.Background()
	if _, err := f.eng.Create(ctx, f.draft("E", otherKey), engine.SaveOptions{NoVerify: true}); err != nil {
		t.Fatal(err)
	}
	f.shop.stripsHeaders.Store(true) // A passes with a warning
	got := f.eng.TestMany(ctx, []string{"A", "E"}, engine.TestOptions{}, nil)
	f.shop.stripsHeaders.Store(false)
	got = append(got, f.eng.TestMany(ctx, []string{"B", "C"}, engine.TestOptions{}, nil)...)
	tally := engine.Count(got)
	if tally != (engine.Tally{Passed: 2, Warned: 1, Failed: 1}) || tally.Words() != "2 passed, 1 with warnings, 1 failed" {
		t.Errorf("%+v %q", tally, tally.Words())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tally = engine.Count(f.eng.TestMany(cancelled, []string{"A"}, engine.TestOptions{}, nil))
	if tally.Words() != "0 passed, 0 failed, 1 cancelled" {
		t.Errorf("cancelled: %q", tally.Words())
	}
	if w := (engine.Tally{Passed: 5, Warned: 2, Failed: 2}).Words(); w != "5 passed, 2 with warnings, 2 failed" {
		t.Errorf("%q", w)
	}
}

func TestWatchHearsAnotherProcess(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Mine")
	reloaded := make(chan engine.Change, 16)
	defer f.eng.Listen(func(c engine.Change) {
		if c.Op == engine.Reloaded {
			reloaded <- c
		}
	})()
	stop := f.eng.Watch(10 * time.Millisecond)
	defer stop()

	// The command line, another process: its own vault over the same folder.
	cli, err := vault.Open(f.store.Dir(), f.secrets)
	if err != nil {
		t.Fatal(err)
	}
	other := engine.New(engine.Deps{Store: cli, Registry: registry()})
	if _, err := other.Create(context.Background(), f.draft("Theirs", goodKey), engine.SaveOptions{NoVerify: true}); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	deadline := time.After(10 * time.Second) // a bound, not a wait: it comes within a tick or two
	for len(kinds) < 2 {
		select {
		case c := <-reloaded:
			kinds = append(kinds, c.Kind)
		case <-deadline:
			t.Fatalf("no reload heard; got %v", kinds)
		}
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{engine.KindAgent, engine.KindConnection}) {
		t.Errorf("reloaded kinds: %v", kinds)
	}
	if names := f.names(); !slices.Equal(names, []string{"Mine", "Theirs"}) {
		t.Errorf("after the reload: %v", names)
	}
	stop()
	stop() // twice is harmless
}
