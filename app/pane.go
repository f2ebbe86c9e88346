package app

// pane.go: the Create / Edit pane of any kind of saved thing (a connection,
// an agent), over the kind's descriptor (see descriptor.go). Save verifies
// then saves and stays open in edit mode; Save & close closes after; Test
// only verifies; Cancel asks first when something was typed. Nothing is
// saved without a passing test unless the user picks "Save without
// verifying".

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// Pane is one Create / Edit window of a connection or an agent.
type Pane struct {
	ui     *UI
	desc   *descriptor
	Window fyne.Window
	Info   connectors.Info
	Form   *forms.Form
	// Editing is the saved name in edit mode, "" for a new one.
	Editing string

	title *widget.Label
	paneFooter
	actions      footerActions  // what the footer's buttons and the pane's keys do
	importButton *widget.Button // nil without an Importer
	Result       *ResultPanel
	Importer     *ImportDialog
	// discard asks before Cancel drops typed changes; certificateQuestion
	// is "Trust this certificate?" and hostKeyQuestion "Trust this host
	// key?", once asked.
	discard, certificateQuestion, hostKeyQuestion *question
	// checkConcurrencyButton probes the saved connection at the Concurrency
	// level typed (shown once the connection is saved); concurrency says how
	// it went. Both sit under that field, in the Advanced section.
	checkConcurrencyButton *widget.Button
	concurrency            *widget.Label

	run    *verification // the test under way, if any
	saving bool          // a keychain write is under way
	closed bool
	scroll *container.Scroll
	// last is what the last test was for, so "Send anyway" repeats it.
	last purpose
	// failed is the last test's failure, kept on a "Save without verifying".
	failed *connectors.Result
	// newAddressQuestion asks whether the saved secrets may go to the
	// store's new address; nil until asked.
	newAddressQuestion *question
	// concurrencyCheck holds Check concurrency, shown once the connection is saved.
	concurrencyCheck *fyne.Container
}

// purpose says what a verification is for.
type purpose struct {
	save, close bool
}

// opening is what a pane opens on: a new one, or a saved one (named saved,
// with its settings values) to edit or clone.
type opening struct {
	info   connectors.Info
	kind   paneKind
	saved  string
	values connectors.Values
	// secrets are the saved one's fields held in the keychain.
	secrets []string
}

// keptSecretHint is what an edit's secret field says while it keeps the saved value.
const keptSecretHint = "Saved in the keychain; leave empty to keep it, or type a new one"

// openPane opens the pane of the kind d on o.
func (u *UI) openPane(d *descriptor, o opening) *Pane {
	p := &Pane{ui: u, desc: d, Info: o.info}
	p.actions = footerActions{testLabel: "Test " + d.noun, save: p.Save, test: p.Test, cancelTest: p.CancelTest, cancel: p.Cancel}
	p.Window = u.App.NewWindow(d.title(o.info))
	p.Window.SetIcon(assets.AppIcon())
	exclude := ""
	if o.kind == paneEdit {
		exclude = o.saved
	}
	p.Form = forms.New(o.info, forms.Env{
		Window: p.Window, Choices: u.paneChoices(o.info.ID, exclude),
		Shortcut: p.actions.shortcut, Escape: p.Cancel, Clipboard: u.clipboard,
	})
	p.Form.OnChanged = p.changed
	p.build()
	if o.values != nil {
		p.fill(o)
	}
	u.Panes = append(u.Panes, p)
	p.Window.Resize(d.size)
	p.Window.Show()
	if fo := p.Form.Input(connectors.FieldName).Focusable(); fo != nil {
		p.Window.Canvas().Focus(fo)
	}
	u.log.WithField("app", o.info.ID).WithField("editing", p.Editing).Info(d.noun + " pane opened")
	return p
}

// fill shows a saved one's settings; its secrets are never shown.
func (p *Pane) fill(o opening) {
	p.Form.SetValues(o.values)
	for _, f := range o.info.Fields {
		if !f.IsSecret() {
			continue
		}
		if o.kind == paneEdit {
			if slices.Contains(o.secrets, f.Key) {
				p.Form.KeepSaved(f.Key, keptSecretHint) // never shown; Test and Save use it
			}
		} else {
			p.Form.SetNote(f.Key, "Secrets are not copied: enter this value for the new "+p.desc.noun+".")
		}
	}
	if o.kind == paneEdit {
		p.setEditing(o.saved)
	} else {
		p.Form.MarkClean()
	}
}

// findPane is the open pane of the kind d editing name, or nil.
func (u *UI) findPane(d *descriptor, name string) *Pane {
	for _, p := range u.Panes {
		if p.desc == d && strings.EqualFold(p.Editing, name) {
			return p
		}
	}
	return nil
}

