package app

// agent_pane.go: the Add / Edit agent pane, in the connection pane's style:
// the agent's fields (required, then Advanced), Save / Save & close / Test
// agent / Cancel, the work in the background with progress and Cancel
// test, the result in words. An unknown host key is shown for the user to
// check and trust; nothing is saved before that.

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

	"storelink/agents"
	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
	"storelink/forms"
	"storelink/vault"
)

// AgentPane is one Add / Edit agent window.
type AgentPane struct {
	ui     *UI
	Window fyne.Window
	Form   *forms.Form
	// Editing is the saved agent's name in edit mode, "" for a new one.
	Editing string

	Title *widget.Label
	paneFooter
	actions footerActions // what the footer's buttons and the pane's keys do
	Result  *ResultPanel
	// HostKeyQuestion is "Trust this host key?", once asked; Discard asks
	// before Cancel drops typed changes.
	HostKeyQuestion, Discard *question

	run    *verification
	closed bool
	scroll *container.Scroll
	last   purpose
}

// AddAgent opens an empty agent pane (+ Add agent).
func (u *UI) AddAgent() { u.openAgentPane("", nil) }

// EditAgent opens the pane for a saved agent; its secrets come back empty
// and must be entered again to save, as a connection's do.
func (u *UI) EditAgent(name string) {
	a, err := u.eng.GetAgent(name)
	if err != nil {
		u.showError("Open agent "+name, err)
		return
	}
	for _, p := range u.AgentPanes {
		if strings.EqualFold(p.Editing, a.Name) {
			p.Window.RequestFocus()
			return
		}
	}
	u.openAgentPane(a.Name, a.Values)
}

func (u *UI) openAgentPane(editing string, values connectors.Values) *AgentPane {
	p := &AgentPane{ui: u}
	p.actions = footerActions{testLabel: "Test agent", save: p.Save, test: p.Test, cancelTest: p.CancelTest, cancel: p.Cancel}
	p.Window = u.App.NewWindow("Add agent")
	p.Window.SetIcon(assets.AppIcon())
	p.Form = forms.New(engine.AgentInfo(), forms.Env{
		Window: p.Window, Choices: u.choices(editing),
		Shortcut: p.actions.shortcut, Escape: p.Cancel, Clipboard: u.clipboard,
	})
	p.Form.OnChanged = p.changed
	p.build()
	if values != nil {
		p.Form.SetValues(values)
		for _, f := range p.Form.Info.Fields {
			if f.IsSecret() {
				p.Form.SetNote(f.Key, "The saved value is kept in the OS keychain and never shown. Enter it again to save changes.")
				p.Form.Input(f.Key).SetPlaceHolder("stored in the keychain")
			}
		}
		p.setEditing(editing)
	}
	u.AgentPanes = append(u.AgentPanes, p)
	p.Window.Resize(fyne.NewSize(640, 560))
	p.Window.Show()
	if fo := p.Form.Input(agents.FieldName).Focusable(); fo != nil {
		p.Window.Canvas().Focus(fo)
	}
	u.log.WithField("editing", editing).Info("agent pane opened")
	return p
}

func (p *AgentPane) build() {
	p.Title = widget.NewLabelWithStyle("Add agent", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Title.SizeName = theme.SizeNameSubHeadingText
	p.Title.Truncation = fyne.TextTruncateEllipsis
	intro := wrapped("An SSH server next to stores behind a firewall. Storelink signs in to it and reaches the stores through it; "+
		"the user needs no shell, only TCP forwarding.", widget.MediumImportance)
	intro.SizeName = theme.SizeNameCaptionText

	p.Result = newResultPanelOffering("agent", p.offer)
	p.scroll = container.NewVScroll(readable(container.NewVBox(intro, p.Form.Content, p.Result.Box)))
	p.scroll.SetMinSize(fyne.NewSize(0, paneMinScrollHeight))

	p.paneFooter = newPaneFooter(p.actions)
	p.Window.SetContent(container.NewBorder(readable(p.Title), readable(p.paneFooter.box), nil, nil, p.scroll))
	p.actions.bind(p.Window)
}

func (p *AgentPane) setEditing(name string) {
	p.Editing = name
	p.Title.SetText("Edit agent " + name)
	p.Window.SetTitle("Edit agent - " + name)
}

func (p *AgentPane) changed() {
	if p.Status.Visible() && !p.busy() {
		p.Status.Hide()
	}
}

func (p *AgentPane) busy() bool { return p.run != nil }

func (p *AgentPane) setBusy(step string) {
	p.working(step, true)
	p.Result.disableActions()
}

func (p *AgentPane) setIdle() {
	p.run = nil
	p.ready()
}

// Save tests the agent and saves it if the test passes; close closes the
// pane after (Save & close).
func (p *AgentPane) Save(close bool) { p.start(purpose{save: true, close: close}, "") }

// Test tests the agent without saving (Test agent).
func (p *AgentPane) Test() { p.start(purpose{}, "") }

// SaveWithoutVerifying saves the form as it is, marked unverified.
func (p *AgentPane) SaveWithoutVerifying() {
	p.begin(purpose{save: true, close: p.last.close}, engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{
		NoVerify: true, Reason: "saved without a passing test"}})
}

