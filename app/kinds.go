package app

// kinds.go: the two kinds of saved thing the pane edits, as descriptors
// (descriptor.go): a connection (its Application row and Check concurrency,
// Edit and Clone of a saved one) and an agent (its introduction, and the
// host key its server shows for the first time, for the user to check and
// trust: nothing is saved before that; Add and Edit).

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/agents"
	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
)

// connectionKind is the pane's descriptor of a connection.
var connectionKind = &descriptor{
	noun: "connection", create: "Create connection", size: fyne.NewSize(720, 580),
	newTitle: func(info connectors.Info) string { return "Create connection - " + info.Title },
	decorate: func(p *Pane) fyne.CanvasObject {
		p.addApplication()
		p.buildConcurrencyCheck()
		return nil
	},
	work: func(ctx context.Context, eng *engine.Engine, r request) outcome {
		if r.save {
			return connectionOutcome(eng.Save(ctx, r.draft, r.opts))
		}
		c, err := eng.Check(r.draft, r.opts.Editing)
		if err != nil {
			return outcome{err: err}
		}
		res := eng.Test(ctx, c, r.opts.Test)
		return outcome{checked: c, result: &res}
	},
	unsaved: func(info connectors.Info, typed string) string {
		if typed == "" {
			return "a new " + info.Title + " connection"
		}
		return fmt.Sprintf("%q", typed)
	},
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
	if p := u.findPane(connectionKind, c.Name); kind == paneEdit && p != nil {
		p.Window.RequestFocus()
		return
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
	u.openPane(connectionKind, opening{info: info, kind: kind, saved: c.Name, values: values})
}

// addApplication shows the platform under the name: it cannot be changed.
func (p *Pane) addApplication() {
	appHint := widget.NewLabel("The platform of the store. It cannot be changed here; create another connection for another platform.")
	appHint.Wrapping = fyne.TextWrapWord
	appHint.SizeName = theme.SizeNameCaptionText
	appName := widget.NewLabel(p.Info.Title)
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(24, 24), widget.NewIcon(assets.Icon(p.Info.Icon))))
	application := container.NewVBox(
		widget.NewLabelWithStyle("Application", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(icon, appName), appHint)
	p.Form.InsertAfter(connectors.FieldName, application)
}

// agentKind is the pane's descriptor of an agent.
var agentKind = &descriptor{
	noun: "agent", create: "Add agent", size: fyne.NewSize(640, 560),
	newTitle: func(connectors.Info) string { return "Add agent" },
	decorate: func(*Pane) fyne.CanvasObject {
		intro := wrapped("An SSH server next to stores behind a firewall. Storelink signs in to it and reaches the stores through it; "+
			"the user needs no shell, only TCP forwarding.", widget.MediumImportance)
		intro.SizeName = theme.SizeNameCaptionText
		return intro
	},
	work: func(ctx context.Context, eng *engine.Engine, r request) outcome {
		d := engine.Draft{Values: r.draft.Values}
		if r.save {
			return agentOutcome(eng.SaveAgent(ctx, d, engine.AgentSaveOptions{SaveOptions: r.opts}))
		}
		c, err := eng.CheckAgent(d, r.opts.Editing)
		if err != nil {
			return outcome{err: err}
		}
		return agentOutcome(eng.TestAgent(ctx, c, r.opts.Test), nil)
	},
	saved: func(p *Pane, out outcome) {
		p.Form.Fill(connectors.Values{agents.FieldHostKey: out.settings.String(agents.FieldHostKey)}) // pinned from known_hosts, say
	},
	ownWords: func(out outcome, saved bool) string {
		switch {
		case !out.knownHosts:
			return ""
		case saved:
			return fmt.Sprintf("Saved %q after a passing test. Its host key was found in your known_hosts file and is now pinned.", out.name)
		default:
			return "The test passed; the host key was found in your known_hosts file and is pinned when you save. Nothing was saved yet."
		}
	},
	answer: func(p *Pane, why purpose, out outcome) bool {
		if out.result.Code != connectors.CodeHostKeyUnknown || out.hostKey == "" {
			return false
		}
		p.say("Not verified yet: the server's host key is new. Check it and trust it, or Cancel.", widget.WarningImportance)
		p.askHostKey(why, out)
		return true
	},
	asks: func(r connectors.Result) bool { return r.Code == connectors.CodeHostKeyUnknown },
	unsaved: func(_ connectors.Info, typed string) string {
		if typed == "" {
			return "a new agent"
		}
		return fmt.Sprintf("the agent %q", typed)
	},
}

// AddAgent opens an empty agent pane (+ Add agent).
func (u *UI) AddAgent() { u.openPane(agentKind, opening{info: engine.AgentInfo()}) }

// EditAgent opens the pane for a saved agent; its secrets come back empty
// and must be entered again to save, as a connection's do.
func (u *UI) EditAgent(name string) {
	a, err := u.eng.GetAgent(name)
	if err != nil {
		u.showError("Open agent "+name, err)
		return
	}
	if p := u.findPane(agentKind, a.Name); p != nil {
		p.Window.RequestFocus()
		return
	}
	u.openPane(agentKind, opening{info: engine.AgentInfo(), kind: paneEdit, saved: a.Name, values: a.Values})
}

// askHostKey shows the host key the agent's server showed for the first
// time. Trusting it pins it in the Host key field and runs the same test or
// save again; a jump agent's unknown key is that agent's to trust.
func (p *Pane) askHostKey(why purpose, out outcome) {
	name := out.checked.Name
	if !strings.EqualFold(out.hop, name) {
		p.say(fmt.Sprintf("The jump agent %q has no pinned host key: test it under Resources > Agents and trust its key first.", out.hop), widget.DangerImportance)
		return
	}
	cfg := agents.ConfigFromValues(out.checked.Values)
	fp := out.hostKey
	p.hostKeyQuestion = askHostKey(p.Window, hostKeyShown{agent: name, addr: cfg.Addr(), fingerprint: fp, trust: func() {
		p.Form.Fill(connectors.Values{agents.FieldHostKey: fp})
		p.Form.SetNote(agents.FieldHostKey, "The key you trusted; a different one will be refused.")
		p.start(why, false)
	}})
}
