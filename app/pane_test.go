package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/vault"
)

func TestRequiredFieldErrorsAppearAndNothingRuns(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	test.Tap(p.saveButton)
	for _, k := range []string{"name", "store_url", "api_key"} {
		if m := p.Form.Row(k).Message; !m.Visible() || !strings.HasPrefix(m.Text, "Required") {
			t.Errorf("%s: message %q (visible %v)", k, m.Text, m.Visible())
		}
	}
	if !p.status.Visible() || !strings.Contains(p.status.Text, "Fix the") {
		t.Errorf("status = %q", p.status.Text)
	}
	if conn.callCount() != 0 || p.busy() || len(e.saved()) != 0 {
		t.Error("an invalid form is neither tested nor saved")
	}
	if p.Window.Canvas().Focused() != p.Form.Input("name").Focusable() {
		t.Error("the first field with an error gets the focus")
	}
}

func TestConditionalFieldsShowAndHide(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	key, agent := p.Form.Row("private_key"), p.Form.Row("agent")
	if key.Visible() || agent.Visible() {
		t.Fatal("private key and agent start hidden")
	}
	selectLabel(p.Form.Input("method").Widget, "RSA-SHA256")
	selectLabel(p.Form.Input("mode").Widget, "On-premise")
	if !key.Visible() || key.Label.Text != "Private key (required)" || !agent.Visible() {
		t.Errorf("RSA shows the required private key (%v %q), on-premise the agent (%v)", key.Visible(), key.Label.Text, agent.Visible())
	}
	selectLabel(p.Form.Input("method").Widget, "PLAINTEXT")
	selectLabel(p.Form.Input("mode").Widget, "Cloud")
	if key.Visible() || agent.Visible() {
		t.Error("they hide again")
	}
}

func TestSaveVerifiesThenWritesToTheVault(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "My shop")
	test.Tap(p.saveButton)
	if !p.busy() || !p.saveButton.Disabled() || !p.saveCloseButton.Disabled() || !p.testButton.Disabled() || !p.cancelTestButton.Visible() {
		t.Error("while verifying, the buttons that would start another are disabled and Cancel test shows")
	}
	e.idle(p)
	cfg := conn.lastCall()
	if cfg.Name != "My shop" || cfg.Values["api_key"] != "SECRETKEY-123" || cfg.Values["store_url"] != "shop.example" {
		t.Errorf("the connector got %q %v", cfg.Name, cfg.Values)
	}
	cs := e.saved()
	if len(cs) != 1 || cs[0].Name != "My shop" || cs[0].Last == nil || !cs[0].Last.OK || cs[0].Values["api_key"] != "" {
		t.Fatalf("saved %+v", cs)
	}
	secrets, err := e.store.Secrets(cs[0])
	if err != nil || secrets["api_key"] != "SECRETKEY-123" {
		t.Errorf("the secret is in the keychain: %v %v", secrets, err)
	}
	if p.closed || p.Editing != "My shop" || p.Window.Title() != "Edit connection - My shop" || p.Form.Dirty() {
		t.Error("Save keeps the pane open in edit mode")
	}
	if !p.Result.box.Visible() || p.Result.headlineLabel.Text != "The connection works" {
		t.Error("the result is shown")
	}
	if got := e.ui.Connections.StatusText("My shop"); got != "Verified" {
		t.Errorf("the list shows the new connection as verified: %q", got)
	}
	// Saving again in edit mode replaces it rather than adding one.
	test.Tap(p.saveButton)
	e.idle(p)
	if n := len(e.saved()); n != 1 {
		t.Errorf("%d connections after saving the edit", n)
	}
}

func TestFailedVerificationSavesNothingUnlessChosen(t *testing.T) {
	conn := &script{}
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "Copy the key again from the back office.")
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveCloseButton)
	e.idle(p)
	if len(e.saved()) != 0 {
		t.Fatal("a failed verification saved something")
	}
	if p.closed || !strings.Contains(shownText(p.Result.steps), "Copy the key again from the back office.\n1.") || !strings.Contains(shownText(p.Result.technical.Detail), "auth_invalid") {
		t.Errorf("the failure is shown with what to do and the code: %q / %q", shownText(p.Result.steps), shownText(p.Result.technical.Detail))
	}
	if p.Result.saveAnywayButton == nil {
		t.Fatal("Save without verifying is offered")
	}
	test.Tap(p.Result.saveAnywayButton)
	e.idle(p)
	cs := e.saved()
	if len(cs) != 1 || cs[0].Last == nil || !cs[0].Last.Unverified || cs[0].Last.OK {
		t.Fatalf("saved %+v", cs)
	}
	if !p.closed {
		t.Error("Save & close then Save without verifying closes the pane")
	}
	// The failed test stays with the save: the list says why it is unverified.
	if got := e.ui.Connections.StatusText("Shop"); got != "Unverified: key refused" {
		t.Errorf("the list says %q, want unverified with the failed test's reason", got)
	}
}

