package app

// dialogs.go: Esc gives every dialog its safe answer (Cancel, Keep editing,
// Keep it, Close). Fyne 2.7's custom dialogs ignore Esc, a focused widget
// gets the keys before the canvas does, and the pane's own Esc (Cancel the
// pane) must not hear an Esc meant for a dialog above it.

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showDialog shows d, a dialog not shown before, on w and makes Esc run
// onEsc (the safe answer, which closes d). With nothing focused, the keys go
// to the canvas: its OnTypedKey is swapped for the dialog's life and given
// back when d closes, so the window's own Esc (Cancel the pane) is not run.
// A focused widget gets the keys itself: give d's buttons and entries the
// same onEsc through newDialogButton and newEscEntry (forms.Env.Escape for
// forms' inputs).
func showDialog(w fyne.Window, d dialog.Dialog, onEsc func()) {
	c := w.Canvas()
	before := c.OnTypedKey()
	d.Show()
	mine := c.Overlays().Top()
	closed := false
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if closed || !slices.Contains(c.Overlays().List(), mine) {
			// d went without its callback (Fyne drops the overlays above
			// one that closes): step aside for the handler d replaced.
			closed = true
			c.SetOnTypedKey(before)
			if before != nil {
				before(k)
			}
			return
		}
		// Esc while another overlay (a file dialog) is above d, and other
		// keys, go nowhere: the dialog is modal.
		if k.Name == fyne.KeyEscape && c.Overlays().Top() == mine {
			onEsc()
		}
	})
	d.SetOnClosed(func() {
		if !closed {
			closed = true
			c.SetOnTypedKey(before) // whatever was above d went with it
		}
	})
}

// dialogButton is a dialog's button that answers Esc with esc, since a
// focused button keeps its keys; Enter taps it, as Space does.
type dialogButton struct {
	widget.Button
	esc func()
}

func newDialogButton(label string, tapped, esc func()) *dialogButton {
	b := &dialogButton{esc: esc}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *dialogButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		if b.esc != nil {
			b.esc()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	default:
		b.Button.TypedKey(k)
	}
}

// escEntry is an entry in a dialog that answers Esc with esc (the picker's
// search box is focused while the picker is open).
type escEntry struct {
	widget.Entry
	esc func()
}

func newEscEntry(esc func()) *escEntry {
	e := &escEntry{esc: esc}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.esc != nil {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}

// askDelete asks before deleting the saved noun ("connection", "agent")
// name; Keep it, which Esc presses, has the focus.
func askDelete(w fyne.Window, noun, name string, del func()) *question {
	msg := wrapped(fmt.Sprintf("Delete the %s %q? Its secrets are removed from the OS keychain too. This cannot be undone.", noun, name), widget.MediumImportance)
	q := ask(w, questionSpec{
		title: "Delete " + noun, content: msg,
		safe: "Keep it", do: "Delete " + name, onDo: del, danger: true,
		size: fyne.NewSize(460, 200),
	})
	q.do.SetIcon(theme.DeleteIcon())
	return q
}

// showError says on the main window that title failed, in words with no secret.
func (u *UI) showError(title string, err error) {
	u.log.WithError(err).Warn(title)
	msg := widget.NewLabel(u.eng.Redact(err.Error()))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", msg, u.Window)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}
