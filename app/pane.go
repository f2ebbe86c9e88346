package app

// pane.go: the Create / Edit connection pane. Save verifies then saves and
// stays open in edit mode; Save & close closes after; Test connection only
// verifies; Cancel asks first when something was typed. Nothing is saved
// without a passing test unless the user picks "Save without verifying".

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
	"storelink/forms"
	"storelink/vault"
)

type paneKind int

const (
	paneNew paneKind = iota
	paneEdit
	paneClone
)

// Pane is one Create / Edit connection window.
type Pane struct {
	ui     *UI
	Window fyne.Window
	Info   connectors.Info
	Form   *forms.Form
	// Editing is the saved connection's name in edit mode, "" for a new one.
	Editing string

	Title *widget.Label
	paneFooter
	actions      footerActions  // what the footer's buttons and the pane's keys do
	ImportButton *widget.Button // nil without an Importer
	Result       *ResultPanel
	Importer     *ImportDialog
	// The discard confirmation (Cancel with something typed), for tests.
	DiscardDialog             *dialog.CustomDialog
	DiscardButton, KeepButton *widget.Button
	// CertificateQuestion is "Trust this certificate?", once asked.
	CertificateQuestion *question
	// CheckConcurrencyButton probes the saved connection at the Concurrency
	// level typed (shown once the connection is saved); Concurrency says how
	// it went. Both sit under that field, in the Advanced section.
	CheckConcurrencyButton *widget.Button
	Concurrency            *widget.Label

	run    *verification // the test under way, if any
	saving bool          // a keychain write is under way
	closed bool
	scroll *container.Scroll
	// last is what the last test was for, so "Send anyway" repeats it.
	last purpose
	// concurrencyCheck holds Check concurrency, shown once the connection is saved.
	concurrencyCheck *fyne.Container
}

// purpose says what a verification is for.
type purpose struct {
	save, close bool
}

// EditConnection opens the pane for a saved connection; its secrets come
// back empty and must be entered again to save.
func (u *UI) EditConnection(name string) { u.openSaved(name, paneEdit) }

// CloneConnection opens a new pane filled from a saved connection, secrets aside.
func (u *UI) CloneConnection(name string) { u.openSaved(name, paneClone) }

func (u *UI) openSaved(name string, kind paneKind) {
	c, err := u.eng.Get(name)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	info, err := u.eng.Lookup(c.App)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	if kind == paneEdit {
		for _, p := range u.Panes {
			if strings.EqualFold(p.Editing, c.Name) {
				p.Window.RequestFocus()
				return
			}
		}
	}
	values := c.Values
	if kind == paneClone {
		d, err := u.eng.Clone(name)
		if err != nil {
			u.showError("Clone "+name, err)
			return
		}
		values = d.Values
	}
	u.openPane(info, kind, c.Name, values)
}

// openPane opens the pane for info; saved names the connection edited or
// cloned, whose settings values are.
func (u *UI) openPane(info connectors.Info, kind paneKind, saved string, values connectors.Values) *Pane {
	p := &Pane{ui: u, Info: info}
	p.actions = footerActions{testLabel: "Test connection", save: p.Save, test: p.Test, cancelTest: p.CancelTest, cancel: p.Cancel}
	p.Window = u.App.NewWindow("Create connection - " + info.Title)
	p.Window.SetIcon(assets.AppIcon())
	exclude := ""
	if kind == paneEdit {
		exclude = saved
	}
	p.Form = forms.New(info, forms.Env{
		Window: p.Window, Choices: u.choices(exclude),
		Shortcut: p.actions.shortcut, Escape: p.Cancel, Clipboard: u.clipboard,
	})
	p.Form.OnChanged = p.changed
	p.build()
	if values != nil {
		p.Form.SetValues(values)
		for _, f := range info.Fields {
			if !f.IsSecret() {
				continue
			}
			if kind == paneEdit {
				p.Form.SetNote(f.Key, "The saved value is kept in the OS keychain and never shown. Enter it again to save changes.")
				p.Form.Input(f.Key).SetPlaceHolder("stored in the keychain")
			} else {
				p.Form.SetNote(f.Key, "Secrets are not copied: enter this value for the new connection.")
			}
		}
		if kind == paneEdit {
			p.setEditing(saved)
		} else {
			p.Form.MarkClean()
		}
	}
	u.Panes = append(u.Panes, p)
	p.Window.Resize(fyne.NewSize(720, 580))
	p.Window.Show()
	if fo := p.Form.Input(connectors.FieldName).Focusable(); fo != nil {
		p.Window.Canvas().Focus(fo)
	}
	u.log.WithField("app", info.ID).WithField("editing", p.Editing).Info("connection pane opened")
	return p
}

