package forms

// clipboard_test.go: a copied secret leaves the clipboard ClearAfter later
// if it is still there, what the user copied meanwhile stays, and the field
// says so (issue 17, finding 9). The clock is the test's: no waiting.

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakeClock records the timers it is asked for; fire runs them.
type fakeClock struct {
	waits   []time.Duration
	fns     []func()
	stopped []bool
}

func (c *fakeClock) after(d time.Duration, f func()) func() bool {
	i := len(c.fns)
	c.waits, c.fns, c.stopped = append(c.waits, d), append(c.fns, f), append(c.stopped, false)
	return func() bool {
		was := !c.stopped[i]
		c.stopped[i] = true
		return was
	}
}

// fire ends timer i as if its time had come (stopped or not: a timer can
// fire just before it is stopped, its fyne.Do still queued).
func (c *fakeClock) fire(t *testing.T, i int) {
	t.Helper()
	if i >= len(c.fns) {
		t.Fatalf("no clear was ever due (timer %d of %d)", i, len(c.fns))
	}
	c.fns[i]()
}

// clipboardForm is a form whose secrets go to the test app's clipboard.
type clipboardForm struct {
	*Form
	cb     fyne.Clipboard
	secret *SecretClipboard
	clock  *fakeClock
}

func newClipboardForm(t *testing.T) clipboardForm {
	t.Helper()
	a := test.NewTempApp(t)
	clock := &fakeClock{}
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	secret := NewSecretClipboard(a.Clipboard(), clock.after)
	f := New(testInfo(t), Env{Window: w, Clipboard: secret})
	w.SetContent(f.Content)
	return clipboardForm{Form: f, cb: a.Clipboard(), secret: secret, clock: clock}
}

const generated = "GENERATEDKEY0123456789"

func TestACopiedKeyIsClearedAfter30SecondsIfStillOnTheClipboard(t *testing.T) {
	c := newClipboardForm(t)
	f, cb, clock := c.Form, c.cb, c.clock
	test.Tap(f.Input("api_key").Generate)
	test.Tap(f.Input("api_key").Copy)
	if got := cb.Content(); got != generated {
		t.Fatalf("Copy puts the key on the clipboard: %q", got)
	}
	if len(clock.waits) != 1 || clock.waits[0] != 30*time.Second {
		t.Fatalf("one clear is due in 30 s, got %v", clock.waits)
	}
	note := f.Row("api_key").Note
	if want := "Copied. Storelink clears the clipboard in 30 seconds."; note.Text != want || !note.Visible() {
		t.Errorf("the field says %q (visible %v), want %q", note.Text, note.Visible(), want)
	}
	clock.fire(t, 0)
	if got := cb.Content(); got != "" {
		t.Errorf("30 s later the key is still on the clipboard: %q", got)
	}
	if note.Text != "Storelink cleared the clipboard." {
		t.Errorf("after clearing the field says %q", note.Text)
	}
}

func TestWhatTheUserCopiedMeanwhileIsKept(t *testing.T) {
	c := newClipboardForm(t)
	f, cb, clock := c.Form, c.cb, c.clock
	test.Tap(f.Input("api_key").Generate)
	test.Tap(f.Input("api_key").Copy)
	cb.SetContent("an order number")
	clock.fire(t, 0)
	if got := cb.Content(); got != "an order number" {
		t.Errorf("the user's own copy was touched: %q", got)
	}
	if note := f.Row("api_key").Note.Text; note == "Storelink cleared the clipboard." {
		t.Errorf("the field claims a clear that did not happen: %q", note)
	}
}

func TestCopyingAgainRestartsTheWaitAndQuitClearsAtOnce(t *testing.T) {
	c := newClipboardForm(t)
	f, cb, clock := c.Form, c.cb, c.clock
	test.Tap(f.Input("api_key").Generate)
	test.Tap(f.Input("api_key").Copy)
	test.Tap(f.Input("api_key").Copy)
	if len(clock.waits) != 2 || !clock.stopped[0] {
		t.Fatalf("the second Copy stops the first wait and starts its own: %v stopped %v", clock.waits, clock.stopped)
	}
	clock.fire(t, 0) // the first timer's late fyne.Do: the second copy's 30 s are not cut short
	if got := cb.Content(); got != generated {
		t.Errorf("the first copy's timer cleared the second copy early: %q", got)
	}
	c.secret.ClearNow() // what quitting does
	if got := cb.Content(); got != "" || !clock.stopped[1] {
		t.Errorf("ClearNow clears at once and stops the wait: %q stopped %v", got, clock.stopped)
	}
	cb.SetContent("copied after quitting began")
	clock.fire(t, 1)
	if got := cb.Content(); got != "copied after quitting began" {
		t.Errorf("a cleared copy's timer touched the clipboard again: %q", got)
	}
}