func (p *Pane) build() {
	p.title = widget.NewLabelWithStyle(p.desc.create, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.SizeName = theme.SizeNameSubHeadingText
	p.title.Truncation = fyne.TextTruncateEllipsis
	header := container.NewBorder(nil, nil, nil, nil, p.title)
	if imp := p.Info.Importer; imp != nil {
		p.importButton = widget.NewButtonWithIcon(strings.TrimSpace(imp.Label), theme.UploadIcon(), p.OpenImporter)
		header = container.NewBorder(nil, nil, nil, p.importButton, p.title)
	}
	p.Result = newResultPanel(p)
	body := container.NewVBox(p.Form.Content, p.Result.box)
	if p.desc.decorate != nil {
		if intro := p.desc.decorate(p); intro != nil {
			body.Objects = append([]fyne.CanvasObject{intro}, body.Objects...)
		}
	}
	p.Form.OnFocus = func(r *forms.Row) { p.reveal(r.Box) }
	p.scroll = container.NewVScroll(readable(body))
	p.Form.OnScrolled = p.scroll.Scrolled // the wheel over a text field scrolls the pane
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
	p.title.SetText("Edit " + p.desc.noun + " " + name)
	p.Window.SetTitle("Edit " + p.desc.noun + " - " + name)
}

func (p *Pane) changed() {
	p.flagTakenName()
	if p.status.Visible() && !p.busy() {
		p.status.Hide() // "Saved" no longer describes what is on screen
	}
}

func (p *Pane) busy() bool { return p.run != nil || p.saving }

// setBusy disables what would start another test or save and shows the activity.
func (p *Pane) setBusy(step string, cancellable bool) {
	p.working(step, cancellable, p.checkConcurrencyButton, p.importButton)
	p.Result.disableActions()
}

func (p *Pane) setIdle() {
	p.run, p.saving = nil, false
	p.ready(p.checkConcurrencyButton, p.importButton)
}

// values validates the form and returns what to test and save, or false
// with every problem shown at its field.
func (p *Pane) values() (connectors.Values, bool) {
	p.Form.Normalize()
	errs := p.Form.Validate()
	named := slices.ContainsFunc(errs, func(e connectors.FieldError) bool { return e.Key == connectors.FieldName })
	if !named && p.flagTakenName() {
		errs = append([]connectors.FieldError{{Key: connectors.FieldName, Label: "Name", Message: p.takenName()}}, errs...)
	}
	if len(errs) > 0 {
		p.focusFirstError()
		if len(errs) == 1 {
			p.say("Fix this first: "+errs[0].Error(), widget.DangerImportance)
		} else {
			labels := make([]string, len(errs))
			for i, e := range errs {
				labels[i] = e.Label
			}
			p.say(fmt.Sprintf("Fix the %d fields marked in red first: %s.", len(errs), strings.Join(labels, ", ")), widget.DangerImportance)
		}
		return nil, false
	}
	return p.Form.Values(), true
}

// Save verifies and saves if the test passes; close closes the pane after
// saving (Save & close).
func (p *Pane) Save(close bool) { p.start(purpose{save: true, close: close}, false) }

// Test verifies without saving (Test connection, Test agent).
func (p *Pane) Test() { p.start(purpose{}, false) }

func (p *Pane) start(why purpose, force bool) {
	p.begin(why, engine.SaveOptions{Test: engine.TestOptions{Force: force}}, "Starting the test...")
}

// SaveWithoutVerifying saves the form as it is, marked unverified; the user
// chose it after seeing a failed test.
func (p *Pane) SaveWithoutVerifying() {
	p.begin(purpose{save: true, close: p.last.close}, engine.SaveOptions{NoVerify: true, Reason: "saved without a passing test", Failed: p.failed},
		"Saving (secrets go to the OS keychain)...")
}

// begin tests (and, for a save, saves) the form through the engine, off
// the UI goroutine: the store, the network and the keychain may be slow.
func (p *Pane) begin(why purpose, opts engine.SaveOptions, step string) {
	if p.busy() || p.closed {
		return
	}
	values, ok := p.values()
	if !ok {
		return
	}
	if !opts.NoVerify {
		p.last, p.failed = why, nil
		p.Result.clear()
	}
	p.setBusy(step, !opts.NoVerify)
	p.saving = opts.NoVerify
	opts.Editing = p.Editing
	r := request{draft: engine.Draft{Values: values}, opts: opts, save: why.save}
	if p.desc.apps {
		r.draft.App = p.Info.ID // a kind of one form has no application to name
	}
	res := p.ui.eng.Of(p.desc.id)
	v := start(p.ui, job[outcome]{
		work: func(ctx context.Context, step func(string)) outcome {
			r.opts.Test.Progress = step
			return work(ctx, res, r)
		},
		progress: func(step string) { p.step.SetText(step) },
		tick:     p.showElapsed,
		finish:   func(out outcome, abandoned bool) { p.finished(why, opts, out, abandoned) },
	})
	if !opts.NoVerify {
		p.run = v
	}
}

func (p *Pane) showElapsed(d time.Duration) { p.elapsed.SetText(fmt.Sprintf("%.1f s", d.Seconds())) }

// finished runs on the UI goroutine with the outcome of a test or save.
func (p *Pane) finished(why purpose, opts engine.SaveOptions, out outcome, abandoned bool) {
	if abandoned && !out.saved {
		return // Cancel test already said nothing was saved
	}
	p.setIdle()
	if p.closed {
		return
	}
	var moved *engine.AddressChangeError
	if errors.As(out.err, &moved) {
		p.askNewAddress(why, opts, moved)
		return
	}
	if out.err != nil {
		p.showProblem(out.err)
		return
	}
	r := out.result
	if r != nil {
		p.Result.show(*r, why.save)
		if !r.OK {
			failed := *r
			p.failed = &failed
		}
	}
	warned := "" // " with 1 warning": a pass with warnings is no plain pass
	if r != nil && r.OK && len(r.Warnings) > 0 {
		warned = " with " + warningCount(len(r.Warnings))
	}
	noun := p.desc.noun
	switch {
	case out.saved:
		p.setEditing(out.name)
		p.keepSaved(out.secrets)
		if p.desc.saved != nil {
			p.desc.saved(p, out)
		}
		p.Form.MarkClean()
		p.Result.savedAnyway()
		p.say(savedWords(out, abandoned, warned, p.desc.words(out, true)))
		if why.close {
			p.close()
			return
		}
	case r == nil:
	case p.desc.answer != nil && p.desc.answer(p, why, out):
	case !why.save && r.OK && warned != "":
		p.say("Passed"+warned+": read the result above. Nothing was saved yet: use Save to keep the "+noun+".", widget.WarningImportance)
	case !why.save && r.OK:
		text := p.desc.words(out, false)
		if text == "" {
			text = "The test passed. Nothing was saved yet: use Save to keep the " + noun + "."
		}
		p.say(text, widget.SuccessImportance)
	case !why.save:
		p.say(failedWords(p.Result.Headline()), widget.DangerImportance)
	case r.Code == connectors.CodeCanceled:
		p.say("The test was cancelled; nothing was saved.", widget.WarningImportance)
	default:
		p.say("Not saved: the test failed. Fix the problem and Save again, or choose \"Save without verifying\" in the result above.", widget.DangerImportance)
	}
	if p.Result.box.Visible() {
		p.revealTop(p.Result.box) // the headline and any warnings first
	}
}

// savedWords is the status after a save: when, after what test; own are
// the kind's words for a plain pass ("" for the common ones).
func savedWords(out outcome, abandoned bool, warned, own string) (string, widget.Importance) {
	at := time.Now().Format("15:04")
	switch {
	case abandoned:
		return fmt.Sprintf("Saved %q: the save had already begun when the test was cancelled.", out.name), widget.WarningImportance
	case out.unverified:
		return fmt.Sprintf("Saved %q at %s, but not verified: it is listed as unverified until a test passes.", out.name, at), widget.WarningImportance
	case warned != "":
		return fmt.Sprintf("Saved %q at %s after a test that passed%s: read the result above.", out.name, at, warned), widget.WarningImportance
	case own != "":
		return own, widget.SuccessImportance
	default:
		return fmt.Sprintf("Saved %q after a passing test at %s.", out.name, at), widget.SuccessImportance
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
		p.ui.log.WithError(err).WithField("app", p.Info.ID).Warn(p.desc.noun + " not saved")
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
	if p.discard != nil && p.overlayShown() {
		return
	}
	if !p.Form.Dirty() {
		p.close()
		return
	}
	p.discard = ask(p.Window, questionSpec{
		title: "Discard changes?", content: wrapped("Discard what you typed? Nothing of it has been saved.", widget.MediumImportance),
		safe: "Keep editing", do: "Discard", onDo: p.close, danger: true,
		size: fyne.NewSize(400, 160),
	})
}

// overlayShown reports whether a dialog is open on the pane (Esc is its).
func (p *Pane) overlayShown() bool {
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

// unsaved names what the pane holds for Quit's question, "" when nothing
// typed is unsaved.
func (p *Pane) unsaved() string {
	if !p.Form.Dirty() {
		return ""
	}
	return p.desc.unsavedName(p.Info, p.Form.Input(connectors.FieldName).Value())
}
