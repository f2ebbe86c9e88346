package app

// descriptor.go: what the pane (pane.go) knows of one kind of saved thing:
// its words, its form's own parts, how the engine tests and saves it, and
// the answers it has to a result of its own (an agent's unknown host key).
// Connections and agents are two descriptors (kinds.go); a new kind is a
// third, without touching the pane.

import (
	"context"

	"fyne.io/fyne/v2"

	"storelink/connectors"
	"storelink/engine"
)

// descriptor describes one kind of saved thing to the pane.
type descriptor struct {
	noun   string // "connection", "agent": "Test agent", "Edit agent Office"
	create string // the title of a new one: "Create connection", "Add agent"
	size   fyne.Size
	// newTitle is a new one's window title.
	newTitle func(info connectors.Info) string
	// decorate adds the kind's own parts to the pane's form and returns
	// what shows above it (nil for nothing).
	decorate func(p *Pane) fyne.CanvasObject
	// work tests the request, or saves it when r.save, off the UI goroutine.
	work func(ctx context.Context, eng *engine.Engine, r request) outcome
	// saved updates the form after a save (a host key pinned meanwhile); may be nil.
	saved func(p *Pane, out outcome)
	// words are the kind's own words for a plain pass (saved or not), ""
	// for the common ones; may be nil.
	ownWords func(out outcome, saved bool) string
	// answer handles a result the kind asks about itself (true when it
	// did); asks tells which, so the result offers no way round it. Both may be nil.
	answer func(p *Pane, why purpose, out outcome) bool
	asks   func(r connectors.Result) bool
	// unsaved names one whose typed changes Quit would lose.
	unsaved func(info connectors.Info, typed string) string
}

func (d *descriptor) words(out outcome, saved bool) string {
	if d.ownWords == nil {
		return ""
	}
	return d.ownWords(out, saved)
}

// asked reports whether the kind asks about r itself.
func (d *descriptor) asked(r connectors.Result) bool { return d.asks != nil && d.asks(r) }

// request is one test or save the pane asks of the engine.
type request struct {
	draft engine.Draft
	opts  engine.SaveOptions
	save  bool
}

// outcome is what a test or save in the background came to, for any kind.
type outcome struct {
	checked engine.Checked
	result  *connectors.Result // nil when saved without a test
	saved   bool
	name    string // the saved name
	// unverified: saved without a passing test.
	unverified bool
	// An agent's: the host key the server showed, whether it came from
	// known_hosts, and the agent the result is about (a jump agent).
	hostKey, hop string
	knownHosts   bool
	settings     connectors.Values // what was saved, secrets aside
	err          error
}

func connectionOutcome(o engine.Outcome, err error) outcome {
	out := outcome{checked: o.Checked, result: o.Result, saved: o.Saved, name: o.Connection.Name, settings: o.Connection.Values, err: err}
	out.unverified = o.Connection.Last != nil && o.Connection.Last.Unverified
	return out
}

func agentOutcome(o engine.AgentOutcome, err error) outcome {
	out := outcome{checked: o.Checked, result: o.Result, saved: o.Saved, name: o.Agent.Name, settings: o.Agent.Values, err: err,
		hostKey: o.HostKey, hop: o.Hop, knownHosts: o.KnownHosts}
	out.unverified = o.Agent.Last != nil && o.Agent.Last.Unverified
	return out
}