func (p *Pane) build() {
	p.Title = widget.NewLabelWithStyle("Create connection", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Title.SizeName = theme.SizeNameSubHeadingText
	p.Title.Truncation = fyne.TextTruncateEllipsis
	header := container.NewBorder(nil, nil, nil, nil, p.Title)
	if imp := p.Info.Importer; imp != nil {
		p.ImportButton = widget.NewButtonWithIcon(strings.TrimSpace(imp.Label), theme.UploadIcon(), p.OpenImporter)
		header = container.NewBorder(nil, nil, nil, p.ImportButton, p.Title)
	}

	appHint := widget.NewLabel("The platform of the store. It cannot be changed here; create another connection for another platform.")
	appHint.Wrapping = fyne.TextWrapWord
	appHint.SizeName = theme.SizeNameCaptionText
	appName := widget.NewLabel(p.Info.Title)
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(24, 24), widget.NewIcon(assets.Icon(p.Info.Icon))))
	application := container.NewVBox(
		widget.NewLabelWithStyle("Application", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(icon, appName), appHint)
	p.Form.InsertAfter(connectors.FieldName, application)

	p.Result = newResultPanel(p)
	p.buildConcurrencyCheck()
	p.Form.OnFocus = func(r *forms.Row) { p.reveal(r.Box) }
	p.scroll = container.NewVScroll(readable(container.NewVBox(p.Form.Content, p.Result.Box)))
	// At the smallest window a few fields still show; the rest scrolls.
	p.scroll.SetMinSize(fyne.NewSize(0, paneMinScrollHeight))

	p.paneFooter = newPaneFooter(p.actions)
	p.Window.SetContent(container.NewBorder(readable(header), readable(p.paneFooter.box), nil, nil, p.scroll))
	p.actions.bind(p.Window)
}

func (p *Pane) setEditing(name string) {
	p.Editing = name
	if p.concurrencyCheck != nil {
		p.concurrencyCheck.Show()
	}
	p.Title.SetText("Edit connection " + name)
	p.Window.SetTitle("Edit connection - " + name)
}

func (p *Pane) changed() {
	if p.Status.Visible() && !p.busy() {
		p.Status.Hide() // "Saved" no longer describes what is on screen
	}
}

func (p *Pane) busy() bool { return p.run != nil || p.saving }

// setBusy disables what would start another test or save and shows the activity.
func (p *Pane) setBusy(step string, cancellable bool) {
	p.working(step, cancellable, p.CheckConcurrencyButton, p.ImportButton)
	p.Result.disableActions()
}

func (p *Pane) setIdle() {
	p.run, p.saving = nil, false
	p.ready(p.CheckConcurrencyButton, p.ImportButton)
}

// values validates the form and returns what to test and save, or false
// with every problem shown at its field.
func (p *Pane) values() (connectors.Values, bool) {
	p.Form.Normalize()
	if errs := p.Form.Validate(); len(errs) > 0 {
		p.focusFirstError()
		if len(errs) == 1 {
			p.say("Fix this first: "+errs[0].Error(), widget.DangerImportance)
		} else {
			p.say(fmt.Sprintf("Fix the %d fields marked in red first (%s, ...).", len(errs), errs[0].Label), widget.DangerImportance)
		}
		return nil, false
	}
	return p.Form.Values(), true
}

// Save verifies the connection and saves it if the test passes; close
// closes the pane after saving (Save & close).
func (p *Pane) Save(close bool) { p.start(purpose{save: true, close: close}, false) }

