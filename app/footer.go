package app

// footer.go: the bottom of the connection and agent panes: progress (an
// activity, the step in words, the time so far, Cancel test), the status in
// words (after a test, only the result's headline), the buttons Cancel, Test, Save & close and Save, and the keys that
// do the same.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// paneFooter is embedded in both panes, so tests reach p.saveButton alike.
type paneFooter struct {
	saveButton, saveCloseButton, testButton, cancelButton *widget.Button
	cancelTestButton                                      *widget.Button
	activity                                              *widget.Activity
	step, elapsed, status                                 *widget.Label

	progress *fyne.Container
	box      *fyne.Container // what the pane puts at its bottom
}

// footerActions are what the footer's buttons do.
type footerActions struct {
	testLabel                string // "Test connection", "Test agent"
	save                     func(close bool)
	test, cancelTest, cancel func()
}

// bind makes w answer as a pane: closing it or Esc cancels, Ctrl+S saves,
// Ctrl+Enter tests.
func (a footerActions) bind(w fyne.Window) {
	w.SetCloseIntercept(a.cancel)
	c := w.Canvas()
	for _, sc := range paneShortcuts() {
		c.AddShortcut(sc, func(s fyne.Shortcut) { a.shortcut(s) })
	}
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			a.cancel()
		}
	})
}

func paneShortcuts() []fyne.Shortcut {
	return []fyne.Shortcut{ctrl(fyne.KeyS), ctrl(fyne.KeyReturn), ctrl(fyne.KeyEnter)}
}

// shortcut runs a pane's key combinations: Ctrl+S Save, Ctrl+Enter Test.
func (a footerActions) shortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case ctrl(fyne.KeyS).ShortcutName():
		a.save(false)
	case ctrl(fyne.KeyReturn).ShortcutName(), ctrl(fyne.KeyEnter).ShortcutName():
		a.test()
	default:
		return false
	}
	return true
}

func newPaneFooter(a footerActions) paneFooter {
	f := paneFooter{activity: widget.NewActivity(), step: widget.NewLabel(""), elapsed: widget.NewLabel(""), status: widget.NewLabel("")}
	f.step.Truncation = fyne.TextTruncateEllipsis
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Hide()
	f.cancelTestButton = widget.NewButtonWithIcon("Cancel test", theme.CancelIcon(), a.cancelTest)
	f.cancelTestButton.Hide()
	f.progress = container.NewBorder(nil, nil, f.activity, container.NewHBox(f.elapsed, f.cancelTestButton), f.step)
	f.progress.Hide()
	f.saveButton = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { a.save(false) })
	f.saveButton.Importance = widget.HighImportance
	f.saveCloseButton = widget.NewButton("Save & close", func() { a.save(true) })
	f.testButton = widget.NewButtonWithIcon(a.testLabel, theme.MediaPlayIcon(), a.test)
	f.cancelButton = widget.NewButton("Cancel", a.cancel)
	buttons := container.NewHBox(f.cancelButton, layout.NewSpacer(), f.testButton, f.saveCloseButton, f.saveButton)
	f.box = container.NewVBox(widget.NewSeparator(), f.progress, f.status, buttons)
	return f
}

// working disables what would start another test or save (and extra) and
// shows the step; Cancel test only when the work can be cancelled.
func (f *paneFooter) working(step string, cancellable bool, extra ...*widget.Button) {
	for _, b := range append([]*widget.Button{f.saveButton, f.saveCloseButton, f.testButton}, extra...) {
		if b != nil {
			b.Disable()
		}
	}
	f.progress.Show()
	f.activity.Start()
	f.step.SetText(step)
	f.elapsed.SetText("")
	if cancellable {
		f.cancelTestButton.Show()
		f.cancelTestButton.Enable()
	} else {
		f.cancelTestButton.Hide()
	}
	f.status.Hide()
}

// ready enables the buttons again (and extra) and hides the progress.
func (f *paneFooter) ready(extra ...*widget.Button) {
	for _, b := range append([]*widget.Button{f.saveButton, f.saveCloseButton, f.testButton}, extra...) {
		if b != nil {
			b.Enable()
		}
	}
	f.activity.Stop()
	f.progress.Hide()
	f.step.SetText("")
	f.elapsed.SetText("")
	f.cancelTestButton.Hide()
}

// say shows the status in words, in the importance's colour.
func (f *paneFooter) say(text string, imp widget.Importance) {
	f.status.Importance = imp
	f.status.SetText(text)
	f.status.Show()
}

// failedWords is the footer after a failed test: the result's headline
// alone, the rest is in the result above.
func failedWords(headline string) string {
	headline = strings.TrimSpace(headline)
	if headline == "" {
		return "The test failed: read the result above."
	}
	if !strings.ContainsAny(headline[len(headline)-1:], ".!?…") {
		headline += "."
	}
	return connectors.Text("The test failed. {headline}", "headline", headline)
}
