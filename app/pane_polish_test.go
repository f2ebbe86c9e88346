package app

// pane_polish_test.go: the wheel over a text field, Enter in a multi-line
// field, the duplicate name while typing, Borrow's lenders, Browse...

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