// Test verifies without saving (Test connection).
func (p *Pane) Test() { p.start(purpose{}, false) }

func (p *Pane) start(why purpose, force bool) {
	if p.busy() || p.closed {
		return
	}
	values, ok := p.values()
	if !ok {
		return
	}
	p.last = why
	p.Result.clear()
	p.setBusy("Starting the test...", true)
	draft := engine.Draft{App: p.Info.ID, Values: values}
	opts := engine.SaveOptions{Editing: p.Editing, Test: engine.TestOptions{Force: force}}
	p.run = p.background(draft, opts, why)
}

// SaveWithoutVerifying saves the form as it is, marked unverified; the user
// chose it after seeing a failed test.
func (p *Pane) SaveWithoutVerifying() {
	if p.busy() || p.closed {
		return
	}
	values, ok := p.values()
	if !ok {
		return
	}
	why := purpose{save: true, close: p.last.close}
	p.setBusy("Saving (secrets go to the OS keychain)...", false)
	p.saving = true
	draft := engine.Draft{App: p.Info.ID, Values: values}
	opts := engine.SaveOptions{Editing: p.Editing, NoVerify: true, Reason: "saved without a passing test"}
	p.background(draft, opts, why)
}

// outcome is what a test or save in the background came to.
type outcome struct {
	engine.Outcome
	err error
}

// background tests (and, for a save, saves) the draft through the engine,
// off the UI goroutine: the store and the keychain may be slow.
func (p *Pane) background(draft engine.Draft, opts engine.SaveOptions, why purpose) *verification {
	eng := p.ui.eng
	return start(p.ui, job[outcome]{
		work: func(ctx context.Context, step func(string)) outcome {
			opts.Test.Progress = step
			if why.save {
				out, err := eng.Save(ctx, draft, opts)
				return outcome{out, err}
			}
			c, err := eng.Check(draft, opts.Editing)
			if err != nil {
				return outcome{err: err}
			}
			r := eng.Test(ctx, c, opts.Test)
			return outcome{Outcome: engine.Outcome{Checked: c, Result: &r}}
		},
		progress: func(step string) { p.Step.SetText(step) },
		tick:     func(d time.Duration) { p.Elapsed.SetText(fmt.Sprintf("%.1f s", d.Seconds())) },
		finish:   func(out outcome, abandoned bool) { p.finished(why, out, abandoned) },
	})
}

// finished runs on the UI goroutine with the outcome of a test or save.
func (p *Pane) finished(why purpose, out outcome, abandoned bool) {
	if out.Saved {
		p.ui.Connections.Reload()
	}
	if abandoned && !out.Saved {
		return // Cancel test already said nothing was saved
	}
	p.setIdle()
	if p.closed {
		return
	}
	if out.err != nil {
		p.showProblem(out.err)
		return
	}
	if out.Result != nil {
		p.Result.show(*out.Result, why.save)
	}
	r := out.Result
	warned := "" // " with 1 warning": a pass with warnings is no plain pass
	if r != nil && r.OK && len(r.Warnings) > 0 {
		warned = " with " + warningCount(len(r.Warnings))
	}
	switch {
	case out.Saved:
		p.setEditing(out.Connection.Name)
		p.Form.MarkClean()
		p.Result.savedAnyway()
		at := time.Now().Format("15:04")
		switch {
		case abandoned:
			p.say(fmt.Sprintf("Saved %q: the save had already begun when the test was cancelled.", out.Connection.Name), widget.WarningImportance)
		case out.Connection.Last != nil && out.Connection.Last.Unverified:
			p.say(fmt.Sprintf("Saved %q at %s, but not verified: it is listed as unverified until a test passes.", out.Connection.Name, at), widget.WarningImportance)
		case warned != "":
			p.say(fmt.Sprintf("Saved %q at %s after a test that passed%s: read the result above.", out.Connection.Name, at, warned), widget.WarningImportance)
		default:
			p.say(fmt.Sprintf("Saved %q after a passing test at %s.", out.Connection.Name, at), widget.SuccessImportance)
		}
		if why.close {
			p.close()
			return
		}
	case !why.save && r.OK && warned != "":
		p.say("Passed"+warned+": read the result above. Nothing was saved yet: use Save to keep the connection.", widget.WarningImportance)
	case !why.save && r.OK:
		p.say("The test passed. Nothing was saved yet: use Save to keep the connection.", widget.SuccessImportance)
	case !why.save:
		p.say("The test failed: "+r.Message, widget.DangerImportance)
	case r.Code == connectors.CodeCanceled:
		p.say("The test was cancelled; nothing was saved.", widget.WarningImportance)
	default:
		p.say("Not saved: the test failed. Fix the problem and Save again, or choose \"Save without verifying\" in the result above.", widget.DangerImportance)
	}
	if p.Result.Box.Visible() {
		p.revealTop(p.Result.Box) // the headline and any warnings first
	}
}

