package app

// agents_test.go: Resources > Agents against a real SSH server on
// loopback: the first contact shows the host key to trust (Esc trusts
// nothing), trusting it saves the agent with the key pinned, an on-premise
// connection reaches its store only through the agent, and an agent in use
// is not deleted. Also: Test from the list, Test agent in the pane, a
// changed host key, Edit.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/engine"
)

const sshPassword = "ssh-p4ss-0123456789"

// officeServer is an SSH server that alone reaches a store, by a name this
// computer cannot resolve (shop.internal).
func officeServer(t *testing.T) *sshtest.Server {
	t.Helper()
	t.Setenv("HOME", t.TempDir()) // no known_hosts of the machine's user
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(store.Close)
	u, _ := url.Parse(store.URL)
	return sshtest.Start(t, sshtest.Options{
		Passwords: map[string]string{"shop": sshPassword},
		Hosts:     map[string]string{"shop.internal:80": u.Host},
	})
}

func newAgentsEnv(t *testing.T) (*env, *sshtest.Server) {
	srv := officeServer(t)
	return newEnvDialing(t, fetchRegistry(), &script{}, (&net.Dialer{}).DialContext), srv
}

func fillAgent(p *Pane, name string, srv *sshtest.Server) {
	test.Type(p.Form.Input("name").Focusable(), name)
	test.Type(p.Form.Input("host").Focusable(), srv.Host())
	p.Form.Fill(connectors.Values{"port": strconv.Itoa(srv.Port())})
	selectLabel(p.Form.Input("auth").Widget, "Password")
	test.Type(p.Form.Input("password").Focusable(), sshPassword)
	test.Type(p.Form.Input("user").Focusable(), "shop")
}

// agentPaneDone waits until the agent pane's test or save is over.
func (e *env) agentPaneDone(p *Pane) {
	e.t.Helper()
	e.loop.until(e.t, "the agent pane to finish", func() bool { return !p.busy() })
}

