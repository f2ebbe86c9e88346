package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func TestMainWindowEmptyStateAboutAndAgents(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	if e.ui.Window.Title() != "Storelink" {
		t.Errorf("title %q", e.ui.Window.Title())
	}
	s := e.ui.Connections
	if !s.empty.Visible() || len(s.Shown()) != 0 || !s.testAllButton.Disabled() || s.tableBox.Visible() {
		t.Error("with nothing saved the empty state shows")
	}
	if !strings.Contains(test.RenderObjectToMarkup(s.empty), "Create connection") {
		t.Error("the empty state says what to do first")
	}
	e.ui.ShowAbout()
	about := test.RenderObjectToMarkup(e.ui.Window.Canvas().Overlays().Top())
	for _, want := range []string{connectors.Version, e.store.Path(), "storelink.log", "an in-memory keychain"} {
		if !strings.Contains(about, want) {
			t.Errorf("About lacks %q", want)
		}
	}
	e.ui.ShowAgents()
	if !e.ui.lists[engine.KindAgent].content.Visible() || s.content.Visible() || !e.ui.lists[engine.KindAgent].empty.Visible() || e.ui.lists[engine.KindAgent].list.Visible() {
		t.Error("Resources > Agents shows the (empty) agents list")
	}
	e.ui.ShowConnections()
	if !s.content.Visible() {
		t.Error("Resources > Connections comes back")
	}
}

