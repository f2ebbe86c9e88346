package app

// agents.go: Resources > Agents, the saved agents (SSH servers that reach
// stores behind a firewall): each with its address and its status in words,
// and Edit, Test and Delete; + Add agent opens the agent pane.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/agents"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// agentsUI is what the agents screen needs of the window.
type agentsUI interface {
	runner
	window() fyne.Window
	AddAgent()
	EditAgent(name string)
	ShowConnections()
}

// agentsEngine is what the agents screen needs of the engine.
type agentsEngine interface {
	changes
	ListAgents() ([]vault.Agent, error)
	GetAgent(name string) (vault.Agent, error)
	SaveAgent(ctx context.Context, d engine.Draft, o engine.AgentSaveOptions) (engine.AgentOutcome, error)
	TestSavedAgent(ctx context.Context, name string, o engine.TestOptions) (engine.AgentOutcome, error)
	DeleteAgent(name string) error
	Redact(s string) string
}

// AgentsScreen lists the saved agents.
type AgentsScreen struct {
	ui  agentsUI
	eng agentsEngine
	// explain says what agents are and when Cloud needs none.
	explain   *widget.Label
	addButton *widget.Button
	// status says how the last Test or Delete went, in words.
	status *widget.Label
	// empty shows instead of list with no agent saved.
	empty   *widget.Label
	list    *widget.List
	content *fyne.Container
	// The dialogs, once shown: Delete asks first; inUseDialog names the
	// connections that keep an agent from being deleted.
	deleteQuestion, hostKeyQuestion *question
	inUseDialog                     *dialog.CustomDialog

	agents  []vault.Agent
	testing map[string]bool
	rows    map[fyne.CanvasObject]*AgentRow // the rows the list made, by their object
	reloads reloader
}

// AgentRow is one agent in the list: name, address, status, its buttons.
type AgentRow struct {
	name, address, status                *widget.Label
	icon                                 *widget.Icon
	editButton, testButton, deleteButton *widget.Button
	agent                                string // the name shown, "" before the list binds the row
	onEdit, onTest, onDelete             func()
}