// start tests (and for a save, saves) the form; accept is a host key the
// user has just trusted.
func (p *AgentPane) start(why purpose, accept string) {
	p.begin(why, engine.AgentSaveOptions{AcceptHostKey: accept})
}

func (p *AgentPane) begin(why purpose, opts engine.AgentSaveOptions) {
	if p.busy() || p.closed {
		return
	}
	p.Form.Normalize()
	if errs := p.Form.Validate(); len(errs) > 0 {
		p.Form.FocusFirstError(p.Window.Canvas())
		p.say("Fix this first: "+errs[0].Error(), widget.DangerImportance)
		return
	}
	p.last = why
	p.Result.clear()
	draft := engine.Draft{Values: p.Form.Values()}
	opts.Editing = p.Editing
	step := "Starting the test..."
	if opts.NoVerify {
		step = "Saving (secrets go to the OS keychain)..."
	}
	p.setBusy(step)
	eng := p.ui.eng
	p.run = start(p.ui, job[agentOutcome]{
		work: func(ctx context.Context, step func(string)) agentOutcome {
			opts.Test.Progress = step
			if why.save {
				out, err := eng.SaveAgent(ctx, draft, opts)
				return agentOutcome{out, err}
			}
			c, err := eng.CheckAgent(draft, opts.Editing)
			if err != nil {
				return agentOutcome{err: err}
			}
			return agentOutcome{AgentOutcome: eng.TestAgent(ctx, c, opts.Test)}
		},
		progress: func(s string) { p.Step.SetText(s) },
		tick:     func(d time.Duration) { p.Elapsed.SetText(fmt.Sprintf("%.1f s", d.Seconds())) },
		finish:   func(out agentOutcome, abandoned bool) { p.finished(why, out, abandoned) },
	})
}

// agentOutcome is what an agent's test or save in the background came to.
type agentOutcome struct {
	engine.AgentOutcome
	err error
}

