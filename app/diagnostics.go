package app

// diagnostics.go: Help > Diagnostics, the checks of `storelink doctor` in
// the window: the keychain, the settings file, the keychain journal, the
// log folder and the certificate store, each OK or a problem with what to
// do. They touch the keychain, so they run in the background.

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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
	Rows                                 []*DiagnosisRow
	againButton, closeButton, logsButton *widget.Button

	ui     *UI
	checks *fyne.Container
	run    *verification
}

// DiagnosisRow is one check: an icon and a word for ok or problem, what was
// found and, for a problem, what to do.
type DiagnosisRow struct {
	Check         string // keychain, settings, journal, logs, certificates
	OK            bool
	title         *widget.Label
	message, hint *widget.RichText // a `command` in them is set in a fixed-width font
}

// ShowDiagnostics opens Help > Diagnostics and runs the checks.
func (u *UI) ShowDiagnostics() {
	d := &DiagnosticsDialog{ui: u, activity: widget.NewActivity(), checks: container.NewVBox()}
	d.summary = wrapped("", widget.MediumImportance)
	intro := commandText("What Storelink needs from this computer: the same checks as `storelink doctor` on the command line. " +
		"The keychain check stores, reads back and deletes a test item; items left behind by interrupted saves are removed.")
	scroll := container.NewVScroll(container.NewVBox(intro, container.NewBorder(nil, nil, d.activity, nil, d.summary), d.checks))
	scroll.SetMinSize(fyne.NewSize(560, 340))
	d.dialog = dialog.NewCustomWithoutButtons("Diagnostics", scroll, u.Window)
	closeButton := newDialogButton("Close", d.Close, d.Close)
	again := newDialogButton("Run again", d.Run, d.Close)
	logs := newDialogButton("Open the log folder", d.OpenLogFolder, d.Close)
	logs.Icon = theme.FolderOpenIcon()
	if u.eng.Paths().Logs == "" {
		logs.Disable() // logging to a file is off
	}
	d.closeButton, d.againButton, d.logsButton = &closeButton.Button, &again.Button, &logs.Button
	d.dialog.SetButtons([]fyne.CanvasObject{logs, again, closeButton})
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
		r := &DiagnosisRow{Check: f.Check, OK: f.OK, message: commandText(d.ui.eng.Redact(f.Message))}
		var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		word := "OK"
		if !f.OK {
			problems++
			word, icon = "Problem", theme.NewErrorThemedResource(theme.ErrorIcon())
		}
		r.title = widget.NewLabelWithStyle(checkTitle(f.Check)+": "+word, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		text := container.NewVBox(r.title, r.message)
		if f.Hint != "" {
			r.hint = commandText("What to do: " + d.ui.eng.Redact(f.Hint))
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

// OpenLogFolder opens the folder of the log file in the file manager.
func (d *DiagnosticsDialog) OpenLogFolder() {
	folder := storage.NewFileURI(filepath.Dir(d.ui.eng.Paths().Logs))
	u, err := url.Parse(folder.String())
	if err == nil {
		err = d.ui.openURL(u)
	}
	if err != nil {
		d.ui.showError("Open the log folder", fmt.Errorf("the log folder %s could not be opened (%w); open it in your file manager", folder.Path(), err))
	}
}

// commandText is text in wrapped lines with each `command` in a fixed-width
// font, without the backticks the command line's texts mark them with.
func commandText(text string) *widget.RichText {
	var segs []widget.RichTextSegment
	for i, part := range strings.Split(text, "`") {
		if part == "" {
			continue
		}
		style := widget.RichTextStyleInline
		if i%2 == 1 {
			style = widget.RichTextStyleCodeInline
		}
		segs = append(segs, &widget.TextSegment{Text: part, Style: style})
	}
	t := widget.NewRichText(segs...)
	t.Wrapping = fyne.TextWrapWord
	return t
}

// richString is what t reads as, without its styles.
func richString(t *widget.RichText) string {
	if t == nil {
		return ""
	}
	return t.String()
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
