package app

// newplatform_test.go: the throw-away platform of internal/testplatform
// shows in the picker and is saved from the pane against its test store,
// with nothing in app/ knowing it.

import (
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/internal/testplatform"
)

func TestAFourthPlatformInThePickerAndThePane(t *testing.T) {
	srv := testplatform.NewServer(t)
	e := newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)
	e.ui.CreateConnection()
	if e.ui.Picker.buttons[testplatform.ID] == nil {
		t.Fatal("the picker offers the new platform")
	}
	test.Type(e.ui.Picker.Search, "acme")
	if !e.ui.Picker.rows[testplatform.ID].Visible() {
		t.Error("searching finds it")
	}
	e.ui.Picker.dialog.Hide()
	p := e.open(testplatform.ID)
	typeInto(p, "name", "Acme")
	typeInto(p, "shop_url", srv.URL)
	typeInto(p, "token", testplatform.Token)
	test.Tap(p.saveButton)
	e.idle(p)
	saved := e.saved()
	if len(saved) != 1 || saved[0].App != testplatform.ID || saved[0].Last == nil || !saved[0].Last.OK {
		t.Fatalf("saved: %+v (status %q)", saved, p.status.Text)
	}
	if !strings.Contains(p.Result.body.Text, "Acme Test Store") && !strings.Contains(p.status.Text, "Saved") {
		t.Errorf("the pane says so: %q / %q", p.Result.body.Text, p.status.Text)
	}
}
