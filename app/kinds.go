package app

// kinds.go: the window's descriptors, one per kind the engine has
// (describe), with the hooks of the two it knows more of: a connection (its
// Application row and Check concurrency, a title naming its platform) and
// an agent (its introduction and list words, and the host key its server
// shows for the first time, for the user to check and trust: nothing is
// saved before that). Also opening a pane on any kind: Add, Edit, Clone.

import (
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
	"storelink/vault"
)

// describeKinds builds a descriptor for every kind the engine has.
func describeKinds(eng *engine.Engine) map[string]*descriptor {
	kinds := map[string]*descriptor{}
	for _, id := range eng.KindIDs() {
		d := describe(eng.Of(id).Kind())
		switch id {
		case engine.KindConnection:
			connectionHooks(d)
		case engine.KindAgent:
			agentHooks(d)
		}
		kinds[id] = d
	}
	return kinds
}

// kind is the descriptor of the kind id.
func (u *UI) kind(id string) *descriptor { return u.kinds[id] }

// connectionHooks are what a connection adds: its platform, Check concurrency.
func connectionHooks(d *descriptor) {
	d.create, d.size = "Create connection", fyne.NewSize(720, 580)
	d.newTitle = func(info connectors.Info) string { return "Create connection - " + info.Title }
	d.decorate = func(p *Pane) fyne.CanvasObject {
		p.addApplication()
		p.buildConcurrencyCheck()
		return nil
	}
	d.unsaved = func(info connectors.Info, typed string) string {
		if typed == "" {
			return "a new " + info.Title + " connection"
		}
		return fmt.Sprintf("%q", typed)
	}
}

// EditConnection opens the pane for a saved connection; its secrets come
// back empty and must be entered again to save.
func (u *UI) EditConnection(name string) { u.openSaved(u.kind(engine.KindConnection), name, paneEdit) }

// CloneConnection opens a new pane filled from a saved connection, secrets aside.
func (u *UI) CloneConnection(name string) {
	u.openSaved(u.kind(engine.KindConnection), name, paneClone)
}

// add opens an empty pane of the kind d; a kind of many forms starts with
// the picker instead.
func (u *UI) add(d *descriptor) {
	if d.apps {
		u.CreateConnection()
		return
	}
	u.openPane(d, opening{info: d.form})
}

// edit opens the pane of the kind d for its saved name.
func (u *UI) edit(d *descriptor, name string) { u.openSaved(d, name, paneEdit) }

