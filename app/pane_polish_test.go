package app

// pane_polish_test.go: the wheel over a text field, Enter in a multi-line
// field, the duplicate name while typing, Borrow's lenders, Browse...

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/vault"
)

func TestWheelOverATextFieldScrollsThePane(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.Form.Advanced.Open(0)
	p.Window.Resize(fyne.NewSize(640, 300)) // too short for the form: it scrolls
	p.settle()
	if p.scroll.Offset.Y != 0 {
		t.Fatal("the pane starts scrolled")
	}
	entry := p.Form.Input("store_url").Widget
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(entry).Add(fyne.NewPos(20, 10))
	test.Scroll(p.Window.Canvas(), at, 0, -60)
	if p.scroll.Offset.Y <= 0 {
		t.Errorf("the wheel over the Store URL field did not scroll the pane (offset %v)", p.scroll.Offset.Y)
	}
}

func TestDuplicateNameIsFlaggedWhileTyping(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	if _, err := e.store.Save(vault.Connection{Name: "Shop EU", App: "testshop"}, nil, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	p := e.open("testshop")
	name := p.Form.Row("name")
	typeInto(p, "name", "shop eu")
	if !name.Message.Visible() || !strings.Contains(name.Message.Text, `"Shop EU" already exists`) {
		t.Errorf("the taken name is not flagged while typing: %q", name.Message.Text)
	}
	typeInto(p, "name", "2")
	if name.Message.Visible() {
		t.Errorf("a free name is still flagged: %q", name.Message.Text)
	}
	p.Form.Input("name").SetValue("")
	typeInto(p, "name", "Ѕhop EU") // a Cyrillic Ѕ
	if !strings.Contains(name.Message.Text, "looks the same") {
		t.Errorf("a look-alike name is not flagged: %q", name.Message.Text)
	}
}

func TestBorrowListsOnlyLenders(t *testing.T) {
	reg := testRegistry(&script{})
	reg.Register(connectors.Info{ID: "othershop", Title: "Other Shop", Icon: "prestashop.svg",
		New: func() connectors.Connector { return &script{} }, Fields: []connectors.Field{{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL}}})
	conn := &script{}
	e := newEnv(t, reg, conn)
	save := func(name, app, borrows string) {
		t.Helper()
		v := connectors.Values{"name": name}
		if borrows != "" {
			v[connectors.FieldBorrowFrom] = borrows
		}
		if _, err := e.store.Save(vault.Connection{Name: name, App: app, Values: v}, nil, vault.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	save("Main", "testshop", "")
	save("Second", "testshop", "")
	save("Borrower", "testshop", "Main")
	save("Via borrower", "testshop", "Borrower")
	save("Elsewhere", "othershop", "")
	e.ui.EditConnection("Main")
	p := e.ui.Panes[0]
	borrow := p.Form.Input(connectors.FieldBorrowFrom)
	test.Tap(borrow.Widget.(fyne.Tappable)) // the list is read again as it opens
	got := borrow.Options()
	want := []string{"(none)", "Second"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Borrow offers %q, want %q (not itself, not another platform, not one borrowing from it)", got, want)
	}
}
