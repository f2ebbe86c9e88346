package engine_test

// changes_test.go: every committed change is announced once, and nothing
// that saved nothing is.

import (
	"context"
	"slices"
	"sync"
	"testing"

	"storelink/engine"
)

func TestEveryCommittedChangeIsAnnounced(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	ctx := context.Background()
	var mu sync.Mutex
	var heard []engine.Change
	stop := f.eng.Listen(func(c engine.Change) {
		mu.Lock()
		heard = append(heard, c)
		mu.Unlock()
	})

	f.create("Shop")
	if out, err := f.eng.Create(ctx, f.draft("Refused", "WRONG-KEY-000000"), engine.SaveOptions{}); err != nil || out.Saved {
		t.Fatalf("a failed test saves nothing: %v %+v", err, out)
	}
	if _, err := f.eng.Edit(ctx, "Shop", f.draft("Shop 2", goodKey), engine.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Rename("Shop 2", "Shop 3"); err != nil {
		t.Fatal(err)
	}
	f.eng.TestSaved(ctx, "Shop 3", engine.TestOptions{})
	if err := f.eng.Delete("Shop 3"); err != nil {
		t.Fatal(err)
	}
	out, _ := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{})
	if _, err := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{AcceptHostKey: out.HostKey}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.TestSavedAgent(ctx, "Office", engine.TestOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.DeleteAgent("Office"); err != nil {
		t.Fatal(err)
	}
	stop()
	f.create("Unheard")

	conn, agent := engine.KindConnection, engine.KindAgent
	want := []engine.Change{
		{Kind: conn, Op: engine.Created, Name: "Shop"},
		{Kind: conn, Op: engine.Saved, Name: "Shop 2", OldName: "Shop"},
		{Kind: conn, Op: engine.Renamed, Name: "Shop 3", OldName: "Shop 2"},
		{Kind: conn, Op: engine.TestRecorded, Name: "Shop 3"},
		{Kind: conn, Op: engine.Deleted, Name: "Shop 3"},
		{Kind: agent, Op: engine.Created, Name: "Office"},
		{Kind: agent, Op: engine.TestRecorded, Name: "Office"},
		{Kind: agent, Op: engine.Deleted, Name: "Office"},
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(heard, want) {
		t.Errorf("heard\n%+v\nwant\n%+v", heard, want)
	}
}
