package engine_test

// kind_test.go: a third kind (testkind's webhooks) goes through the very
// flow connections and agents go through, given only as a descriptor.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"storelink/connectors"
	"storelink/engine"
	"storelink/internal/testkind"
	"storelink/vault"
)

// changes collects what the engine announces.
type changes struct {
	mu  sync.Mutex
	got []engine.Change
}

func (c *changes) hear(ch engine.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, ch)
}

// take returns what was heard since the last take.
func (c *changes) take() []engine.Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.got
	c.got = nil
	return got
}

func TestAThirdKindGoesThroughTheSameFlow(t *testing.T) {
	f := newFixture(t, 0)
	store := testkind.NewStore()
	eng := engine.New(engine.Deps{Store: f.store, Registry: registry(), Kinds: []engine.Kind{testkind.Kind(store)}})
	heard := &changes{}
	defer eng.Listen(heard.hear)()
	hooks := eng.Of(testkind.ID)
	srv := testkind.NewServer(t)
	ctx := context.Background()
	const wrong = "WRONG-TOKEN-9876543210abcdef"

	// A refused test saves nothing, and the echoed token is masked.
	out, err := hooks.Save(ctx, testkind.Draft("Orders", srv.URL, wrong), engine.SaveOptions{})
	if err != nil || out.Saved || out.Result.Code != connectors.CodeAuthInvalid || strings.Contains(out.Result.Message, wrong) {
		t.Fatalf("refused: %v %+v", err, out.Result)
	}
	// Created, secrets apart, with the steps every save reports.
	var steps []string
	out, err = hooks.Save(ctx, testkind.Draft("Orders", srv.URL, testkind.Token), engine.SaveOptions{
		Test: engine.TestOptions{Progress: func(s string) { steps = append(steps, s) }}})
	if err != nil || !out.Saved || out.Connection.Values[testkind.FieldToken] != "" || !slices.Equal(out.Connection.SecretKeys, []string{testkind.FieldToken}) {
		t.Fatalf("created: %v %+v", err, out)
	}
	if !slices.Equal(steps, []string{"Calling the webhook...", engine.SavingStep}) {
		t.Errorf("steps: %q", steps)
	}
	if st := engine.Status(out.Connection.Last); st.State != engine.StateVerified {
		t.Errorf("status after a passed test: %+v", st)
	}
	// Its references are checked like lenders and jump agents.
	bad := func(d engine.Draft, editing, want string) {
		t.Helper()
		_, err := hooks.Check(d, editing)
		var in *engine.InputError
		if !errors.As(err, &in) || in.Fields[0].Key != testkind.FieldForward || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q on Forward to, got %v", want, err)
		}
	}
	d := testkind.Draft("Refunds", srv.URL, testkind.Token)
	d.Values[testkind.FieldForward] = "Nowhere"
	bad(d, "", `no saved webhook is called "Nowhere"`)
	d.Values[testkind.FieldForward] = "orders"
	if out, err := hooks.Save(ctx, d, engine.SaveOptions{}); err != nil || out.Connection.Values[testkind.FieldForward] != "Orders" {
		t.Fatalf("forward kept as it is saved: %v %+v", err, out.Connection.Values)
	}
	loop := testkind.Draft("Orders", srv.URL, testkind.Token)
	loop.Values[testkind.FieldForward] = "Refunds"
	bad(loop, "Orders", "forwarding would go round in a circle (Orders → Refunds → Orders)")
	if _, err := hooks.Check(testkind.Draft("orders", srv.URL, testkind.Token), ""); err == nil || !strings.Contains(err.Error(), `a webhook named "Orders" already exists`) {
		t.Errorf("duplicate name: %v", err)
	}

	// Edited keeping the saved token, tested, tested side by side, renamed.
	if out, err := hooks.Save(ctx, engine.Draft{Values: connectors.Values{testkind.FieldURL: srv.URL + "/v2"}},
		engine.SaveOptions{Editing: "Orders", KeepSaved: true}); err != nil || !out.Saved || out.Connection.Values[testkind.FieldURL] != srv.URL+"/v2" {
		t.Fatalf("edited: %v %+v", err, out)
	}
	if got := hooks.TestSaved(ctx, "Orders", engine.TestOptions{}); !got.Result.OK {
		t.Fatalf("test saved: %+v", got.Result)
	}
	if got := hooks.TestSaved(ctx, "Ghost", engine.TestOptions{}); got.Result.Code != connectors.CodeInvalidInput {
		t.Errorf("a name nothing has: %+v", got.Result)
	}
	if all := hooks.TestMany(ctx, []string{"Orders", "Refunds"}, engine.TestOptions{}, nil); !all[0].Result.OK || !all[1].Result.OK {
		t.Fatalf("test many: %+v", all)
	}
	if _, err := hooks.Rename("Orders", "Sales"); err != nil {
		t.Fatal(err)
	}
	if names, _ := hooks.Names(); !slices.Equal(names, []string{"Refunds", "Sales"}) {
		t.Errorf("listed: %v", names)
	}
	if c, _ := hooks.Get("Sales"); c.Last == nil || !c.Last.OK || c.SecretKeys == nil {
		t.Errorf("the rename keeps the last test and the token: %+v", c)
	}
	if err := hooks.Delete("Refunds"); err != nil {
		t.Fatal(err)
	}
	if err := hooks.Delete("Refunds"); !errors.Is(err, testkind.ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
	want := []engine.Change{
		{Kind: testkind.ID, Op: engine.Created, Name: "Orders"},
		{Kind: testkind.ID, Op: engine.Created, Name: "Refunds"},
		{Kind: testkind.ID, Op: engine.Saved, Name: "Orders"},
		{Kind: testkind.ID, Op: engine.Recorded, Name: "Orders"},
	}
	got := heard.take()
	if !slices.Equal(got[:len(want)], want) {
		t.Errorf("changes: %+v", got)
	}
	rest := got[len(want):]
	slices.SortFunc(rest[:2], func(a, b engine.Change) int { return strings.Compare(a.Name, b.Name) }) // side by side
	if !slices.Equal(rest, []engine.Change{
		{Kind: testkind.ID, Op: engine.Recorded, Name: "Orders"},
		{Kind: testkind.ID, Op: engine.Recorded, Name: "Refunds"},
		{Kind: testkind.ID, Op: engine.Renamed, Name: "Sales", OldName: "Orders"},
		{Kind: testkind.ID, Op: engine.Deleted, Name: "Refunds"},
	}) {
		t.Errorf("changes after the first test: %+v", rest)
	}
	// The connections did not move.
	if cs, _ := eng.List(); len(cs) != 0 {
		t.Errorf("connections: %+v", cs)
	}
}