// openSaved opens a pane on the saved name of the kind d, to edit (a
// second Edit focuses the open one) or to clone; its secrets come back
// empty and must be entered again to save.
func (u *UI) openSaved(d *descriptor, name string, kind paneKind) {
	res := u.eng.Of(d.id)
	c, err := res.Get(name)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	info, err := res.Form(c.App)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	if p := u.findPane(d, c.Name); kind == paneEdit && p != nil {
		p.Window.RequestFocus()
		return
	}
	values := c.Values
	if kind == paneClone {
		draft, err := res.Clone(name)
		if err != nil {
			u.showError("Clone "+name, err)
			return
		}
		values = draft.Values
	}
	u.openPane(d, opening{info: info, kind: kind, saved: c.Name, values: values, secrets: c.SecretKeys})
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

// agentHooks are what an agent adds: its words, and its host key to trust.
func agentHooks(d *descriptor) {
	d.decorate = func(*Pane) fyne.CanvasObject {
		intro := wrapped("An SSH server next to stores behind a firewall. Storelink signs in to it and reaches the stores through it; "+
			"the user needs no shell, only TCP forwarding.", widget.MediumImportance)
		intro.SizeName = theme.SizeNameCaptionText
		return intro
	}
	d.saved = func(p *Pane, out outcome) {
		p.Form.Fill(connectors.Values{agents.FieldHostKey: out.settings.String(agents.FieldHostKey)}) // pinned from known_hosts, say
	}
	d.ownWords = func(out outcome, saved bool) string {
		switch {
		case !hostKeyOf(out).KnownHosts:
			return ""
		case saved:
			return fmt.Sprintf("Saved %q after a passing test. Its host key was found in your known_hosts file and is now pinned.", out.name)
		default:
			return "The test passed; the host key was found in your known_hosts file and is pinned when you save. Nothing was saved yet."
		}
	}
	d.answer = func(p *Pane, why purpose, out outcome) bool {
		if out.result.Code != connectors.CodeHostKeyUnknown || hostKeyOf(out).HostKey == "" {
			return false
		}
		p.say("Not verified yet: the server's host key is new. Check it and trust it, or Cancel.", widget.WarningImportance)
		p.askHostKey(why, out)
		return true
	}
	d.asks = func(r connectors.Result) bool { return r.Code == connectors.CodeHostKeyUnknown }
	d.explain = "An agent is an SSH server next to stores behind a firewall: Storelink signs in to it and reaches those stores through it. " +
		"On-premise connections pick their agent; one agent serves many connections. " +
		"A store this computer reaches directly needs no agent, even on the local network (LAN) or this computer (localhost): choose Mode: Cloud."
	d.empty = "No agents yet. Add one with Add agent: you need the SSH server's address and port, a user allowed to forward TCP, " +
		"and its private key or password (or your ssh-agent)."
	d.detail = agentAddress
	d.listAnswer = askAgentHostKey
}

// AddAgent opens an empty agent pane (+ Add agent).
func (u *UI) AddAgent() { u.add(u.kind(engine.KindAgent)) }

// EditAgent opens the pane for a saved agent, as EditConnection does.
func (u *UI) EditAgent(name string) { u.edit(u.kind(engine.KindAgent), name) }

// hostKeyOf is an agent test's own account; Hop is the agent tested
// unless a jump agent's key was the matter.
func hostKeyOf(out outcome) engine.AgentDetail {
	d, _ := out.detail.(engine.AgentDetail)
	if d.Hop == "" {
		d.Hop = out.checked.Name
	}
	return d
}

// agentAddress is "shop@ssh.office.example:22", and the jump agent if any.
func agentAddress(a vault.Connection) string {
	cfg := agents.ConfigFromValues(a.Values)
	s := cfg.User + "@" + cfg.Addr()
	if via := a.Values.String(agents.FieldVia); via != "" {
		s += " via " + via
	}
	return s
}

// askHostKey shows the host key the agent's server showed for the first
// time. Trusting it pins it in the Host key field and runs the same test or
// save again; a jump agent's unknown key is that agent's to trust.
func (p *Pane) askHostKey(why purpose, out outcome) {
	name, d := out.checked.Name, hostKeyOf(out)
	if !strings.EqualFold(d.Hop, name) {
		p.say(fmt.Sprintf("The jump agent %q has no pinned host key: test it under Resources > Agents and trust its key first.", d.Hop), widget.DangerImportance)
		return
	}
	cfg := agents.ConfigFromValues(out.checked.Values)
	fp := d.HostKey
	p.hostKeyQuestion = askHostKey(p.Window, hostKeyShown{agent: name, addr: cfg.Addr(), fingerprint: fp, trust: func() {
		p.Form.Fill(connectors.Values{agents.FieldHostKey: fp})
		p.Form.SetNote(agents.FieldHostKey, "The key you trusted; a different one will be refused.")
		p.start(why, false)
	}})
}

// askAgentHostKey asks, after a Test from the agents list, whether to trust
// the host key the agent name's server showed for the first time; trusting
// it saves the agent with the key pinned, after a test with it.
func askAgentHostKey(s *ResourcesScreen, name string, out outcome) bool {
	d := hostKeyOf(out)
	if out.result.Code != connectors.CodeHostKeyUnknown || d.HostKey == "" || !strings.EqualFold(d.Hop, name) {
		return false
	}
	s.say(fmt.Sprintf("Agent %q: its SSH server shows a host key that is not pinned yet. Check it and trust it, or Cancel.", name), widget.WarningImportance)
	a, err := s.res.Get(name)
	if err != nil {
		return true
	}
	fp := d.HostKey
	s.acceptQuestion = askHostKey(s.ui.window(), hostKeyShown{agent: name, addr: agents.ConfigFromValues(a.Values).Addr(), fingerprint: fp,
		trust: func() {
			s.accept(name, fp, func(saved string) string {
				return fmt.Sprintf("Agent %q works, and its host key is pinned: a different key will be refused.", saved)
			})
		}})
	return true
}
