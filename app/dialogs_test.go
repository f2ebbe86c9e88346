package app

// dialogs_test.go: Esc in every dialog and the picker, whatever has the
// focus.

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// press delivers a key as the desktop driver does: to the focused widget
// if there is one, else to the canvas's OnTypedKey.
func press(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// shown reports whether a dialog (an overlay) is open on c.
func shown(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	return top != nil && top.Visible()
}

// tabTo presses Tab until the dialog button labelled label has the focus.
func tabTo(t *testing.T, c fyne.Canvas, label string) {
	t.Helper()
	for range 50 {
		if b, ok := c.Focused().(*dialogButton); ok && b.Text == label {
			return
		}
		c.FocusNext()
	}
	t.Fatalf("Tab never reaches %q", label)
}

// focusEach runs open, puts the focus as named ("nothing" unfocuses; other
// names are button labels reached with Tab), presses Esc and runs check.
func focusEach(t *testing.T, c fyne.Canvas, open func(), check func(focus string), focuses ...string) {
	t.Helper()
	for _, focus := range focuses {
		open()
		if !shown(c) {
			t.Fatalf("%s: no dialog", focus)
		}
		if focus == "nothing" {
			c.Unfocus()
		} else {
			tabTo(t, c, focus)
		}
		press(c, fyne.KeyEscape)
		if shown(c) {
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
		press(c, fyne.KeyEscape)
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
	press(c, fyne.KeyEscape)
	if e.ui.Picker != nil || shown(c) {
		t.Fatal("Esc in Search closes the picker")
	}
	focusEach(t, c, e.ui.CreateConnection, func(focus string) {
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
	press(c, fyne.KeyEscape) // in Name: Cancel, which asks first
	if !shown(c) || p.DiscardDialog == nil {
		t.Fatal("Esc with something typed asks before discarding")
	}
	if b, ok := c.Focused().(*dialogButton); !ok || b.Text != "Keep editing" {
		t.Errorf("the Discard dialog opens with %v focused, want Keep editing", c.Focused())
	}
	press(c, fyne.KeyEscape)
	if shown(c) || p.closed || p.Form.Input("name").Value() != "Corner shop" {
		t.Fatal("Esc in the Discard dialog is Keep editing: the pane stays with what was typed")
	}
	focusEach(t, c, p.Cancel, func(focus string) {
		if p.closed {
			t.Fatalf("Esc with %s focused in the Discard dialog closed the pane", focus)
		}
	}, "Discard", "nothing")
	// The pane's own Esc is back once the dialog is gone: it asks again.
	c.Unfocus()
	press(c, fyne.KeyEscape)
	if !shown(c) {
		t.Fatal("after the dialog, Esc in the pane is Cancel again")
	}
	test.Tap(p.DiscardButton)
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
	focusEach(t, c, func() { s.AskDelete("Alpha") }, func(focus string) {
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
	focusEach(t, c, e.ui.Quit, func(focus string) {
		if e.ui.ctx.Err() != nil || p.closed {
			t.Fatalf("Esc with %s focused in the Quit dialog quit", focus)
		}
	}, "Keep editing", "Quit anyway", "nothing")
	e.ui.Quit()
	if !shown(c) {
		t.Error("Quit asks again after Esc")
	}
}

func TestEscClosesAbout(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	focusEach(t, e.ui.Window.Canvas(), e.ui.ShowAbout, func(string) {}, "Close", "nothing")
}