func TestAddAgentTrustItsHostKeyUseItAndRefuseToDeleteItInUse(t *testing.T) {
	e, srv := newAgentsEnv(t)
	e.ui.ShowAgents()
	s := e.ui.lists[engine.KindAgent]
	if !s.empty.Visible() || s.list.Visible() || !strings.Contains(s.empty.Text, "Add agent") {
		t.Fatal("with no agent the screen says how to add one")
	}
	test.Tap(s.addButton)
	if len(e.ui.Panes) != 1 {
		t.Fatal("+ Add agent opens the agent pane")
	}
	p := e.ui.Panes[0]
	if p.Form.Advanced == nil || p.Form.Row("via").Box == nil || p.testButton.Text != "Test agent" {
		t.Error("the pane has the agent's fields, Advanced (Jump through) and Test agent")
	}
	fillAgent(p, "Office", srv)

	// First contact: the key is shown to be checked; Esc trusts nothing.
	test.Tap(p.saveButton)
	e.agentPaneDone(p)
	c := p.Window.Canvas()
	q := p.hostKeyQuestion
	if q == nil || !dialogShown(c) {
		t.Fatalf("the new host key is asked about; status %q", p.status.Text)
	}
	shown := shownText(c.Overlays().Top())
	for _, want := range []string{srv.Fingerprint(), hostKeyCheck, srv.Addr(), "Trust this key", "Cancel"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the host-key question lacks %q: %s", want, shown)
		}
	}
	if as, _ := e.eng.ListAgents(); len(as) != 0 {
		t.Fatal("nothing is saved before the key is trusted")
	}
	if b, ok := c.Focused().(*dialogButton); !ok || b.Text != "Cancel" {
		t.Errorf("Cancel has the focus, not %v", c.Focused())
	}
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) || p.closed || p.busy() || p.Form.Input("host_key").Value() != "" {
		t.Fatal("Esc closes the question only: no key, no test, the pane stays")
	}
	if as, _ := e.eng.ListAgents(); len(as) != 0 {
		t.Fatal("Esc saves nothing")
	}

	// Trusted: tested again with the key pinned, then saved.
	test.Tap(p.saveButton)
	e.agentPaneDone(p)
	test.Tap(p.hostKeyQuestion.do)
	e.agentPaneDone(p)
	a, err := e.eng.GetAgent("Office")
	if err != nil {
		t.Fatalf("saved after the key was trusted: %v (status %q)", err, p.status.Text)
	}
	if a.Values["host_key"] != srv.Fingerprint() || a.Values["password"] != "" || a.Last == nil || !a.Last.OK {
		t.Errorf("saved %+v: the key pinned, the password in the keychain only, verified", a.Values)
	}
	if p.Editing != "Office" || p.Form.Input("host_key").Value() != srv.Fingerprint() || !strings.Contains(p.status.Text, "Saved") {
		t.Errorf("the pane edits the saved agent: %q %q", p.Editing, p.status.Text)
	}
	if p.Result.headlineLabel.Text != "The agent works" || !strings.Contains(shownText(p.Result.facts), sshtest.DefaultVersion) {
		t.Errorf("the result: %q, naming the SSH server's version", p.Result.headlineLabel.Text)
	}
	test.Tap(p.cancelButton) // nothing typed since: it just closes
	if len(e.ui.Panes) != 0 {
		t.Fatal("Cancel closes a clean pane")
	}

	// The list shows it, verified.
	row := s.Row("Office")
	if row == nil || s.list.Visible() == false || s.empty.Visible() {
		t.Fatalf("the list shows the agent: %v", s.Names())
	}
	if row.detail.Text != "shop@"+srv.Addr() || !strings.HasPrefix(row.status.Text, "Verified · just now") {
		t.Errorf("row: %q, %q", row.detail.Text, row.status.Text)
	}

	// An on-premise connection reaches shop.internal only through the agent.
	cp := e.open("fetchshop")
	typeInto(cp, "name", "Behind")
	typeInto(cp, "store_url", "http://shop.internal/")
	selectLabel(cp.Form.Input(connectors.FieldMode).Widget, "On-premise")
	selectLabel(cp.Form.Input(connectors.FieldAgent).Widget, "Office")
	test.Tap(cp.saveButton)
	e.idle(cp)
	if r := cp.Result.Result; r == nil || !r.OK {
		t.Fatalf("the connection through the agent: %+v (%s)", r, cp.status.Text)
	}
	if !slices.Contains(srv.Forwards(), "shop.internal:80") {
		t.Errorf("the store was reached through the agent: %v", srv.Forwards())
	}
	if cs := e.saved(); len(cs) != 1 || cs[0].Values[connectors.FieldAgent] != "Office" {
		t.Errorf("saved %+v", cs)
	}

	// In use, Delete says so at once, naming the connection, and never asks
	// "This cannot be undone" first.
	mc := e.ui.Window.Canvas()
	test.Tap(s.Row("Office").deleteButton)
	if s.deleteQuestion != nil || s.inUseDialog == nil {
		t.Fatal("an agent in use is said to be in use before any question")
	}
	if got := shownText(mc.Overlays().Top()); !strings.Contains(got, "Behind") || !strings.Contains(got, `"Office"`) {
		t.Errorf("the refusal names the connection: %s", got)
	}
	if !strings.Contains(s.status.Text, "not deleted") || !strings.Contains(s.status.Text, "Behind") {
		t.Errorf("status %q", s.status.Text)
	}
	pressKey(mc, fyne.KeyEscape)
	if dialogShown(mc) {
		t.Error("Esc closes the refusal")
	}
	if _, err := e.eng.GetAgent("Office"); err != nil {
		t.Fatal("an agent in use was deleted")
	}
}

