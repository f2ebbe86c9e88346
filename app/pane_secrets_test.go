package app

// pane_secrets_test.go: an edit keeps the saved secrets (never shown) and
// withholds them from a new store address until the owner says so, against
// the PrestaShop emulator.

import (
	"context"
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/connectors/prestashop"
	"storelink/connectors/prestashop/pstest"
)

// savePrestaShop saves "Shop" at srv's address with its key, as the pane would.
func savePrestaShop(t *testing.T, e *env, srv *pstest.Server) {
	t.Helper()
	p := e.open(prestashop.ID)
	typeInto(p, "name", "Shop")
	typeInto(p, prestashop.FieldStoreURL, "http://"+srv.StoreURL())
	typeInto(p, prestashop.FieldAPIKey, pstest.DefaultKey)
	p.Form.Input(prestashop.FieldUseHTTPS).SetValue("false") // the emulator speaks plain HTTP
	test.Tap(p.saveCloseButton)
	e.idle(p)
	if cs := e.saved(); len(cs) != 1 || cs[0].Last == nil || !cs[0].Last.OK {
		t.Fatalf("the first save failed: %q %q", p.status.Text, p.Result.body.Text)
	}
}

func (e *env) editShop(t *testing.T) *Pane {
	t.Helper()
	e.ui.Connections.Reload()
	e.ui.Connections.Select("Shop")
	test.Tap(e.ui.Connections.editButton)
	p := e.ui.Panes[len(e.ui.Panes)-1]
	if p.Editing != "Shop" {
		t.Fatal("Edit opened no edit pane")
	}
	return p
}

func (e *env) savedKey(t *testing.T) string {
	t.Helper()
	cs := e.saved()
	s, err := e.store.Secrets(cs[0])
	if err != nil {
		t.Fatal(err)
	}
	return s[prestashop.FieldAPIKey]
}

func TestEditKeepsTheSavedSecret(t *testing.T) {
	srv := pstest.New(pstest.Options{})
	t.Cleanup(srv.Close)
	e := newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)
	savePrestaShop(t, e, srv)
	before := srv.Requests()

	p := e.editShop(t)
	key := p.Form.Row(prestashop.FieldAPIKey)
	if key.Input.Value() != "" || !key.Hint.Visible() || key.Hint.Text != keptSecretHint || key.Input.Entry().PlaceHolder != keptSecretHint {
		t.Errorf("the saved key is not said to be kept: value %q, hint %q", key.Input.Value(), key.Hint.Text)
	}
	if strings.Contains(test.RenderObjectToMarkup(p.Window.Content()), pstest.DefaultKey) {
		t.Error("the saved key is drawn")
	}
	test.Tap(p.testButton)
	e.idle(p)
	if !strings.Contains(p.status.Text, "passed") || srv.Requests() == before || !srv.SawAuthorization() {
		t.Fatalf("Test connection did not use the saved key: %q", p.status.Text)
	}
	p.Form.Input(connectors.FieldRequestTimeout).SetValue("45")
	test.Tap(p.saveButton)
	e.idle(p)
	cs := e.saved()
	if len(cs) != 1 || cs[0].Values[connectors.FieldRequestTimeout] != "45" || cs[0].Last == nil || !cs[0].Last.OK {
		t.Fatalf("the timeout was not saved without the key again: %q %+v", p.status.Text, cs)
	}
	if got := e.savedKey(t); got != pstest.DefaultKey {
		t.Errorf("the key in the keychain changed to %q", got)
	}
	if key.Message.Visible() {
		t.Errorf("the kept key is marked: %q", key.Message.Text)
	}
}

func TestEditWithholdsTheSavedKeyFromANewAddress(t *testing.T) {
	old, moved := pstest.New(pstest.Options{}), pstest.New(pstest.Options{})
	t.Cleanup(old.Close)
	t.Cleanup(moved.Close)
	e := newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)
	savePrestaShop(t, e, old)

	p := e.editShop(t)
	p.Form.Input(prestashop.FieldStoreURL).SetValue(moved.StoreURL())
	test.Tap(p.saveButton)
	e.idle(p)
	q := p.newAddressQuestion
	if q == nil || !p.overlayShown() {
		t.Fatalf("no question before the saved key goes to a new address: %q", p.status.Text)
	}
	if moved.Requests() != 0 {
		t.Fatalf("the new address got %d requests before the owner's answer", moved.Requests())
	}
	if cs := e.saved(); cs[0].Values[prestashop.FieldStoreURL] != old.StoreURL() {
		t.Fatal("the edit was saved before the owner's answer")
	}
	text := test.RenderObjectToMarkup(p.Window.Canvas().Overlays().Top())
	for _, want := range []string{old.StoreURL(), moved.StoreURL(), "Send the saved key", "Type it again"} {
		if !strings.Contains(text, want) {
			t.Errorf("the question does not show %q", want)
		}
	}
	test.Tap(q.do)
	e.idle(p)
	if moved.Requests() == 0 || !moved.SawAuthorization() {
		t.Fatal("Send the saved key sent nothing to the new address")
	}
	cs := e.saved()
	if cs[0].Values[prestashop.FieldStoreURL] != moved.StoreURL() || cs[0].Last == nil || !cs[0].Last.OK {
		t.Fatalf("not saved at the new address: %q", p.status.Text)
	}
	if got := e.savedKey(t); got != pstest.DefaultKey {
		t.Errorf("the key in the keychain changed to %q", got)
	}

	// Back to the old address, and this time type the key again.
	hits := old.Requests()
	p.Form.Input(prestashop.FieldStoreURL).SetValue(old.StoreURL())
	test.Tap(p.saveButton)
	e.idle(p)
	q = p.newAddressQuestion
	if q == nil || !p.overlayShown() || old.Requests() != hits {
		t.Fatal("the second address change was not asked about first")
	}
	test.Tap(q.safe)
	key := p.Form.Row(prestashop.FieldAPIKey)
	if !key.Message.Visible() || !strings.Contains(key.Message.Text, "Type it again") {
		t.Errorf("Type it again does not mark the key: %q", key.Message.Text)
	}
	if p.Window.Canvas().Focused() != key.Input.Focusable() {
		t.Error("Type it again does not focus the key")
	}
	if old.Requests() != hits {
		t.Fatal("Type it again sent something")
	}
	test.Tap(p.saveButton)
	e.idle(p)
	if old.Requests() != hits || !key.Message.Visible() {
		t.Fatal("Save with the key still empty went ahead")
	}
	typeInto(p, prestashop.FieldAPIKey, pstest.DefaultKey)
	test.Tap(p.saveButton)
	e.idle(p)
	if cs := e.saved(); cs[0].Values[prestashop.FieldStoreURL] != old.StoreURL() || old.Requests() == hits {
		t.Fatalf("the typed key did not save at the old address: %q", p.status.Text)
	}
}

func TestSaveWithoutVerifyingKeepsTheFailedTest(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeNotAPI, "The address answered with a login page.", "Check the address.")
	})
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveButton)
	e.idle(p)
	test.Tap(p.Result.saveAnywayButton)
	e.idle(p)
	cs := e.saved()
	if len(cs) != 1 || cs[0].Last == nil || !cs[0].Last.Unverified {
		t.Fatalf("not saved unverified: %+v", cs)
	}
	if last := cs[0].Last; last.Code != connectors.CodeNotAPI || !strings.Contains(last.Message, "login page") {
		t.Errorf("the saved record forgot the failed test: %+v", *last)
	}
}