func newAgentsScreen(u agentsUI, eng agentsEngine) *AgentsScreen {
	s := &AgentsScreen{ui: u, eng: eng, testing: map[string]bool{}, rows: map[fyne.CanvasObject]*AgentRow{}}
	title := widget.NewLabelWithStyle("Agents", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	s.explain = wrapped("An agent is an SSH server next to stores behind a firewall: Storelink signs in to it and reaches those stores through it. "+
		"On-premise connections pick their agent; one agent serves many connections. "+
		"A store this computer reaches directly needs no agent, even on the local network (LAN) or this computer (localhost): choose Mode: Cloud.", widget.MediumImportance)
	s.addButton = widget.NewButtonWithIcon("Add agent", theme.ContentAddIcon(), u.AddAgent)
	s.addButton.Importance = widget.HighImportance
	s.status = wrapped("", widget.MediumImportance)
	s.status.Hide()
	s.empty = wrapped("No agents yet. Add one with Add agent: you need the SSH server's address and port, a user allowed to forward TCP, "+
		"and its private key or password (or your ssh-agent).", widget.MediumImportance)
	s.list = widget.NewList(func() int { return len(s.agents) }, s.newRow, s.updateRow)
	s.list.OnSelected = func(widget.ListItemID) { s.list.UnselectAll() } // the buttons act; a row needs no selection
	head := container.NewBorder(nil, nil, nil, s.addButton, title)
	back := widget.NewButton("Back to connections", u.ShowConnections)
	top := container.NewVBox(head, s.explain, s.status, widget.NewSeparator())
	s.content = container.NewBorder(top, container.NewHBox(back, layout.NewSpacer()), nil, nil, container.NewStack(s.empty, s.list))
	s.reloads = reloader{do: u.post, reload: s.Reload}
	listen(u.runContext(), eng, u.post, func(c engine.Change) {
		if c.Kind == engine.KindAgent {
			s.reloads.soon()
		}
	})
	return s
}

// Reload reads the agents again.
func (s *AgentsScreen) Reload() {
	as, err := s.eng.ListAgents()
	if err != nil {
		s.say("Could not read the agents: "+s.eng.Redact(err.Error()), widget.DangerImportance)
		as = nil
	}
	s.agents = as
	for _, r := range s.rows {
		r.agent = "" // bound again below to what is shown
	}
	if len(as) == 0 {
		s.list.Hide()
		s.empty.Show()
	} else {
		s.empty.Hide()
		s.list.Show()
	}
	s.list.Refresh()
}

// Names lists the agents shown, in order.
func (s *AgentsScreen) Names() []string {
	names := make([]string, len(s.agents))
	for i, a := range s.agents {
		names[i] = a.Name
	}
	return names
}

// Row is the list row showing the agent name, nil when it is not on screen.
func (s *AgentsScreen) Row(name string) *AgentRow {
	for _, r := range s.rows {
		if r.agent != "" && strings.EqualFold(r.agent, name) {
			return r
		}
	}
	return nil
}

func (s *AgentsScreen) say(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
	s.status.Show()
}

func (s *AgentsScreen) newRow() fyne.CanvasObject {
	r := &AgentRow{
		name:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		address: widget.NewLabel(""),
		status:  widget.NewLabel(""),
		icon:    widget.NewIcon(nil),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.address.Truncation = fyne.TextTruncateEllipsis
	r.editButton = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { r.onEdit() })
	r.testButton = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), func() { r.onTest() })
	r.deleteButton = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { r.onDelete() })
	status := container.NewBorder(nil, nil, r.icon, nil, r.status)
	text := container.NewGridWithColumns(3, r.name, r.address, status)
	obj := container.NewBorder(nil, nil, nil, container.NewHBox(r.editButton, r.testButton, r.deleteButton), text)
	s.rows[obj] = r
	return obj
}

func (s *AgentsScreen) updateRow(id widget.ListItemID, obj fyne.CanvasObject) {
	if id >= len(s.agents) {
		return
	}
	a, r := s.agents[id], s.rows[obj]
	if r == nil {
		return
	}
	name := a.Name
	r.agent = name
	r.name.SetText(name)
	r.address.SetText(agentAddress(a))
	text, kind := statusWhen(a.Last, s.testing[name], time.Now())
	r.status.SetText(text)
	r.icon.SetResource(statusIcons()[kind])
	r.onEdit = func() { s.ui.EditAgent(name) }
	r.onTest = func() { s.Test(name) }
	r.onDelete = func() { s.AskDelete(name) }
	if s.testing[name] {
		r.testButton.Disable()
	} else {
		r.testButton.Enable()
	}
}

// agentAddress is "shop@ssh.office.example:22", and the jump agent if any.
func agentAddress(a vault.Agent) string {
	cfg := agents.ConfigFromValues(a.Values)
	s := cfg.User + "@" + cfg.Addr()
	if via := a.Values.String(agents.FieldVia); via != "" {
		s += " via " + via
	}
	return s
}

// Test tests the saved agent name and records how it went. A host key
// seen for the first time is shown to be trusted; trusting it saves the
// agent with the key pinned, after a test with it.
func (s *AgentsScreen) Test(name string) {
	if s.testing[name] {
		return
	}
	s.testing[name] = true
	s.list.Refresh()
	eng := s.eng
	start(s.ui, job[outcome]{
		work: func(ctx context.Context, _ func(string)) outcome {
			return agentOutcome(eng.TestSavedAgent(ctx, name, engine.TestOptions{}))
		},
		finish: func(out outcome, _ bool) {
			delete(s.testing, name)
			s.tested(name, out)
		},
	})
}

