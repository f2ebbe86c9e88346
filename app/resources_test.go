package app

// resources_test.go: a kind the window has never heard of (testkind's
// webhooks, handed to the engine in Deps.Kinds) gets its menu item, its
// list and its pane from its engine descriptor alone: a webhook is
// created, edited, tested against testkind's server, listed with its
// status in words, filtered, and deleted.

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/engine"
	"storelink/internal/testkind"
	"storelink/vault"
)

func TestAThirdKindIsCreatedEditedTestedListedAndDeletedInTheWindow(t *testing.T) {
	store := testkind.NewStore()
	srv := testkind.NewServer(t)
	e := newEnvWith(t, fetchRegistry(), &script{}, envExtras{dial: (&net.Dialer{}).DialContext, kinds: []engine.Kind{testkind.Kind(store)}})

	// Resources lists it beside Connections and Agents, and opens its list.
	var item *fyne.MenuItem
	for _, m := range e.ui.Window.MainMenu().Items {
		for _, it := range m.Items {
			if m.Label == "Resources" && it.Label == "Webhooks" {
				item = it
			}
		}
	}
	if item == nil {
		t.Fatal("Resources > Webhooks is missing")
	}
	item.Action()
	s := e.ui.lists[testkind.ID]
	if s == nil || !s.content.Visible() || e.ui.Connections.content.Visible() || !s.empty.Visible() || s.list.Visible() {
		t.Fatal("Resources > Webhooks shows its (empty) list instead of the connections")
	}
	if !strings.Contains(s.explain.Text, "hears of changes") || !strings.Contains(s.empty.Text, "Add webhook") {
		t.Errorf("the list says what a webhook is (%q) and how to add one (%q)", s.explain.Text, s.empty.Text)
	}

	// Add: its own form; a wrong token fails its test, the right one saves.
	test.Tap(s.addButton)
	if len(e.ui.Panes) != 1 {
		t.Fatal("Add webhook opens a pane")
	}
	p := e.ui.Panes[0]
	if p.title.Text != "Add webhook" || p.testButton.Text != "Test webhook" || p.Form.Input(testkind.FieldURL) == nil {
		t.Errorf("the pane is the webhook's: %q, %q", p.title.Text, p.testButton.Text)
	}
	typeInto(p, "name", "Orders")
	typeInto(p, testkind.FieldURL, srv.URL)
	typeInto(p, testkind.FieldToken, "WRONG-TOKEN-0123456789")
	test.Tap(p.testButton)
	e.idle(p)
	if r := p.Result.Result; r == nil || r.OK || !strings.Contains(p.status.Text, "The test failed") {
		t.Fatalf("a wrong token fails: %+v, %q", r, p.status.Text)
	}
	if strings.Contains(shownText(p.Window.Content()), "WRONG-TOKEN-0123456789") {
		t.Error("the token the receiver echoed is masked")
	}
	p.Form.Fill(map[string]string{testkind.FieldToken: testkind.Token})
	test.Tap(p.saveButton)
	e.idle(p)
	h, err := store.Get("Orders")
	if err != nil || h.Last == nil || !h.Last.OK || h.Values[testkind.FieldToken] != "" {
		t.Fatalf("saved after a passing test, the token kept apart: %v %+v (%q)", err, h, p.status.Text)
	}
	if p.Editing != "Orders" || p.Window.Title() != "Edit webhook - Orders" || !strings.HasPrefix(p.status.Text, `Saved "Orders"`) {
		t.Errorf("the pane edits the saved webhook: %q %q", p.Window.Title(), p.status.Text)
	}

	// Edited in the same pane: the token is entered again, as for any kind.
	p.Form.Fill(map[string]string{testkind.FieldURL: srv.URL + "/v2", testkind.FieldToken: testkind.Token})
	test.Tap(p.saveButton)
	e.idle(p)
	if h, _ := store.Get("Orders"); h.Values[testkind.FieldURL] != srv.URL+"/v2" || h.Generation != 2 {
		t.Fatalf("edited: %+v (%q)", h.Values, p.status.Text)
	}
	test.Tap(p.cancelButton)
	if len(e.ui.Panes) != 0 {
		t.Fatal("Cancel closes a clean pane")
	}

	// Listed with its address and status words, heard from the engine.
	e.loop.until(t, "the list to show the webhook", func() bool { return s.Row("Orders") != nil })
	row := s.Row("Orders")
	if row.detail.Text != srv.URL+"/v2" || !strings.HasPrefix(row.status.Text, "Verified · just now") || !s.list.Visible() {
		t.Errorf("row: %q, %q", row.detail.Text, row.status.Text)
	}
	// One saved without a test is Unverified; tested from the list it fails, in words.
	if _, err := e.eng.Of(testkind.ID).Save(context.Background(), testkind.Draft("Stale", srv.URL, "NOT-THE-TOKEN-0123"),
		engine.SaveOptions{NoVerify: true, Reason: "saved without a passing test"}); err != nil {
		t.Fatal(err)
	}
	e.loop.until(t, "the unverified one listed", func() bool { return slices.Equal(s.Names(), []string{"Orders", "Stale"}) })
	if got := s.Row("Stale").status.Text; !strings.HasPrefix(got, "Unverified") {
		t.Errorf("saved without a test: %q", got)
	}
	test.Tap(s.Row("Stale").testButton)
	if got := s.Row("Stale").status.Text; got != testingText {
		t.Errorf("while it runs: %q", got)
	}
	e.loop.until(t, "the failure recorded", func() bool {
		r := s.Row("Stale")
		return r != nil && strings.HasPrefix(r.status.Text, "Failed: ")
	})
	if !strings.HasPrefix(s.status.Text, `Webhook "Stale" failed`) || strings.Contains(s.status.Text, "NOT-THE-TOKEN-0123") {
		t.Errorf("status %q: says it failed, the echoed token masked", s.status.Text)
	}
	// Its details say what happened and the code, as a connection's do.
	test.Tap(s.Row("Stale").detailsButton)
	if d := s.details; d == nil || !strings.HasPrefix(d.headline.Text, "Failed: ") || d.facts["Code"] == nil ||
		!strings.HasPrefix(d.facts["Code"].Text, string(connectors.CodeAuthInvalid)) {
		t.Fatalf("the details of the failure: %+v", s.details)
	}
	pressKey(e.ui.Window.Canvas(), fyne.KeyEscape)
	test.Tap(s.Row("Orders").testButton)
	e.loop.until(t, "the pass said", func() bool { return strings.HasPrefix(s.status.Text, `Webhook "Orders" works`) })

	// Sorted by status, problems first; filtered by the status words too.
	s.sort.SetSelected(ColumnStatus.String())
	if !slices.Equal(s.Names(), []string{"Stale", "Orders"}) {
		t.Errorf("by status, the failed one first: %v", s.Names())
	}
	s.sort.SetSelected(ColumnName.String())
	if !slices.Equal(s.Names(), []string{"Orders", "Stale"}) {
		t.Errorf("by name: %v", s.Names())
	}
	s.sort.SetSelected(ColumnLastTest.String())
	if !slices.Equal(s.Names(), []string{"Stale", "Orders"}) {
		t.Errorf("by last test, oldest first: %v", s.Names())
	}
	test.Type(s.filter, "verified")
	if !slices.Equal(s.Names(), []string{"Orders"}) {
		t.Errorf("filtered by its status: %v", s.Names())
	}
	s.filter.SetText("nothing like it")
	if len(s.Names()) != 0 || !s.noMatch.Visible() || !strings.Contains(s.noMatch.Text, "No webhook matches") {
		t.Errorf("no match: %v %q", s.Names(), s.noMatch.Text)
	}
	s.filter.SetText("")

	// Edit opens the pane on the saved one, its token not shown.
	test.Tap(s.Row("Orders").editButton)
	if len(e.ui.Panes) != 1 || e.ui.Panes[0].Editing != "Orders" || e.ui.Panes[0].Form.Input(testkind.FieldToken).Value() != "" {
		t.Fatal("Edit opens the saved webhook, its token empty")
	}
	e.ui.Panes[0].close()

	// Delete asks first, naming it; confirmed, it leaves the store and the list.
	mc := e.ui.Window.Canvas()
	test.Tap(s.Row("Stale").deleteButton)
	if s.deleteQuestion == nil || !strings.Contains(shownText(mc.Overlays().Top()), `Delete the webhook "Stale"?`) {
		t.Fatal("Delete asks first, naming the webhook")
	}
	test.Tap(s.deleteQuestion.do)
	e.loop.until(t, "the webhook deleted", func() bool { return slices.Equal(s.Names(), []string{"Orders"}) })
	if _, err := store.Get("Stale"); err == nil || !strings.Contains(s.status.Text, `Webhook "Stale" deleted.`) {
		t.Errorf("deleted: %v, %q", err, s.status.Text)
	}
	// The connections table never shows another kind.
	e.ui.ShowConnections()
	if len(e.ui.Connections.Shown()) != 0 {
		t.Errorf("the connections table shows %v", e.ui.Connections.Shown())
	}
}

