package app

// dialogs_test.go: Esc in every dialog and the picker, whatever has the
// focus; the import dialog (refusals at the top with a next step, .json
// files, what it carries into the pane); the empty Agent list.

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
	"storelink/engine"
	"storelink/forms"
)

// pressKey delivers a key as the desktop driver does: to the focused widget
// if there is one, else to the canvas's OnTypedKey.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// dialogShown reports whether a dialog (an overlay) is open on c.
func dialogShown(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	return top != nil && top.Visible()
}

// tabToButton presses Tab until the dialog button labelled label has the focus.
func tabToButton(t *testing.T, c fyne.Canvas, label string) {
	t.Helper()
	for range 50 {
		if b, ok := c.Focused().(*dialogButton); ok && b.Text == label {
			return
		}
		c.FocusNext()
	}
	t.Fatalf("Tab never reaches %q", label)
}

// escEachFocus runs open, puts the focus as named ("nothing" unfocuses; other
// names are button labels reached with Tab), presses Esc and runs check.
func escEachFocus(t *testing.T, c fyne.Canvas, open func(), check func(focus string), focuses ...string) {
	t.Helper()
	for _, focus := range focuses {
		open()
		if !dialogShown(c) {
			t.Fatalf("%s: no dialog", focus)
		}
		if focus == "nothing" {
			c.Unfocus()
		} else {
			tabToButton(t, c, focus)
		}
		pressKey(c, fyne.KeyEscape)
		if dialogShown(c) {
			t.Errorf("Esc with %s focused leaves the dialog open", focus)
		}
		check(focus)
	}
}

// Dialogs above dialogs: Esc closes the top one, and the window's own
// handler comes back when the last goes, however they go. (Fyne removes the
// overlays above one that closes, without their callbacks.)
func TestShowDialogStacks(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	c := e.ui.Window.Canvas()
	windowEsc := 0
	c.SetOnTypedKey(func(k *fyne.KeyEvent) { windowEsc++ })
	open := func(title string) *dialog.CustomDialog {
		c.Unfocus() // the Filter box, or the dialog below, has the focus
		d := dialog.NewCustomWithoutButtons(title, widget.NewLabel(title), e.ui.Window)
		showDialog(e.ui.Window, d, d.Hide)
		return d
	}
	escape := func(what string, overlays, heard int) {
		t.Helper()
		pressKey(c, fyne.KeyEscape)
		if n := len(c.Overlays().List()); n != overlays || windowEsc != heard {
			t.Fatalf("%s: %d dialogs left, the window heard Esc %d times; want %d and %d", what, n, windowEsc, overlays, heard)
		}
	}

	open("lower")
	open("upper")
	escape("Esc over two dialogs", 1, 0)
	escape("Esc over one", 0, 0)
	escape("Esc with none", 0, 1)

	lower := open("lower")
	open("upper")
	lower.Hide() // by its own button, say: the upper one goes with it
	escape("Esc after the lower dialog closed", 0, 2)

	open("lower")
	open("upper")
	c.Overlays().Remove(c.Overlays().Top()) // gone without its callback
	escape("Esc after the upper overlay vanished", 0, 2)
	escape("Esc with none", 0, 3)
}

func TestEscClosesThePicker(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	c := e.ui.Window.Canvas()
	e.ui.CreateConnection()
	if c.Focused() != e.ui.Picker.Search {
		t.Fatal("the picker opens with the focus in Search")
	}
	test.Type(e.ui.Picker.Search, "test")
	pressKey(c, fyne.KeyEscape)
	if e.ui.Picker != nil || dialogShown(c) {
		t.Fatal("Esc in Search closes the picker")
	}
	escEachFocus(t, c, e.ui.CreateConnection, func(focus string) {
		if e.ui.Picker != nil || len(e.ui.Panes) != 0 {
			t.Errorf("Esc with %s focused: picker still open, or %d panes", focus, len(e.ui.Panes))
		}
	}, "", "Cancel", "nothing") // "": the first application's button
	if c.OnTypedKey() != nil {
		t.Error("the main window's key handler is not given back")
	}
}

