package engine_test

// changes_test.go: every committed change of a connection or an agent is
// announced, after it is committed, to every listener until it stops; and
// agents behave as connections do where they used to differ.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func TestEveryChangeOfBothKindsIsAnnounced(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	heard := &changes{}
	// What a listener sees is already committed: it reads the store.
	var early atomic.Bool
	defer f.eng.Listen(func(c engine.Change) {
		heard.hear(c)
		list := f.eng.List
		if c.Kind == engine.KindAgent {
			list = f.eng.ListAgents
		}
		all, _ := list()
		has := slices.ContainsFunc(all, func(s vault.Connection) bool { return s.Name == c.Name })
		if has == (c.Op == engine.Deleted) {
			early.Store(true)
		}
	})()
	ctx := context.Background()
	expect := func(what string, want ...engine.Change) {
		t.Helper()
		got := heard.take()
		slices.SortFunc(got, func(a, b engine.Change) int { return strings.Compare(a.Name, b.Name) })
		if !slices.Equal(got, want) {
			t.Errorf("%s: heard %+v, want %+v", what, got, want)
		}
	}
	conn := func(op engine.ChangeOp, name, old string) engine.Change {
		return engine.Change{Kind: engine.KindConnection, Op: op, Name: name, OldName: old}
	}
	agent := func(op engine.ChangeOp, name, old string) engine.Change {
		return engine.Change{Kind: engine.KindAgent, Op: op, Name: name, OldName: old}
	}

	f.create("Shop")
	expect("create", conn(engine.Created, "Shop", ""))
	f.create("Other")
	heard.take()
	if _, err := f.eng.Edit(ctx, "Shop", engine.Draft{Values: connectors.Values{"note": "x"}}, engine.SaveOptions{KeepSaved: true}); err != nil {
		t.Fatal(err)
	}
	expect("edit", conn(engine.Saved, "Shop", ""))
	if _, err := f.eng.Edit(ctx, "Shop", engine.Draft{Values: connectors.Values{"name": "Shop 2"}}, engine.SaveOptions{KeepSaved: true}); err != nil {
		t.Fatal(err)
	}
	expect("edit that renames", conn(engine.Saved, "Shop 2", "Shop"))
	if _, err := f.eng.Rename("Shop 2", "Shop"); err != nil {
		t.Fatal(err)
	}
	expect("rename", conn(engine.Renamed, "Shop", "Shop 2"))
	f.eng.TestSaved(ctx, "Shop", engine.TestOptions{})
	expect("test one", conn(engine.Recorded, "Shop", ""))
	f.eng.TestMany(ctx, []string{"Shop", "Other"}, engine.TestOptions{}, nil)
	expect("test many", conn(engine.Recorded, "Other", ""), conn(engine.Recorded, "Shop", ""))
	if err := f.eng.Of(engine.KindConnection).Record("Shop", vault.Verification{OK: true, Code: connectors.CodeOK}); err != nil {
		t.Fatal(err)
	}
	expect("record", conn(engine.Recorded, "Shop", ""))
	if _, err := f.eng.Create(ctx, f.draft("Shop", "BAD-KEY-0123456789"), engine.SaveOptions{}); err == nil {
		t.Fatal("a second Shop")
	}
	draft, err := f.eng.Check(f.draft("Draft", goodKey), "")
	if err != nil {
		t.Fatal(err)
	}
	if r := f.eng.Test(ctx, draft, engine.TestOptions{}); !r.OK {
		t.Fatalf("draft test: %+v", r)
	}
	expect("nothing committed by a failed create or a draft's test")
	if err := f.eng.Delete("shop"); err != nil {
		t.Fatal(err)
	}
	expect("delete", conn(engine.Deleted, "Shop", ""))

	if _, err := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{AcceptHostKey: srv.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	expect("agent create", agent(engine.Created, "Office", ""))
	if _, err := f.eng.SaveAgent(ctx, engine.Draft{Values: connectors.Values{"name": "HQ"}},
		engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{Editing: "Office", KeepSaved: true}}); err != nil {
		t.Fatal(err)
	}
	expect("agent edit that renames", agent(engine.Saved, "HQ", "Office"))
	if _, err := f.eng.Of(engine.KindAgent).Rename("HQ", "Office"); err != nil {
		t.Fatal(err)
	}
	expect("agent rename", agent(engine.Renamed, "Office", "HQ"))
	if _, err := f.eng.TestSavedAgent(ctx, "Office", engine.TestOptions{}); err != nil {
		t.Fatal(err)
	}
	expect("agent test", agent(engine.Recorded, "Office", ""))
	f.eng.Of(engine.KindAgent).TestMany(ctx, []string{"Office"}, engine.TestOptions{}, nil)
	expect("agent test many", agent(engine.Recorded, "Office", ""))
	if err := f.eng.DeleteAgent("Office"); err != nil {
		t.Fatal(err)
	}
	expect("agent delete", agent(engine.Deleted, "Office", ""))
	if early.Load() {
		t.Error("a listener heard of a change before it was committed")
	}
}