// showProblem puts an engine's refusal at its fields, or says it.
func (p *Pane) showProblem(err error) {
	var ie *engine.InputError
	var ne *vault.NameError
	switch {
	case errors.As(err, &ie):
		for _, f := range ie.Fields {
			p.Form.ShowError(f.Key, f.Message)
		}
		p.focusFirstError()
		p.say("Not saved: "+ie.Error(), widget.DangerImportance)
	case errors.As(err, &ne):
		p.Form.ShowError(connectors.FieldName, strings.TrimPrefix(ne.Error(), "Name: "))
		p.say("Not saved: "+ne.Error(), widget.DangerImportance)
	default:
		p.ui.log.WithError(err).WithField("app", p.Info.ID).Warn("connection not saved")
		p.say("Not saved: "+p.ui.eng.Redact(err.Error()), widget.DangerImportance)
	}
}

// CancelTest stops the test under way: its context is cancelled and the
// pane is ready again at once, whatever the connector still does.
func (p *Pane) CancelTest() {
	if p.run == nil {
		return
	}
	p.run.abandon()
	p.setIdle()
	p.ui.log.WithField("app", p.Info.ID).Info("test cancelled by the user")
	p.say("Test cancelled; nothing was saved.", widget.WarningImportance)
}

// Cancel closes the pane without saving, asking first if anything was typed.
func (p *Pane) Cancel() {
	if p.closed {
		return
	}
	if p.DiscardDialog != nil && p.discardShown() {
		return
	}
	if !p.Form.Dirty() {
		p.close()
		return
	}
	msg := widget.NewLabel("Discard what you typed? Nothing of it has been saved.")
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	keepEditing := func() { d.Hide() } // also Esc: the pane stays open
	keep := newDialogButton("Keep editing", keepEditing, keepEditing)
	discard := newDialogButton("Discard", func() {
		d.Hide()
		p.close()
	}, keepEditing)
	discard.Importance = widget.DangerImportance
	p.KeepButton, p.DiscardButton = &keep.Button, &discard.Button
	d = dialog.NewCustomWithoutButtons("Discard changes?", msg, p.Window)
	d.SetButtons([]fyne.CanvasObject{keep, discard})
	d.Resize(fyne.NewSize(400, 160))
	p.DiscardDialog = d
	showDialog(p.Window, d, keepEditing)
	p.Window.Canvas().Focus(keep) // Enter, Space and Esc keep editing
}

func (p *Pane) discardShown() bool {
	for _, o := range p.Window.Canvas().Overlays().List() {
		if o != nil && o.Visible() {
			return true
		}
	}
	return false
}

func (p *Pane) close() {
	if p.closed {
		return
	}
	p.closed = true
	if p.run != nil {
		p.run.abandon()
	}
	p.ui.Panes = slices.DeleteFunc(p.ui.Panes, func(q *Pane) bool { return q == p })
	p.Window.Close()
}