func (s *AgentsScreen) tested(name string, out outcome) {
	s.list.Refresh() // no longer "Testing…"; the recorded outcome reloads the list
	switch r := out.result; {
	case out.err != nil:
		s.say(fmt.Sprintf("Agent %q was not tested: %s", name, s.eng.Redact(out.err.Error())), widget.DangerImportance)
	case r == nil:
	case r.OK:
		s.say(fmt.Sprintf("Agent %q works: %s (%s).", name, r.Message, tookWords(r.Duration)), widget.SuccessImportance)
	case r.Code == connectors.CodeHostKeyUnknown && out.hostKey != "" && strings.EqualFold(out.hop, name):
		s.say(fmt.Sprintf("Agent %q: its SSH server shows a host key that is not pinned yet. Check it and trust it, or Cancel.", name), widget.WarningImportance)
		a, err := s.eng.GetAgent(name)
		if err != nil {
			return
		}
		fp := out.hostKey
		s.hostKeyQuestion = askHostKey(s.ui.window(), hostKeyShown{agent: name, addr: agents.ConfigFromValues(a.Values).Addr(), fingerprint: fp,
			trust: func() { s.trustHostKey(name, fp) }})
	default:
		s.say(fmt.Sprintf("Agent %q failed: %s", name, connectors.Describe(*r)), widget.DangerImportance)
	}
}

// trustHostKey saves the agent name with the key fp pinned, after a test
// with it (the saved settings and secrets are kept).
func (s *AgentsScreen) trustHostKey(name, fp string) {
	s.testing[name] = true
	s.list.Refresh()
	eng := s.eng
	start(s.ui, job[outcome]{
		work: func(ctx context.Context, _ func(string)) outcome {
			return agentOutcome(eng.SaveAgent(ctx, engine.Draft{Values: connectors.Values{}}, engine.AgentSaveOptions{
				SaveOptions: engine.SaveOptions{Editing: name, KeepSaved: true}, AcceptHostKey: fp}))
		},
		finish: func(out outcome, _ bool) {
			delete(s.testing, name)
			if out.saved {
				s.list.Refresh()
				s.say(fmt.Sprintf("Agent %q works, and its host key is pinned: a different key will be refused.", out.name), widget.SuccessImportance)
				return
			}
			s.tested(name, out)
		},
	})
}

// AskDelete asks before deleting the agent name (Esc keeps it).
func (s *AgentsScreen) AskDelete(name string) {
	s.deleteQuestion = askDelete(s.ui.window(), "agent", name, func() { s.delete(name) })
}

func (s *AgentsScreen) delete(name string) {
	eng := s.eng
	start(s.ui, job[error]{
		work: func(context.Context, func(string)) error { return eng.DeleteAgent(name) }, // the keychain may be slow
		finish: func(err error, _ bool) {
			var inUse *vault.InUseError
			switch {
			case errors.As(err, &inUse):
				s.showInUse(inUse)
			case err != nil:
				s.say(fmt.Sprintf("Agent %q was not deleted: %s", name, s.eng.Redact(err.Error())), widget.DangerImportance)
			default:
				s.say(fmt.Sprintf("Agent %q deleted.", name), widget.MediumImportance)
			}
		},
	})
}

// showInUse says which connections (and agents jumping through it) keep the
// agent from being deleted, and what to do.
func (s *AgentsScreen) showInUse(e *vault.InUseError) {
	var lines []string
	for _, c := range e.Connections {
		lines = append(lines, "• "+c)
	}
	msg := wrapped(fmt.Sprintf("The agent %q is still used by:", e.Agent), widget.MediumImportance)
	what := wrapped("Edit them to choose another agent (or Mode: Cloud), or delete them, then delete the agent.", widget.MediumImportance)
	s.inUseDialog = tell(s.ui.window(), "Agent not deleted", container.NewVBox(msg, widget.NewLabel(strings.Join(lines, "\n")), what), fyne.NewSize(460, 240))
	s.say(fmt.Sprintf("Agent %q was not deleted: it is still used by %s.", e.Agent, strings.Join(e.Connections, ", ")), widget.DangerImportance)
}
