package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// newHistoryFixture is newFixture with a history kept in its home.
func newHistoryFixture(t *testing.T) (*fixture, vault.History) {
	t.Helper()
	f := newFixture(t, 0)
	h := vault.History{Dir: filepath.Join(t.TempDir(), "state", "history")}
	f.eng = engine.New(engine.Deps{Store: f.store, Registry: registry(), History: h})
	return f, h
}

func TestHistoryRecordsEveryTestWithItsTrigger(t *testing.T) {
	f, _ := newHistoryFixture(t)
	f.create("Shop")
	ctx := context.Background()
	f.eng.TestSaved(ctx, "Shop", engine.TestOptions{}) // the window's Test
	f.shop.accept.Store(otherKey)
	f.eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil) // the window's Test all
	f.shop.accept.Store(goodKey)
	f.eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{Trigger: "cli"}, nil)
	cancelled, cancel := context.WithCancel(ctx)
	defer cancel()
	// cancelled once it runs (one cancelled before its turn never ran: not kept)
	f.eng.TestSaved(cancelled, "Shop", engine.TestOptions{Trigger: "schedule", Progress: func(string) { cancel() }})

	got, err := f.eng.Of(engine.KindConnection).History("shop")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ outcome, trigger string }{
		{vault.OutcomePassed, engine.TriggerWindow}, // the test before the first save
		{vault.OutcomePassed, engine.TriggerWindow}, {vault.OutcomeFailed, engine.TriggerTestAll},
		{vault.OutcomePassed, "cli"}, {vault.OutcomeCancelled, "schedule"}}
	if len(got) != len(want) {
		t.Fatalf("history %+v, want %d tests", got, len(want))
	}
	for i, w := range want {
		if got[i].Outcome != w.outcome || got[i].Trigger != w.trigger || got[i].Code == "" || got[i].Time.IsZero() {
			t.Errorf("test %d: %+v, want %s by %s", i, got[i], w.outcome, w.trigger)
		}
	}
	if got[2].Code != connectors.CodeAuthInvalid || got[4].Code != connectors.CodeCanceled {
		t.Errorf("codes %q and %q, want auth_invalid and canceled", got[2].Code, got[4].Code)
	}
	c, _ := f.store.Get("Shop")
	if since := f.eng.Of(engine.KindConnection).StatusSince(c); !since.Equal(got[3].Time) {
		t.Errorf("status since %v, want the pass after the failure %v", since, got[3].Time)
	}
}

func TestHistoryFollowsRenameAndGoesWithDelete(t *testing.T) {
	f, h := newHistoryFixture(t)
	saved := f.create("Shop")
	f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{})
	if _, err := f.eng.Rename("Shop", "Outlet"); err != nil {
		t.Fatal(err)
	}
	got, err := f.eng.Of(engine.KindConnection).History("Outlet")
	if err != nil || len(got) != 2 {
		t.Fatalf("after the rename: %+v %v, want the two tests before it", got, err)
	}
	if err := f.eng.Delete("Outlet"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.Dir, "connection-"+saved.ID+".jsonl")); !os.IsNotExist(err) {
		t.Fatalf("the history outlived its connection: %v", err)
	}
}

func TestStatusSinceFollowsASaveWithoutTest(t *testing.T) {
	f, _ := newHistoryFixture(t)
	f.create("Shop")
	f.shop.accept.Store(otherKey)
	f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{})
	out, err := f.eng.Edit(context.Background(), "Shop", f.draft("Shop", goodKey), engine.SaveOptions{NoVerify: true})
	if err != nil || !out.Saved {
		t.Fatalf("edit: %v %+v", err, out)
	}
	c, _ := f.store.Get("Shop")
	if since := f.eng.Of(engine.KindConnection).StatusSince(c); !since.Equal(c.Last.At) {
		t.Fatalf("status since %v, want the unverified save %v", since, c.Last.At)
	}
}

func TestHistoryDamagedNeverStopsATest(t *testing.T) {
	f, h := newHistoryFixture(t)
	saved := f.create("Shop")
	os.MkdirAll(h.Dir, 0o700)
	p := filepath.Join(h.Dir, "connection-"+saved.ID+".jsonl")
	if err := os.WriteFile(p, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{}).Result; !r.OK {
		t.Fatalf("test with a damaged history: %+v", r)
	}
	got, err := f.eng.Of(engine.KindConnection).History("Shop")
	if err != nil || len(got) != 1 || got[0].Outcome != vault.OutcomePassed {
		t.Fatalf("history after the damage: %+v %v", got, err)
	}
	if aside, _ := filepath.Glob(p + ".damaged-*"); len(aside) != 1 {
		t.Fatalf("set aside: %v", aside)
	}
}