func TestTestFromTheListTrustsTheKeyAndEditOpensThePane(t *testing.T) {
	e, srv := newAgentsEnv(t)
	e.ui.ShowAgents()
	s := e.ui.lists[engine.KindAgent]
	// Saved without a test: no host key pinned yet.
	_, err := e.eng.SaveAgent(context.Background(), engine.Draft{Values: connectors.Values{"name": "Office", "host": srv.Host(),
		"port": strconv.Itoa(srv.Port()), "user": "shop", "auth": "password", "password": sshPassword}},
		engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}})
	if err != nil {
		t.Fatal(err)
	}
	e.ui.ShowAgents()
	if got := s.Row("Office").status.Text; !strings.HasPrefix(got, "Unverified") {
		t.Errorf("saved without a test: %q", got)
	}
	mc := e.ui.Window.Canvas()
	test.Tap(s.Row("Office").testButton)
	if got := s.Row("Office").status.Text; got != "Testing…" {
		t.Errorf("while it runs: %q", got)
	}
	e.loop.until(t, "the host-key question", func() bool { return s.acceptQuestion != nil })
	if got := s.Row("Office").status.Text; !strings.HasPrefix(got, "Failed: "+connectors.CodeHostKeyUnknown.Short()) {
		t.Errorf("recorded: %q", got)
	}
	if !strings.Contains(shownText(mc.Overlays().Top()), srv.Fingerprint()) {
		t.Error("the question shows the fingerprint")
	}
	pressKey(mc, fyne.KeyEscape)
	if dialogShown(mc) {
		t.Fatal("Esc closes the question")
	}
	if a, _ := e.eng.GetAgent("Office"); a.Values["host_key"] != "" {
		t.Fatal("Esc pins nothing")
	}

	s.acceptQuestion = nil
	test.Tap(s.Row("Office").testButton)
	e.loop.until(t, "the host-key question", func() bool { return s.acceptQuestion != nil })
	test.Tap(s.acceptQuestion.do)
	e.loop.until(t, "the agent pinned", func() bool {
		a, _ := e.eng.GetAgent("Office")
		return a.Values["host_key"] == srv.Fingerprint() && strings.HasPrefix(s.Row("Office").status.Text, "Verified")
	})
	if !strings.Contains(s.status.Text, "pinned") {
		t.Errorf("status %q", s.status.Text)
	}
	if a, _ := e.eng.GetAgent("Office"); a.Values["user"] != "shop" {
		t.Errorf("trusting the key keeps the saved settings: %+v", a.Values)
	}

	// Edit opens the pane, secrets empty and kept; a second Edit focuses it.
	test.Tap(s.Row("Office").editButton)
	test.Tap(s.Row("Office").editButton)
	if len(e.ui.Panes) != 1 {
		t.Fatalf("%d panes", len(e.ui.Panes))
	}
	p := e.ui.Panes[0]
	if p.Editing != "Office" || p.Form.Input("host").Value() != srv.Host() || p.Form.Input("password").Value() != "" ||
		p.Form.Row("password").Hint.Text != keptSecretHint || p.Window.Title() != "Edit agent - Office" {
		t.Errorf("Edit: %q %q hint %q", p.Editing, p.Window.Title(), p.Form.Row("password").Hint.Text)
	}
}

func TestTestAgentInThePaneAndAChangedHostKey(t *testing.T) {
	e, srv := newAgentsEnv(t)
	e.ui.AddAgent()
	p := e.ui.Panes[0]
	fillAgent(p, "Office", srv)
	test.Tap(p.testButton)
	e.agentPaneDone(p)
	if p.hostKeyQuestion == nil {
		t.Fatalf("Test agent asks about the new key too: %q", p.status.Text)
	}
	test.Tap(p.hostKeyQuestion.do)
	e.agentPaneDone(p)
	if p.Form.Input("host_key").Value() != srv.Fingerprint() || p.Result.Result == nil || !p.Result.Result.OK {
		t.Fatalf("trusted: the field holds the key and the test passes: %q", p.status.Text)
	}
	if as, _ := e.eng.ListAgents(); len(as) != 0 {
		t.Error("Test agent saves nothing")
	}

	// Another server's key pinned: host_key_changed, a failure, no question.
	other := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": sshPassword}})
	p.hostKeyQuestion = nil
	p.Form.Fill(connectors.Values{"host_key": other.Fingerprint()})
	test.Tap(p.testButton)
	e.agentPaneDone(p)
	r := p.Result.Result
	if r == nil || r.Code != connectors.CodeHostKeyChanged || p.hostKeyQuestion != nil || dialogShown(p.Window.Canvas()) {
		t.Fatalf("a changed key is a failure with nothing to accept: %+v", r)
	}
	if p.Result.headlineLabel.Importance != widget.DangerImportance || !strings.Contains(p.status.Text, "failed") {
		t.Errorf("said as a failure: %q / %q", p.Result.headlineLabel.Text, p.status.Text)
	}
	// Save refuses it too, and offers no way round the pinned key but
	// Save without verifying (which the user must choose).
	test.Tap(p.saveButton)
	e.agentPaneDone(p)
	if as, _ := e.eng.ListAgents(); len(as) != 0 || p.hostKeyQuestion != nil || p.Result.saveAnywayButton == nil {
		t.Error("a changed key saves nothing and is never offered for trust; Save without verifying is the user's choice")
	}
	// Esc on the pane with typed changes asks; Esc again keeps editing.
	c := p.Window.Canvas()
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if p.discard == nil || !dialogShown(c) {
		t.Fatal("Cancel with typed changes asks first")
	}
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) || p.closed {
		t.Error("Esc keeps editing")
	}
	// Quit asks too, naming the agent.
	e.ui.Quit()
	if e.ui.quitDialog == nil || !strings.Contains(shownText(e.ui.Window.Canvas().Overlays().Top()), `the agent "Office"`) {
		t.Error("Quit names the agent whose changes are not saved")
	}
	pressKey(e.ui.Window.Canvas(), fyne.KeyEscape)
	if p.closed {
		t.Error("Esc on Quit keeps editing")
	}
}