// buildConcurrencyCheck puts "Check concurrency" under the Concurrency
// level field; it shows once the connection is saved (the probe tests the
// saved connection).
func (p *Pane) buildConcurrencyCheck() {
	row := p.Form.Row(connectors.FieldConcurrency)
	if row == nil {
		return
	}
	b := p.actionButton("Check concurrency", p.CheckConcurrency) // scrolls into view when Tab reaches it
	b.Icon = theme.MediaFastForwardIcon()
	p.CheckConcurrencyButton = &b.Button
	p.Concurrency = wrapped("", widget.MediumImportance)
	p.Concurrency.Hide()
	what := wrapped("Tests the saved connection once, then this many times at once, and says whether the store keeps up.", widget.MediumImportance)
	what.SizeName = theme.SizeNameCaptionText
	check := container.NewVBox(container.NewBorder(nil, nil, b, nil, what), p.Concurrency)
	check.Hide()
	p.concurrencyCheck = check
	row.Box.Add(check)
}

// CheckConcurrency sends as many tests at once as the Concurrency level
// field says (the saved level when it holds no number) to the saved
// connection's store, and says how many passed, how fast, and whether the
// store pushed back.
func (p *Pane) CheckConcurrency() {
	if p.busy() || p.closed || p.Editing == "" {
		return
	}
	level, err := strconv.Atoi(strings.TrimSpace(p.Form.Input(connectors.FieldConcurrency).Value()))
	if err != nil {
		level = 0
	}
	name, eng := p.Editing, p.ui.eng
	p.Concurrency.Hide()
	what := "the saved level"
	if level > 0 {
		what = fmt.Sprintf("level %d", level)
	}
	p.setBusy(fmt.Sprintf("Checking concurrency at %s: one test first, then that many at once...", what), true)
	type probed struct {
		out engine.ProbeOutcome
		err error
	}
	p.run = start(p.ui, job[probed]{
		work: func(ctx context.Context, _ func(string)) probed {
			out, err := eng.Probe(ctx, name, level)
			return probed{out, err}
		},
		tick: func(d time.Duration) { p.Elapsed.SetText(fmt.Sprintf("%.1f s", d.Seconds())) },
		finish: func(r probed, abandoned bool) {
			if abandoned {
				return // Cancel test already said so
			}
			p.setIdle()
			text, imp := probeWords(r.out, r.err)
			if r.err != nil {
				text = p.ui.eng.Redact(text)
			}
			p.Concurrency.Importance = imp
			p.Concurrency.SetText(text)
			p.Concurrency.Show()
			p.reveal(p.Concurrency)
		},
	})
}

// probeWords puts a concurrency probe into words: how many passed at once,
// the median and 95th-percentile times, throttled answers, and the warning
// when the store cannot sustain the level.
func probeWords(o engine.ProbeOutcome, err error) (string, widget.Importance) {
	switch {
	case err != nil:
		return "Could not check: " + err.Error(), widget.DangerImportance
	case o.Code == connectors.CodeCanceled:
		return "The check was cancelled.", widget.WarningImportance
	case !o.OK && o.Code != connectors.CodeRateLimited:
		return o.Message, widget.DangerImportance // the first test failed: nothing was sent at once
	case !o.OK && o.Sent == 0 && o.Succeeded == 0 && o.Throttled == 0:
		return o.Message, widget.DangerImportance // nothing reached the store: the engine's words say why
	}
	s := fmt.Sprintf("Level %d: %d of %d tests at once passed (median %d ms, 95th percentile %d ms", o.Level, o.Succeeded, o.Level, o.P50MS, o.P95MS)
	switch {
	case o.Throttled == 0 && o.OK:
		s += "); the store never answered 429 or 503 (too busy)."
	case o.Throttled == 0:
		s += "); none of the failures was a 429 or 503 answer (too busy): Test connection shows what went wrong."
	case o.Throttled == 1:
		s += "); 1 answer said 429 or 503 (too busy)."
	default:
		s += fmt.Sprintf("); %d answers said 429 or 503 (too busy).", o.Throttled)
	}
	if o.OK {
		return s + fmt.Sprintf(" The store sustains level %d.", o.Level), widget.SuccessImportance
	}
	return s + fmt.Sprintf(" The store cannot sustain level %d: choose a lower concurrency level.", o.Level), widget.WarningImportance
}