func TestTestConnectionNeverSaves(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.testButton)
	e.idle(p)
	if conn.callCount() != 1 || len(e.saved()) != 0 || p.Result.saveAnywayButton != nil {
		t.Error("Test connection verifies only")
	}
}

func TestSaveAndCloseClosesThePane(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveCloseButton)
	e.idle(p)
	if !p.closed || len(e.ui.Panes) != 0 || len(e.saved()) != 1 {
		t.Error("Save & close saves and closes")
	}
}

func TestDuplicateNameIsRefusedAtTheField(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	if _, err := e.store.Save(vault.Connection{Name: "Shop", App: "testshop"}, nil, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	p := e.open("testshop")
	fillTestShop(p, "shop")
	test.Tap(p.saveButton)
	e.idle(p) // the engine checks the name off the UI goroutine
	if m := p.Form.Row("name").Message; !m.Visible() || !strings.Contains(m.Text, "already exists") {
		t.Errorf("name message %q", m.Text)
	}
	if conn.callCount() != 0 {
		t.Error("nothing is tested under a taken name")
	}
}

func TestCancelDiscards(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	test.Tap(p.cancelButton)
	if !p.closed {
		t.Fatal("an untouched pane closes without asking")
	}
	p = e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.cancelButton)
	if p.closed || p.discard == nil {
		t.Fatal("Cancel asks first when something was typed")
	}
	test.Tap(p.discard.safe)
	if p.closed || p.Form.Input("name").Value() != "Shop" {
		t.Fatal("Keep editing keeps the pane and its values")
	}
	test.Tap(p.cancelButton)
	test.Tap(p.discard.do)
	if !p.closed || len(e.ui.Panes) != 0 || len(e.saved()) != 0 || conn.callCount() != 0 {
		t.Error("Discard closes and saves nothing")
	}
}

func TestEditingKeepsOrReplacesTheSecret(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	_, err := e.store.Save(vault.Connection{Name: "Shop", App: "testshop", Values: connectors.Values{"store_url": "old.example", "method": "hmac", "mode": "cloud"}},
		connectors.Values{"api_key": "OLD-SECRET"}, vault.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.ui.Connections.Reload()
	e.ui.Connections.Select("Shop")
	test.Tap(e.ui.Connections.editButton)
	p := e.ui.Panes[0]
	if p.Editing != "Shop" || p.Form.Input("store_url").Value() != "old.example" {
		t.Fatal("the pane shows the saved values")
	}
	key := p.Form.Row("api_key")
	if key.Input.Value() != "" || !key.Hint.Visible() || !strings.Contains(key.Hint.Text, "keychain") {
		t.Errorf("the secret comes back empty with a hint: %q %q", key.Input.Value(), key.Hint.Text)
	}
	if strings.Contains(test.RenderObjectToMarkup(p.Window.Content()), "OLD-SECRET") {
		t.Error("the stored secret is drawn")
	}
	test.Tap(p.saveButton)
	e.idle(p)
	if key.Message.Visible() || conn.callCount() != 1 || conn.lastCall().Values["api_key"] != "OLD-SECRET" {
		t.Fatalf("saving an edit tests with the saved secret: %q", p.status.Text)
	}
	typeInto(p, "api_key", "NEW-SECRET")
	p.Form.Input("store_url").SetValue("new.example")
	test.Tap(p.saveButton)
	e.idle(p)
	cs := e.saved()
	if len(cs) != 1 || cs[0].Values["store_url"] != "new.example" || p.newAddressQuestion != nil {
		t.Fatalf("saved %+v", cs)
	}
	if s, _ := e.store.Secrets(cs[0]); s["api_key"] != "NEW-SECRET" {
		t.Errorf("secret after edit: %v", s)
	}
}

func TestCancelTestStopsTheVerification(t *testing.T) {
	conn := &script{}
	started, stopped := make(chan struct{}), make(chan error, 1)
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		cfg.Step("Connecting to shop.example...")
		close(started)
		<-ctx.Done()
		stopped <- ctx.Err()
		return connectors.Success("too late")
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveButton)
	<-started
	e.loop.until(t, "the step to show", func() bool { return p.step.Text == "Connecting to shop.example..." })
	e.loop.until(t, "the elapsed time to show", func() bool { return strings.HasSuffix(p.elapsed.Text, " s") })
	run := p.run
	test.Tap(p.cancelTestButton)
	// The pane is ready again within the tap, before the connector even noticed.
	if p.busy() || p.saveButton.Disabled() || p.testButton.Disabled() || p.cancelTestButton.Visible() || !strings.Contains(p.status.Text, "cancelled") {
		t.Fatal("Cancel test frees the pane at once")
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the connector's context ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the connector's context was not cancelled")
	}
	e.loop.until(t, "the late result", func() bool {
		select {
		case <-run.done:
			return true
		default:
			return false
		}
	})
	if p.Result.box.Visible() || len(e.saved()) != 0 {
		t.Error("the late success is dropped and nothing is saved")
	}
}

