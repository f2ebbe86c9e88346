package forms

// wheel.go: the mouse wheel scrolls the form wherever the pointer is. A
// Fyne entry holds a scroller of its own that takes every wheel event over
// it, even with nothing to scroll, so the form would stall over each text
// field; a transparent layer above the entry takes them instead and hands
// them to the form (Form.OnScrolled). It answers nothing else: taps, drags
// and the text cursor still reach the entry below it.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// wheel passes the wheel events over an entry to the form.
type wheel struct {
	widget.BaseWidget
	to func(*fyne.ScrollEvent)
}

func newWheel(to func(*fyne.ScrollEvent)) *wheel {
	w := &wheel{to: to}
	w.ExtendBaseWidget(w)
	return w
}

// Scrolled hands the event to the form.
func (w *wheel) Scrolled(ev *fyne.ScrollEvent) {
	if w.to != nil {
		w.to(ev)
	}
}

func (w *wheel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// withWheel lays the wheel layer over the entry e. A multi-line entry whose
// text has more lines than it shows keeps the wheel, to scroll its text.
func withWheel(e *entry, to func(*fyne.ScrollEvent)) (fyne.CanvasObject, func()) {
	w := newWheel(to)
	follow := func() {
		if e.MultiLine && strings.Count(e.Text, "\n")+1 > multiLineRows {
			w.Hide()
		} else {
			w.Show()
		}
	}
	return container.NewStack(e, w), follow
}