func saveDirect(t *testing.T, e *env, name, secret string) vault.Connection {
	t.Helper()
	c, err := e.store.Save(vault.Connection{Name: name, App: "testshop", Values: connectors.Values{"store_url": name + ".example", "method": "hmac", "mode": "cloud"}},
		connectors.Values{"api_key": secret}, vault.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListFilterTestAndRecord(t *testing.T) {
	conn := &script{}
	conn.set(func(_ context.Context, cfg connectors.Config) connectors.Result {
		if cfg.Values["api_key"] == "GOOD" {
			return connectors.Success("fine")
		}
		return connectors.Fail(connectors.CodeAuthInvalid, "unknown key", "")
	})
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	saveDirect(t, e, "Beta", "BAD")
	s := e.ui.Connections
	s.Reload()
	if got := names(s.Shown()); got != "Alpha,Beta" || s.empty.Visible() || s.StatusText("Alpha") != "Not tested yet" || s.LastTestText("Alpha") != "Never" {
		t.Fatalf("shown %s, Alpha %q %q", got, s.StatusText("Alpha"), s.LastTestText("Alpha"))
	}
	test.Type(s.filter, "bet")
	if got := names(s.Shown()); got != "Beta" {
		t.Errorf("the filter keeps Beta only: %s", got)
	}
	s.filter.SetText("zzz")
	if len(s.Shown()) != 0 || !s.noMatch.Visible() || s.empty.Visible() {
		t.Error("no match says so")
	}
	s.filter.SetText("")

	test.Tap(s.testAllButton)
	e.loop.until(t, "both tests", func() bool { return s.run == nil })
	if got := s.StatusText("Alpha"); got != "Verified" {
		t.Errorf("Alpha: %q", got)
	}
	if got := s.StatusText("Beta"); got != "Failed: key refused" {
		t.Errorf("Beta: %q", got)
	}
	if got := s.LastTestText("Beta"); got != "just now" {
		t.Errorf("Beta's last test: %q", got)
	}
	if c, _ := e.store.Get("Beta"); c.Last == nil || c.Last.Code != connectors.CodeAuthInvalid {
		t.Error("the result is recorded in the vault")
	}
	// A secret gone from the keychain is a failure in words, not a crash.
	for _, k := range e.secrets.Keys() {
		_ = e.secrets.Delete(k)
	}
	s.Select("Alpha")
	test.Tap(s.testButton)
	e.loop.until(t, "the test", func() bool { return s.run == nil })
	if got := s.StatusText("Alpha"); got != "Failed: keychain error" {
		t.Errorf("Alpha without its secret: %q", got)
	}
}

// names lists connections' names, comma-separated.
func names(cs []vault.Connection) string {
	var n []string
	for _, c := range cs {
		n = append(n, c.Name)
	}
	return strings.Join(n, ",")
}

func TestDeleteAsksNamingTheConnection(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	s := e.ui.Connections
	s.Reload()
	if !s.deleteButton.Disabled() {
		t.Error("Delete waits for a row to be selected")
	}
	s.Select("Alpha")
	test.Tap(s.deleteButton)
	m := test.RenderObjectToMarkup(e.ui.Window.Canvas().Overlays().Top())
	if s.deleteQuestion == nil || !strings.Contains(m, "Delete the connection") || !strings.Contains(m, "Alpha") {
		t.Fatalf("the confirmation names the connection: %s", m)
	}
	test.Tap(s.deleteQuestion.safe)
	if len(e.saved()) != 1 {
		t.Fatal("Keep it keeps it")
	}
	test.Tap(s.deleteButton)
	test.Tap(s.deleteQuestion.do)
	e.loop.until(t, "the delete", func() bool { return len(s.Shown()) == 0 })
	if len(e.saved()) != 0 || len(e.secrets.Keys()) != 0 || !s.empty.Visible() {
		t.Error("the connection and its secrets are gone")
	}
	if s.Selected() != "" || !s.deleteButton.Disabled() {
		t.Error("nothing is selected once the connection is gone")
	}
}

func TestCloneStartsANewConnectionWithoutSecrets(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	e.ui.Connections.Reload()
	e.ui.Connections.Select("Alpha")
	test.Tap(e.ui.Connections.cloneButton)
	p := e.ui.Panes[0]
	if p.Editing != "" || p.Form.Input("name").Value() != "Alpha (copy)" || p.Form.Input("store_url").Value() != "Alpha.example" || p.Form.Input("api_key").Value() != "" {
		t.Fatal("a clone has the settings, a new name and no secret")
	}
	typeInto(p, "api_key", "OTHER")
	test.Tap(p.saveButton)
	e.idle(p)
	if n := len(e.saved()); n != 2 {
		t.Errorf("%d connections after saving the clone", n)
	}
}

func TestChoicesComeFromTheStore(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	p := e.open("testshop")
	// The select only knows values the store listed, so this holds only if Alpha was offered.
	p.Form.Fill(connectors.Values{connectors.FieldBorrowFrom: "Alpha"})
	if p.Form.Values()[connectors.FieldBorrowFrom] != "Alpha" {
		t.Error("a saved connection can be chosen to borrow concurrency from")
	}
}

// Quitting with typed changes in a pane asks first, naming the connection;
// with nothing typed it quits at once.
func TestQuitAsksBeforeDroppingTypedChanges(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	clean := e.open("testshop")
	dirty := e.open("testshop")
	fillTestShop(dirty, "Corner shop")
	e.ui.Quit()
	if e.ui.quitDialog == nil || e.ui.ctx.Err() != nil || dirty.closed {
		t.Fatal("Quit with typed changes closed the window without asking")
	}
	ask := test.RenderObjectToMarkup(e.ui.Window.Canvas().Overlays().Top())
	if !strings.Contains(ask, "Corner shop") || !strings.Contains(ask, "not saved") {
		t.Errorf("the question does not name the connection: %s", ask)
	}
	e.ui.Quit() // pressed again while asking: still one question
	if n := len(e.ui.Window.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d overlays after a second Quit, want the one question", n)
	}
	test.Tap(e.ui.keepEditingButton)
	if e.ui.ctx.Err() != nil || dirty.closed || dirty.Form.Input("name").Value() != "Corner shop" {
		t.Fatal("Keep editing keeps the window, the pane and what was typed")
	}
	e.ui.Quit()
	test.Tap(e.ui.quitAnywayButton)
	if e.ui.ctx.Err() == nil || !dirty.closed || !clean.closed || len(e.saved()) != 0 {
		t.Error("Quit anyway closes everything and saves nothing")
	}

	e2 := newEnv(t, testRegistry(conn), conn)
	untouched := e2.open("testshop")
	e2.ui.Quit()
	if e2.ui.quitDialog != nil || e2.ui.ctx.Err() == nil || !untouched.closed {
		t.Error("with nothing typed, Quit closes at once")
	}
}