// slowConnector takes d (or until cancelled); running closes when it
// starts, finished when it returns.
func slowConnector(conn *script, d time.Duration) (running, finished chan struct{}) {
	running, finished = make(chan struct{}), make(chan struct{})
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		close(running)
		defer close(finished)
		select {
		case <-time.After(d):
		case <-ctx.Done():
		}
		return connectors.Success("slow but fine")
	})
	return running, finished
}

// A 2-second verification must not hold the UI goroutine: the tap that
// starts it returns before the connector does, and every character typed
// meanwhile is in the entry at once, while the connector is still running.
// The bounds here only tell "waited for the connector" (2 s) from "did not";
// how long a keystroke takes while a test runs, against the one-frame
// target (16.7 ms), is BenchmarkKeystrokeDuringVerification.
func TestVerificationNeverBlocksTheUI(t *testing.T) {
	conn := &script{}
	running, finished := slowConnector(conn, 2*time.Second)
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	const blocked = time.Second // half the connector's time

	begin := time.Now()
	test.Tap(p.testButton)
	if d := time.Since(begin); d > blocked {
		t.Fatalf("starting the test took %v: the tap waited for the connector", d)
	}
	<-running
	name := p.Form.Input("name")
	for i, r := range "typing away" {
		e.loop.runPending() // a frame: progress and elapsed updates are applied
		begin := time.Now()
		test.Type(name.Focusable(), string(r))
		if d := time.Since(begin); d > blocked {
			t.Errorf("keystroke %d took %v: it waited for the connector", i, d)
		}
		if want := "Shop" + string([]rune("typing away")[:i+1]); name.Value() != want {
			t.Fatalf("after typing %q the entry reads %q", want, name.Value())
		}
	}
	select {
	case <-finished:
		t.Fatal("the verification ended before the typing: the test proves nothing")
	default:
	}
	if !p.busy() {
		t.Fatal("the verification is still pending")
	}
	test.Tap(p.cancelTestButton)
	<-finished
}

// BenchmarkKeystrokeDuringVerification is one typed character, plus the
// frame's pending progress updates, while a verification runs (one that
// outlasts the benchmark; it is cancelled at the end).
// The target is one frame (16.7 ms at 60 Hz); it is reported as
// frames/keystroke.
func BenchmarkKeystrokeDuringVerification(b *testing.B) {
	conn := &script{}
	running, finished := slowConnector(conn, time.Minute)
	e := newEnv(b, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.testButton)
	<-running
	name := p.Form.Input("name").Focusable()
	n := 0
	b.ResetTimer()
	for b.Loop() {
		e.loop.runPending()
		test.Type(name, "x")
		if n++; n%200 == 0 { // keep the entry short, as a user's would be
			p.Form.Input("name").SetValue("Shop")
		}
	}
	b.StopTimer()
	select {
	case <-finished:
		b.Fatal("the verification ended during the benchmark: it measured nothing")
	default:
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(time.Second/60), "frames/keystroke")
	test.Tap(p.cancelTestButton)
	<-finished
}

func TestKeyboardShortcuts(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	c := e.ui.Window.Canvas().(fyne.Shortcutable)
	c.TypedShortcut(ctrl(fyne.KeyN))
	if e.ui.Picker == nil {
		t.Fatal("Ctrl+N opens the application picker")
	}
	test.Type(e.ui.Picker.Search, "test")
	e.ui.Picker.Search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(e.ui.Panes) != 1 {
		t.Fatal("Enter in the search picks the first match")
	}
	p := e.ui.Panes[0]
	pc := p.Window.Canvas()
	if pc.Focused() != p.Form.Input("name").Focusable() {
		t.Error("the pane opens with Name focused")
	}
	pc.(fyne.Shortcutable).TypedShortcut(ctrl(fyne.KeyS))
	if !p.Form.Row("name").Message.Visible() {
		t.Error("Ctrl+S saves (and so validates)")
	}
	fillTestShop(p, "Shop")
	// From inside a focused entry, which would swallow it otherwise.
	p.Form.Input("api_key").Focusable().(fyne.Shortcutable).TypedShortcut(ctrl(fyne.KeyReturn))
	if !p.busy() {
		t.Fatal("Ctrl+Enter tests the connection")
	}
	e.idle(p)
	if conn.callCount() != 1 || len(e.saved()) != 0 {
		t.Error("Ctrl+Enter tests without saving")
	}
	// Tab order follows the form: Name, then the Mode radio, then Store URL.
	pc.Focus(p.Form.Input("store_url").Focusable())
	pc.FocusNext()
	if pc.Focused() == p.Form.Input("store_url").Focusable() || pc.Focused() == nil {
		t.Error("Tab moves on from the store URL")
	}
	// Esc right after clicking a radio option (Fyne's radio kept it): Cancel,
	// which asks because something was typed.
	pc.Focus(p.Form.Input("mode").Focusable())
	pc.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.discard == nil {
		t.Fatal("Esc on the Mode radio cancels and asks first")
	}
	test.Tap(p.discard.safe)
	// Esc with nothing focused, on the pane itself.
	pc.Unfocus()
	pc.(interface {
		OnTypedKey() func(*fyne.KeyEvent)
	}).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.closed || !p.overlayShown() {
		t.Error("Esc cancels and asks first")
	}
	test.Tap(p.discard.do)
	if !p.closed {
		t.Error("discarded")
	}
}

