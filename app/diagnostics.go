package app

// diagnostics.go: Help > Diagnostics, the checks of `storelink doctor` in
// the window: the keychain, the settings file, the keychain journal, the
// log folder and the certificate store, each OK or a problem with what to
// do. They touch the keychain, so they run in the background.

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/engine"
)

// DiagnosticsDialog is Help > Diagnostics.
type DiagnosticsDialog struct {
	dialog   *dialog.CustomDialog
	activity *widget.Activity
	// Summary says what runs, then how many checks found a problem.
	summary *widget.Label
	// Rows are the checks, in Doctor's order, once they have run.
	Rows                     []*DiagnosisRow
	againButton, closeButton *widget.Button

	ui     *UI
	checks *fyne.Container
	run    *verification
}

// DiagnosisRow is one check: an icon and a word for ok or problem, what was
// found and, for a problem, what to do.
type DiagnosisRow struct {
	Check                string // keychain, settings, journal, logs, certificates
	OK                   bool
	title, message, hint *widget.Label
}

// ShowDiagnostics opens Help > Diagnostics and runs the checks.
func (u *UI) ShowDiagnostics() {
	d := &DiagnosticsDialog{ui: u, activity: widget.NewActivity(), checks: container.NewVBox()}
	d.summary = wrapped("", widget.MediumImportance)
	intro := wrapped("What Storelink needs from this computer, checked as `storelink doctor` does. "+
		"The keychain check stores, reads back and deletes a test item; items left behind by interrupted saves are removed.", widget.MediumImportance)
	scroll := container.NewVScroll(container.NewVBox(intro, container.NewBorder(nil, nil, d.activity, nil, d.summary), d.checks))
	scroll.SetMinSize(fyne.NewSize(560, 340))
	d.dialog = dialog.NewCustomWithoutButtons("Diagnostics", scroll, u.Window)
	closeButton := newDialogButton("Close", d.Close, d.Close)
	again := newDialogButton("Run again", d.Run, d.Close)
	d.closeButton, d.againButton = &closeButton.Button, &again.Button
	d.dialog.SetButtons([]fyne.CanvasObject{again, closeButton})
	d.dialog.Resize(fyne.NewSize(640, 500))
	u.Diagnostics = d
	showDialog(u.Window, d.dialog, d.Close)
	u.Window.Canvas().Focus(closeButton)
	d.Run()
}

// Run runs the checks again in the background.
func (d *DiagnosticsDialog) Run() {
	if d.run != nil {
		return
	}
	eng := d.ui.eng
	d.againButton.Disable()
	d.activity.Show()
	d.activity.Start()
	const checking = "Checking the keychain, the settings file, the keychain journal, the log folder and the certificate store..."
	d.summary.Importance = widget.MediumImportance
	d.summary.SetText(checking)
	d.run = start(d.ui, job[[]engine.Diagnosis]{
		work: func(context.Context, func(string)) []engine.Diagnosis { return eng.Doctor() },
		tick: func(t time.Duration) { d.summary.SetText(fmt.Sprintf("%s %.1f s", checking, t.Seconds())) },
		finish: func(found []engine.Diagnosis, abandoned bool) {
			if abandoned {
				return
			}
			d.run = nil
			d.show(found)
		},
	})
}

func (d *DiagnosticsDialog) show(found []engine.Diagnosis) {
	d.activity.Stop()
	d.activity.Hide()
	d.againButton.Enable()
	d.Rows = nil
	d.checks.RemoveAll()
	problems := 0
	for _, f := range found {
		r := &DiagnosisRow{Check: f.Check, OK: f.OK, message: wrapped(d.ui.eng.Redact(f.Message), widget.MediumImportance)}
		var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		word := "OK"
		if !f.OK {
			problems++
			word, icon = "Problem", theme.NewErrorThemedResource(theme.ErrorIcon())
		}
		r.title = widget.NewLabelWithStyle(checkTitle(f.Check)+": "+word, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		text := container.NewVBox(r.title, r.message)
		if f.Hint != "" {
			r.hint = wrapped("What to do: "+d.ui.eng.Redact(f.Hint), widget.MediumImportance)
			text.Add(r.hint)
		}
		d.Rows = append(d.Rows, r)
		d.checks.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, text))
	}
	switch {
	case problems == 0:
		d.summary.Importance = widget.SuccessImportance
		d.summary.SetText(fmt.Sprintf("All %d checks passed.", len(found)))
	default:
		d.summary.Importance = widget.DangerImportance
		d.summary.SetText(fmt.Sprintf("%d of %d checks found a problem: what to do is under each.", problems, len(found)))
	}
}

// Close closes the dialog; checks still running are left to end unseen.
func (d *DiagnosticsDialog) Close() {
	if d.run != nil {
		d.run.abandon()
		d.run = nil
	}
	d.dialog.Hide()
}

// checkTitle names a check of Doctor in words.
func checkTitle(check string) string {
	switch check {
	case "keychain":
		return "Keychain"
	case "settings":
		return "Settings file"
	case "journal":
		return "Keychain journal"
	case "logs":
		return "Log folder"
	case "permissions":
		return "File permissions"
	case "certificates":
		return "Certificate store"
	}
	return keyWords(check)
}
