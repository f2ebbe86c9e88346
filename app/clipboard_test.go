package app

// clipboard_test.go: a webservice key copied with PrestaShop's Generate and
// Copy does not outlive the window: quitting clears it at once, unless the
// user copied something else since (issue 17, finding 9).

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/connectors/prestashop"
)

// copyGeneratedKey opens a PrestaShop pane, generates a key and copies it.
func copyGeneratedKey(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t, connectors.Default, &script{})
	p := e.open("prestashop")
	in := p.Form.Input(prestashop.FieldAPIKey)
	test.Tap(in.Generate)
	test.Tap(in.Copy)
	key := in.Value()
	if key == "" || e.ui.App.Clipboard().Content() != key {
		t.Fatalf("Copy puts the generated key on the clipboard: %q", e.ui.App.Clipboard().Content())
	}
	if note := p.Form.Row(prestashop.FieldAPIKey).Note.Text; note != "Copied. Storelink clears the clipboard in 30 seconds." {
		t.Errorf("the field does not say the clipboard will be cleared: %q", note)
	}
	return e, key
}

// quit quits, answering Quit anyway to the question about the unsaved pane.
func quit(t *testing.T, e *env) {
	t.Helper()
	e.ui.Quit()
	if e.ui.quitAnywayButton == nil {
		t.Fatal("the pane with a generated key is unsaved: Quit asks")
	}
	test.Tap(e.ui.quitAnywayButton)
	if e.ui.ctx.Err() == nil {
		t.Fatal("Quit anyway closes the window")
	}
}

func TestQuitClearsACopiedKeyAtOnce(t *testing.T) {
	e, _ := copyGeneratedKey(t)
	quit(t, e)
	if got := e.ui.App.Clipboard().Content(); got != "" {
		t.Errorf("the key is on the clipboard after quitting: %q", got)
	}
}

func TestQuitKeepsWhatTheUserCopiedSince(t *testing.T) {
	e, _ := copyGeneratedKey(t)
	e.ui.App.Clipboard().SetContent("order 1042")
	quit(t, e)
	if got := e.ui.App.Clipboard().Content(); got != "order 1042" {
		t.Errorf("quitting touched what the user copied: %q", got)
	}
}