func TestListenersStopAtAnyTime(t *testing.T) {
	f := newFixture(t, 4)
	var names []string
	for _, n := range []string{"A", "B", "C", "D", "E", "F"} {
		f.create(n)
		names = append(names, n)
	}
	var kept, early, self atomic.Int64
	stopKept := f.eng.Listen(func(engine.Change) { kept.Add(1) })
	stopEarly := f.eng.Listen(func(engine.Change) { early.Add(1) })
	var stopSelf func()
	var once sync.Once
	stopSelf = f.eng.Listen(func(engine.Change) {
		self.Add(1)
		once.Do(stopSelf) // from inside its own call: never waits
	})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		f.eng.TestMany(context.Background(), names, engine.TestOptions{}, nil)
	}()
	go func() {
		defer wg.Done()
		stopEarly()
		stopEarly() // twice is harmless
	}()
	wg.Wait()
	if kept.Load() != int64(len(names)) {
		t.Errorf("the listener that stayed heard %d of %d changes", kept.Load(), len(names))
	}
	before := early.Load() + self.Load()
	if err := f.eng.Delete("A"); err != nil {
		t.Fatal(err)
	}
	if early.Load()+self.Load() != before || kept.Load() != int64(len(names))+1 {
		t.Errorf("after stop: early %d, self %d, kept %d", early.Load(), self.Load(), kept.Load())
	}
	stopKept()
}

// recording is a store that counts how agents' outcomes are written.
type recording struct {
	*vault.Vault
	one, many atomic.Int64
}

func (r *recording) RecordAgent(name string, v vault.Verification) error {
	r.one.Add(1)
	return r.Vault.RecordAgent(name, v)
}

func (r *recording) RecordManyAgents(vs map[string]vault.Verification, follow vault.Follow) error {
	r.many.Add(1)
	return r.Vault.RecordManyAgents(vs, follow)
}

// Where agents used to differ from connections, they now do as connections
// do: outcomes go through the batching recorder, and a save says the
// saving step.
func TestAgentsAreRecordedAndSavedAsConnectionsAre(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	store := &recording{Vault: f.store}
	eng := engine.New(engine.Deps{Store: store, Registry: registry()})
	ctx := context.Background()
	var steps []string
	out, err := eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{AcceptHostKey: srv.Fingerprint(),
		SaveOptions: engine.SaveOptions{Test: engine.TestOptions{Progress: func(s string) { steps = append(steps, s) }}}})
	if err != nil || !out.Saved {
		t.Fatalf("%v %+v", err, out.Result)
	}
	if len(steps) == 0 || steps[len(steps)-1] != engine.SavingStep {
		t.Errorf("an agent's save says its saving step: %q", steps)
	}
	if _, err := eng.TestSavedAgent(ctx, "Office", engine.TestOptions{}); err != nil {
		t.Fatal(err)
	}
	if store.one.Load() != 0 || store.many.Load() != 1 {
		t.Errorf("recorded one by one %d times, in batches %d times", store.one.Load(), store.many.Load())
	}
	if a, _ := eng.GetAgent("Office"); a.Last == nil || !a.Last.OK {
		t.Errorf("recorded: %+v", a.Last)
	}
}