func TestEscInTheDiscardDialogKeepsEditing(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	c := p.Window.Canvas()
	typeInto(p, "name", "Corner shop")
	pressKey(c, fyne.KeyEscape) // in Name: Cancel, which asks first
	if !dialogShown(c) || p.discard == nil {
		t.Fatal("Esc with something typed asks before discarding")
	}
	if b, ok := c.Focused().(*dialogButton); !ok || b.Text != "Keep editing" {
		t.Errorf("the Discard dialog opens with %v focused, want Keep editing", c.Focused())
	}
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) || p.closed || p.Form.Input("name").Value() != "Corner shop" {
		t.Fatal("Esc in the Discard dialog is Keep editing: the pane stays with what was typed")
	}
	escEachFocus(t, c, p.Cancel, func(focus string) {
		if p.closed {
			t.Fatalf("Esc with %s focused in the Discard dialog closed the pane", focus)
		}
	}, "Discard", "nothing")
	// The pane's own Esc is back once the dialog is gone: it asks again.
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if !dialogShown(c) {
		t.Fatal("after the dialog, Esc in the pane is Cancel again")
	}
	test.Tap(p.discard.do)
	if !p.closed {
		t.Error("Discard closes the pane")
	}
}

func TestEscInTheDeleteDialogKeepsIt(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	s := e.ui.Connections
	s.Reload()
	c := e.ui.Window.Canvas()
	escEachFocus(t, c, func() { s.AskDelete("Alpha") }, func(focus string) {
		e.loop.runPending()
		if len(e.saved()) != 1 {
			t.Fatalf("Esc with %s focused deleted the connection", focus)
		}
	}, "Keep it", "Delete Alpha", "nothing")
}

func TestEscInTheQuitDialogKeepsEditing(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Corner shop")
	c := e.ui.Window.Canvas()
	escEachFocus(t, c, e.ui.Quit, func(focus string) {
		if e.ui.ctx.Err() != nil || p.closed {
			t.Fatalf("Esc with %s focused in the Quit dialog quit", focus)
		}
	}, "Keep editing", "Quit anyway", "nothing")
	e.ui.Quit()
	if !dialogShown(c) {
		t.Error("Quit asks again after Esc")
	}
}

func TestEscClosesAbout(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	escEachFocus(t, e.ui.Window.Canvas(), e.ui.ShowAbout, func(string) {}, "Close", "nothing")
}

// The import dialog sits on a pane whose own Esc closes it at once when
// nothing is typed: an Esc meant for the dialog must not reach it.
func TestEscInTheImportDialogCancelsItOnly(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	c := p.Window.Canvas()
	check := func(focus string) {
		if p.closed {
			t.Fatalf("Esc with %s focused in the import dialog closed the pane", focus)
		}
	}
	escEachFocus(t, c, p.OpenImporter, check, "Cancel", "Import", "Open file...", "nothing")
	// In the dialog's own inputs, which forms draws.
	for _, in := range []fyne.Focusable{p.Importer.Paste.Focusable(), p.Importer.Params.Input("token").Focusable()} {
		p.OpenImporter()
		c.Focus(in)
		pressKey(c, fyne.KeyEscape)
		if dialogShown(c) || p.closed {
			t.Fatalf("Esc in %T: dialog open %v, pane closed %v", in, dialogShown(c), p.closed)
		}
	}
	// A file dialog above the import dialog: Esc closes neither it nor the pane.
	p.OpenImporter()
	test.Tap(p.Importer.openFileButton)
	files := c.Overlays().Top()
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != files || p.closed || len(c.Overlays().List()) != 2 {
		t.Fatal("Esc over the file dialog went to the import dialog or the pane")
	}
	c.Overlays().Remove(files)
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) || p.closed {
		t.Fatal("with the file dialog gone, Esc cancels the import dialog")
	}
	// Once the dialog is gone, the pane's Esc is back: Cancel closes it.
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if !p.closed {
		t.Error("after the dialog, Esc in the pane is Cancel again")
	}
}

func TestImportDialogFiltersJSONAndRefusesAtTheTop(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.OpenImporter()
	d := p.Importer
	for name, want := range map[string]bool{"request.json": true, "REQUEST.JSON": true, "notes.txt": false, "request.json.txt": false} {
		if got := d.FileFilter.Matches(storage.NewFileURI(filepath.Join(t.TempDir(), name))); got != want {
			t.Errorf("the file dialog offers %s: %v, want %v", name, got, want)
		}
	}
	test.Tap(d.importButton)
	if d.content.Objects[0] != d.message || !d.message.Visible() || !strings.Contains(d.message.Text, "open the saved file, or paste its text") {
		t.Fatalf("importing nothing: %q (shown %v, at the top %v)", d.message.Text, d.message.Visible(), d.content.Objects[0] == d.message)
	}
	test.Type(d.Paste.Focusable(), "imported.example")
	test.Tap(d.importButton)
	if !strings.Contains(d.message.Text, "Token") || !strings.Contains(d.message.Text, "Import again") {
		t.Errorf("a missing parameter: %q", d.message.Text)
	}
	d.dialog.Resize(fyne.NewSize(600, 300)) // the inputs scroll; the refusal does not
	if d.message.Position().Y > d.content.Objects[1].Position().Y {
		t.Error("the refusal is below the inputs")
	}
}