// finished runs on the UI goroutine with the outcome of a test or save.
func (p *AgentPane) finished(why purpose, out agentOutcome, abandoned bool) {
	if out.Saved {
		if p.ui.Agents != nil { // nil until the agents screen was first shown
			p.ui.Agents.Reload()
		}
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
	r := out.Result
	if r != nil {
		p.Result.show(*r, why.save)
	}
	switch {
	case out.Saved:
		p.setEditing(out.Agent.Name)
		p.Form.SetValues(connectors.Values{agents.FieldHostKey: out.Agent.Values.String(agents.FieldHostKey)}) // pinned from known_hosts, say
		p.Result.savedAnyway()
		switch {
		case out.Agent.Last != nil && out.Agent.Last.Unverified:
			p.say(fmt.Sprintf("Saved %q, but not verified: it is listed as unverified until a test passes.", out.Agent.Name), widget.WarningImportance)
		case out.KnownHosts:
			p.say(fmt.Sprintf("Saved %q after a passing test. Its host key was found in your known_hosts file and is now pinned.", out.Agent.Name), widget.SuccessImportance)
		default:
			p.say(fmt.Sprintf("Saved %q after a passing test at %s.", out.Agent.Name, time.Now().Format("15:04")), widget.SuccessImportance)
		}
		if why.close {
			p.close()
			return
		}
	case r == nil:
	case r.Code == connectors.CodeHostKeyUnknown && out.HostKey != "":
		p.say("Not verified yet: the server's host key is new. Check it and trust it, or Cancel.", widget.WarningImportance)
		p.askHostKey(why, out)
	case !why.save && r.OK && out.KnownHosts:
		p.say("The test passed; the host key was found in your known_hosts file and is pinned when you save. Nothing was saved yet.", widget.SuccessImportance)
	case !why.save && r.OK:
		p.say("The test passed. Nothing was saved yet: use Save to keep the agent.", widget.SuccessImportance)
	case !why.save:
		p.say("The test failed: "+r.Message, widget.DangerImportance)
	case r.Code == connectors.CodeCanceled:
		p.say("The test was cancelled; nothing was saved.", widget.WarningImportance)
	default:
		p.say("Not saved: the test failed. Fix the problem and Save again, or choose \"Save without verifying\" in the result above.", widget.DangerImportance)
	}
	if p.Result.Box.Visible() {
		p.settle()
		if top, ok := positionIn(p.scroll.Content, p.Result.Box); ok {
			p.scroll.ScrollToOffset(fyne.NewPos(0, fyne.Max(0, fyne.Min(top.Y, p.scroll.Content.MinSize().Height-p.scroll.Size().Height))))
		}
	}
}

func (p *AgentPane) settle() {
	for range 2 {
		p.scroll.Refresh()
	}
}

// askHostKey shows the host key the agent's server showed for the first
// time. Trusting it pins it in the Host key field and runs the same test or
// save again; a jump agent's unknown key is that agent's to trust.
func (p *AgentPane) askHostKey(why purpose, out agentOutcome) {
	name := out.Checked.Name
	if !strings.EqualFold(out.Hop, name) {
		p.say(fmt.Sprintf("The jump agent %q has no pinned host key: test it under Resources > Agents and trust its key first.", out.Hop), widget.DangerImportance)
		return
	}
	cfg := agents.ConfigFromValues(out.Checked.Values)
	fp := out.HostKey
	p.HostKeyQuestion = askHostKey(p.Window, name, cfg.Addr(), fp, func() {
		p.Form.Fill(connectors.Values{agents.FieldHostKey: fp})
		p.Form.SetNote(agents.FieldHostKey, "The key you trusted; a different one will be refused.")
		p.start(why, fp)
	})
}

// offer lists what a failed result offers: Save without verifying after a
// Save (an unknown host key is asked about instead).
func (p *AgentPane) offer(r connectors.Result, onSave bool) []fyne.CanvasObject {
	if !onSave || r.OK || r.Code == connectors.CodeCanceled || r.Code == connectors.CodeHostKeyUnknown {
		return nil
	}
	b := widget.NewButton("Save without verifying", p.SaveWithoutVerifying)
	b.Importance = widget.WarningImportance
	p.Result.SaveAnywayButton = b
	return []fyne.CanvasObject{b}
}

// showProblem puts an engine's refusal at its fields, or says it.
func (p *AgentPane) showProblem(err error) {
	var ie *engine.InputError
	var ne *vault.NameError
	switch {
	case errors.As(err, &ie):
		for _, f := range ie.Fields {
			p.Form.ShowError(f.Key, f.Message)
		}
		p.Form.FocusFirstError(p.Window.Canvas())
		p.say("Not saved: "+ie.Error(), widget.DangerImportance)
	case errors.As(err, &ne):
		p.Form.ShowError(agents.FieldName, strings.TrimPrefix(ne.Error(), "Name: "))
		p.say("Not saved: "+ne.Error(), widget.DangerImportance)
	default:
		p.ui.log.WithError(err).Warn("agent not saved")
		p.say("Not saved: "+p.ui.eng.Redact(err.Error()), widget.DangerImportance)
	}
}

// CancelTest stops the test under way at once.
func (p *AgentPane) CancelTest() {
	if p.run == nil {
		return
	}
	p.run.abandon()
	p.setIdle()
	p.say("Test cancelled; nothing was saved.", widget.WarningImportance)
}

// Cancel closes the pane without saving, asking first if anything was typed.
func (p *AgentPane) Cancel() {
	if p.closed || overlayShown(p.Window.Canvas()) {
		return
	}
	if !p.Form.Dirty() {
		p.close()
		return
	}
	p.Discard = ask(p.Window, questionSpec{
		title: "Discard changes?", content: wrapped("Discard what you typed? Nothing of it has been saved.", widget.MediumImportance),
		safe: "Keep editing", do: "Discard", onDo: p.close, danger: true,
		size: fyne.NewSize(400, 160),
	})
}

func (p *AgentPane) close() {
	if p.closed {
		return
	}
	p.closed = true
	if p.run != nil {
		p.run.abandon()
	}
	p.ui.AgentPanes = slices.DeleteFunc(p.ui.AgentPanes, func(q *AgentPane) bool { return q == p })
	p.Window.Close()
}

// overlayShown reports whether a dialog is open on c (Esc is its, not the pane's).
func overlayShown(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	return top != nil && top.Visible()
}
