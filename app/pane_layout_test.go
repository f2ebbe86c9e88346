package app

// pane_layout_test.go: the pane scrolls to what has the focus, keeps its
// column readable on a wide window, keeps every control reachable at its
// smallest, and opens Advanced on edit when an advanced value was changed.

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"storelink/connectors"
	"storelink/engine"
)

// inView reports whether obj lies wholly inside the pane's scrolled view.
func inView(t *testing.T, p *Pane, obj fyne.CanvasObject) bool {
	t.Helper()
	pos, ok := positionIn(p.scroll.Content, obj)
	if !ok {
		t.Fatalf("%T is not in the pane's scrolled content", obj)
	}
	top, view := p.scroll.Offset.Y, p.scroll.Size().Height
	return pos.Y >= top && pos.Y+obj.Size().Height <= top+view
}

// tabTo presses Tab (or Shift+Tab) until key's input has the focus.
func tabTo(t *testing.T, p *Pane, key string, back bool) {
	t.Helper()
	c, want := p.Window.Canvas(), p.Form.Input(key).Focusable()
	for range 40 {
		if back {
			c.FocusPrevious()
		} else {
			c.FocusNext()
		}
		if c.Focused() == want {
			return
		}
	}
	t.Fatalf("Tab never reached %s", key)
}

func TestFocusScrollsTheFieldIntoView(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.Window.Resize(fyne.NewSize(720, 330)) // a short window: API key is below the fold
	p.settle()
	key := p.Form.Row("api_key").Box
	if inView(t, p, key) || p.scroll.Offset.Y != 0 {
		t.Fatalf("the test needs API key below the fold (offset %v, view %v)", p.scroll.Offset, p.scroll.Size())
	}

	tabTo(t, p, "api_key", false)
	if p.scroll.Offset.Y <= 0 || !inView(t, p, key) {
		t.Errorf("Tab to API key scrolls it into view: offset %v", p.scroll.Offset)
	}

	tabTo(t, p, "name", true)
	if p.scroll.Offset.Y != 0 || !inView(t, p, p.Form.Row("name").Box) {
		t.Errorf("Shift+Tab back to Name scrolls up to it: offset %v", p.scroll.Offset)
	}

	// Save with an empty form: the first field in error gets the focus and the view.
	p.scrollTo(10000)
	typeInto(p, "api_key", "K")
	p.Form.Input("name").SetValue("")
	test.Tap(p.saveButton)
	if p.Window.Canvas().Focused() != p.Form.Input("name").Focusable() || !inView(t, p, p.Form.Row("name").Box) {
		t.Errorf("the first field in error is focused and shown: offset %v", p.scroll.Offset)
	}

	// The same with the focus already in Name, scrolled away with the wheel:
	// Ctrl+S brings it back, though Fyne reports no focus change.
	p.scrollTo(10000)
	p.Window.Canvas().(fyne.Shortcutable).TypedShortcut(ctrl(fyne.KeyS))
	if p.scroll.Offset.Y != 0 || !inView(t, p, p.Form.Row("name").Box) {
		t.Errorf("Ctrl+S shows the focused field in error: offset %v", p.scroll.Offset)
	}

	// An advanced field reached by the keyboard opens into view too.
	p.Form.Advanced.Open(0)
	tabTo(t, p, "timeout", false)
	if !inView(t, p, p.Form.Row("timeout").Box) {
		t.Errorf("Tab into Advanced scrolls there: offset %v", p.scroll.Offset)
	}
}

func TestTheColumnStaysReadableOnAWideWindow(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	url := p.Form.Input("store_url").Object

	p.Window.Resize(fyne.NewSize(1280, 800))
	p.settle()
	if w := url.Size().Width; w > ReadableWidth || w < ReadableWidth-100 {
		t.Errorf("at 1280 px Store URL is %v wide, want at most %v", w, ReadableWidth)
	}
	pos := p.Window.Canvas().Size()
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(url)
	if left, right := abs.X, pos.Width-abs.X-url.Size().Width; left < 200 || right < 200 {
		t.Errorf("the column is centred: %v px left, %v px right", left, right)
	}
	save := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.saveButton)
	if save.X+p.saveButton.Size().Width > abs.X+url.Size().Width+20 {
		t.Errorf("Save stays by the fields, at %v, not at the window's edge", save.X)
	}

	p.Window.Resize(fyne.NewSize(640, 600))
	p.settle()
	if w := url.Size().Width; w < 560 {
		t.Errorf("at 640 px Store URL uses the width: %v", w)
	}
}

// At its minimum size every pane still shows its buttons whole and a few
// fields; the rest of the form is reached by scrolling.
func TestSmallestPaneKeepsEveryControlReachable(t *testing.T) {
	for _, info := range connectors.All() {
		t.Run(info.ID, func(t *testing.T) {
			e := newEnv(t, connectors.Default, &script{})
			p := e.open(info.ID)
			min := p.Window.Content().MinSize()
			if min.Width > 640 || min.Height > 480 {
				t.Errorf("the pane needs %v; it should fit 640x480", min)
			}
			// The test canvas pads its content, as a real window's frame does not.
			p.Window.Resize(min.AddWidthHeight(2*theme.Padding(), 2*theme.Padding()))
			p.settle()
			size := p.Window.Canvas().Size()
			d := fyne.CurrentApp().Driver()
			for _, b := range []fyne.CanvasObject{p.cancelButton, p.testButton, p.saveCloseButton, p.saveButton} {
				pos := d.AbsolutePositionForObject(b)
				if pos.X < 0 || pos.Y < 0 || pos.X+b.Size().Width > size.Width+1 || pos.Y+b.Size().Height > size.Height+1 || b.Size().Width < b.MinSize().Width {
					t.Errorf("%T at %v size %v is cut off in a %v window", b, pos, b.Size(), size)
				}
			}
			if h := p.scroll.Size().Height; h < paneMinScrollHeight {
				t.Errorf("the form gets %v px at the smallest size", h)
			}
			if p.scroll.Content.MinSize().Width > p.scroll.Size().Width+1 {
				t.Errorf("the form is wider (%v) than its view (%v): something is cut off", p.scroll.Content.MinSize().Width, p.scroll.Size().Width)
			}
		})
	}
}

func TestEditOpensAdvancedWhenAnAdvancedValueDiffers(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	for name, timeout := range map[string]string{"Default timeout": "30", "Slow shop": "120"} {
		_, err := e.eng.Save(context.Background(), engine.Draft{App: "testshop", Values: connectors.Values{
			"name": name, "store_url": "shop.example", "api_key": "K", "timeout": timeout,
		}}, engine.SaveOptions{NoVerify: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.ui.Connections.Reload()

	e.ui.EditConnection("Default timeout")
	p := e.ui.Panes[len(e.ui.Panes)-1]
	if p.Form.Advanced.Items[0].Open {
		t.Error("Advanced stays closed when every advanced value is its default")
	}
	e.ui.EditConnection("Slow shop")
	p = e.ui.Panes[len(e.ui.Panes)-1]
	if p.Editing != "Slow shop" || !p.Form.Advanced.Items[0].Open {
		t.Error("Edit opens Advanced when an advanced value differs from its default")
	}
	if p.Form.Dirty() {
		t.Error("opening Advanced is no change to the connection")
	}
}