// The real Upgates importer: a refusal says what to do next; an import
// carries the key file and a name from the shop into the pane.
func TestUpgatesImportCarriesNameAndKeyIntoThePane(t *testing.T) {
	reg := connectors.NewRegistry()
	reg.Register(upgates.Info())
	e := newEnv(t, reg, &script{})
	signer := upgatestest.NewSigner(t)
	keyFile := signer.WritePublicKey(t, t.TempDir())
	request := signer.Request(upgatestest.ValidRequest("https://myshop.admin.s15.upgates.com/api/v2", time.Now().Add(10*time.Minute)))

	p := e.open(upgates.ID)
	p.OpenImporter()
	d := p.Importer
	test.Type(d.Paste.Focusable(), string(request))
	test.Type(d.Params.Input(upgates.ParamSignatureToken).Focusable(), "not-the-token")
	test.Type(d.Params.Input(upgates.ParamPublicKeyFile).Focusable(), keyFile)
	test.Tap(d.importButton)
	e.loop.until(t, "the refusal", func() bool { return d.message.Visible() })
	want := "The signature does not match: check the signature token under Marketplace > Add-on details > Add-on development"
	if d.content.Objects[0] != d.message || !strings.Contains(d.message.Text, want) || !strings.Contains(d.message.Text, "then Import again") {
		t.Errorf("the refusal at the top: %q", d.message.Text)
	}
	if strings.Contains(d.message.Text, upgatestest.DefaultKey) {
		t.Error("the refusal shows the API key")
	}

	d.Params.Input(upgates.ParamSignatureToken).SetValue(signer.SignatureToken)
	test.Tap(d.importButton)
	e.loop.until(t, "the import", func() bool { return p.Form.Input(upgates.FieldAPIKey).Value() != "" })
	if dialogShown(p.Window.Canvas()) {
		t.Error("the dialog closes after an import")
	}
	if got := p.Form.Input(connectors.FieldName).Value(); got != "Upgates myshop" {
		t.Errorf("name %q, want one suggested from the shop", got)
	}
	if got := p.Form.Input(upgates.FieldPublicKeyFile).Value(); got != keyFile {
		t.Errorf("public key file %q, want the one given in the dialog, %s", got, keyFile)
	}
	if !strings.Contains(p.status.Text, "Name") || !strings.Contains(p.status.Text, "Signature public key file") {
		t.Errorf("the pane says what was filled: %q", p.status.Text)
	}

	// A name the user typed wins over the suggestion.
	q := e.open(upgates.ID)
	typeInto(q, connectors.FieldName, "Main shop")
	q.OpenImporter()
	test.Type(q.Importer.Paste.Focusable(), string(request))
	test.Type(q.Importer.Params.Input(upgates.ParamSignatureToken).Focusable(), signer.SignatureToken)
	test.Type(q.Importer.Params.Input(upgates.ParamPublicKeyFile).Focusable(), keyFile)
	test.Tap(q.Importer.importButton)
	e.loop.until(t, "the second import", func() bool { return q.Form.Input(upgates.FieldAPIKey).Value() != "" })
	if got := q.Form.Input(connectors.FieldName).Value(); got != "Main shop" {
		t.Errorf("the import replaced the typed name with %q", got)
	}
}

func TestAgentListSaysThereAreNoneYet(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.Form.Fill(connectors.Values{connectors.FieldMode: connectors.ModeOnPremise})
	agent := p.Form.Row(connectors.FieldAgent)
	if !agent.Visible() {
		t.Fatal("On-premise shows the Agent list")
	}
	markup := test.RenderObjectToMarkup(agent.Box)
	if !strings.Contains(markup, forms.NoAgentsYet) || strings.Contains(markup, "(none)") {
		t.Errorf("the empty Agent list: %s", markup)
	}
	e.ui.ShowAgents()
	for _, want := range []string{"SSH server", "behind a firewall", "local network", "Cloud"} {
		if !strings.Contains(e.ui.lists[engine.KindAgent].explain.Text, want) {
			t.Errorf("the Agents screen lacks %q: %s", want, e.ui.lists[engine.KindAgent].explain.Text)
		}
	}
}