func TestKindsAreCheckedWhenTheEngineIsMade(t *testing.T) {
	store := testkind.NewStore()
	for name, kinds := range map[string][]engine.Kind{
		"twice":      {testkind.Kind(store), testkind.Kind(store)},
		"a built-in": {func() engine.Kind { k := testkind.Kind(store); k.ID = engine.KindAgent; return k }()},
		"no test":    {func() engine.Kind { k := testkind.Kind(store); k.Test = nil; return k }()},
		"no form":    {func() engine.Kind { k := testkind.Kind(store); k.Form = connectors.Info{}; return k }()},
		"a ref to nothing": {func() engine.Kind {
			k := testkind.Kind(store)
			k.Refs = []engine.Ref{{Field: "x", To: "nothing"}}
			return k
		}()},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("engine.New took a broken kind")
				}
			}()
			engine.New(engine.Deps{Kinds: kinds})
		})
	}
}

func TestStatusHasOneVocabulary(t *testing.T) {
	for _, tc := range []struct {
		v           *vault.Verification
		state       engine.State
		words, line string
	}{
		{nil, engine.StateUnverified, engine.NotTestedWords, "unverified"},
		{&vault.Verification{Unverified: true, Message: "saved without verifying"}, engine.StateUnverified, "Unverified", "unverified"},
		{&vault.Verification{OK: true, Code: connectors.CodeOK}, engine.StateVerified, "Verified", "ok "},
		{&vault.Verification{Code: connectors.CodeAuthInvalid}, engine.StateFailed, "Failed: " + connectors.CodeAuthInvalid.Short(), string(connectors.CodeAuthInvalid) + " "},
	} {
		st := engine.Status(tc.v)
		if st.State != tc.state || st.Words != tc.words || !strings.HasPrefix(st.Column(), tc.line) {
			t.Errorf("%+v: %+v %q", tc.v, st, st.Column())
		}
	}
}