func TestResultActions(t *testing.T) {
	conn := &script{}
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		if cfg.Values["store_url"] == "old.example" {
			r := connectors.Fail(connectors.CodeMoved, "The API moved to new.example.", "Use the new address.")
			r.Location, r.LocationField = "new.example", "store_url"
			return r
		}
		if !cfg.Force {
			r := connectors.Fail(connectors.CodeLockedOut, "Three failed logins already; one more locks the API.", "Wait, or send anyway.")
			r.Forceable = true
			return r
		}
		r := connectors.Success("Connected to Test Shop.")
		r.Server = connectors.Server{Platform: "Test Shop", Version: "1.2.3", ShopName: "My Shop"}
		r.Permissions = []connectors.Permission{{Resource: "products", Methods: []string{"GET", "PUT"}}, {Resource: "orders", Privilege: "readonly"}}
		r.Exchanges = []connectors.Exchange{{Request: "GET https://new.example/api/", Status: "200 OK", Excerpt: "<prestashop/>"}}
		return r
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	typeInto(p, "name", "Shop")
	typeInto(p, "store_url", "old.example")
	typeInto(p, "api_key", "K")
	test.Tap(p.testButton)
	e.idle(p)
	if p.Result.useLocationButton == nil {
		t.Fatal("a moved API offers to update the field")
	}
	test.Tap(p.Result.useLocationButton)
	if p.Form.Input("store_url").Value() != "new.example" {
		t.Error("the field now holds the new address")
	}
	test.Tap(p.testButton)
	e.idle(p)
	if p.Result.sendAnywayButton == nil {
		t.Fatal("a forceable refusal offers Send anyway")
	}
	test.Tap(p.Result.sendAnywayButton)
	e.idle(p)
	if !conn.lastCall().Force || p.Result.Result == nil || !p.Result.Result.OK {
		t.Fatal("Send anyway runs again with Force")
	}
	markup := test.RenderObjectToMarkup(p.Result.box)
	for _, want := range []string{"My Shop", "1.2.3", "products", "View, Modify", "Read only", "Technical details"} {
		if !strings.Contains(markup, want) {
			t.Errorf("the success panel lacks %q", want)
		}
	}
	if !strings.Contains(technicalDetails(*p.Result.Result).Text, "GET https://new.example/api/\n  -> 200 OK") {
		t.Error("technical details list the requests and statuses")
	}
}

func TestImporterFillsTheForm(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	test.Tap(p.importButton)
	d := p.Importer
	test.Tap(d.importButton)
	if !d.message.Visible() {
		t.Fatal("importing nothing is refused in words")
	}
	test.Type(d.Paste.Focusable(), "imported.example")
	test.Type(d.Params.Input("token").Focusable(), "wrong")
	test.Tap(d.importButton)
	e.loop.until(t, "the import", func() bool { return !d.importButton.Disabled() })
	if !strings.Contains(d.message.Text, "signature does not match") {
		t.Errorf("refusal: %q", d.message.Text)
	}
	d.Params.Input("token").SetValue("t0ken")
	test.Tap(d.importButton)
	e.loop.until(t, "the import", func() bool { return p.Form.Input("api_key").Value() != "" })
	if p.Form.Input("store_url").Value() != "imported.example" || p.Form.Input("api_key").Value() != "imported-key" {
		t.Error("the form is filled from the import")
	}
}

func TestPanesFitIn800x600(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.testButton)
	e.idle(p)
	for _, w := range []fyne.Window{e.ui.Window, p.Window} {
		if s := w.Content().MinSize(); s.Width > 800 || s.Height > 600 {
			t.Errorf("%s needs %v, more than 800x600", w.Title(), s)
		}
	}
}