// The details of an agent or any further kind show its history too: every
// test is recorded for every kind, and the owner reads it where the
// connections' is read.
func TestAResourcesDetailsShowItsHistory(t *testing.T) {
	store := testkind.NewStore()
	srv := testkind.NewServer(t)
	e := newEnvWith(t, fetchRegistry(), &script{}, envExtras{dial: (&net.Dialer{}).DialContext, kinds: []engine.Kind{testkind.Kind(store)}, history: true})
	res := e.eng.Of(testkind.ID)
	if _, err := res.Save(context.Background(), testkind.Draft("Orders", srv.URL, testkind.Token), engine.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	res.TestSaved(context.Background(), "Orders", engine.TestOptions{Trigger: engine.TriggerWindow})
	res.TestSaved(context.Background(), "Orders", engine.TestOptions{Trigger: "cli"})
	e.ui.ShowResources(testkind.ID)
	s := e.ui.lists[testkind.ID]
	e.loop.until(t, "the webhook listed", func() bool { r := s.Row("Orders"); return r != nil && r.detailsButton != nil })
	s.ShowDetails("Orders")
	if s.details == nil || s.details.History == nil {
		t.Fatal("the webhook's details show no history")
	}
	h := s.details.History
	e.loop.until(t, "the history to be read", func() bool { return len(h.Marks) > 0 })
	if len(h.Marks) != 3 {
		t.Errorf("%d marks for the save's test and two more", len(h.Marks))
	}
	for _, m := range h.Marks {
		if m.Entry.Outcome != vault.OutcomePassed {
			t.Errorf("mark %+v, want passed", m.Entry)
		}
	}
}
