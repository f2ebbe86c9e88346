package app

// descriptor.go: what the window knows of one kind of saved thing, built
// from the engine's descriptor of it (engine.Kind: its noun, its form, its
// flow through e.Of): the pane (pane.go) and the kind's list (resources.go)
// need nothing else. A kind's own extras (the connection's platform and
// Check concurrency, the agent's host key to trust) are optional hooks set
// in kinds.go; a kind the window has never heard of works without any.

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// descriptor describes one kind of saved thing to the pane and its list.
type descriptor struct {
	id     string // the engine's kind ID: engine.Of(id)
	noun   string // "connection", "agent": "Test agent", "Edit agent Office"
	create string // the title of a new one: "Create connection", "Add agent"
	plural string // the list's title: "Agents"
	size   fyne.Size
	// form is the kind's one form; apps: a kind of many (connections).
	form connectors.Info
	apps bool

	// The optional hooks; nil: what every kind does.
	// newTitle is a new one's window title (nil: create).
	newTitle func(info connectors.Info) string
	// decorate adds the kind's own parts to the pane's form and returns
	// what shows above it (nil for nothing).
	decorate func(p *Pane) fyne.CanvasObject
	// saved updates the form after a save (a host key pinned meanwhile).
	saved func(p *Pane, out outcome)
	// ownWords are the kind's own words for a plain pass (saved or not), ""
	// for the common ones.
	ownWords func(out outcome, saved bool) string
	// answer handles a result the kind asks about itself (true when it
	// did); asks tells which, so the result offers no way round it.
	answer func(p *Pane, why purpose, out outcome) bool
	asks   func(r connectors.Result) bool
	// unsaved names one whose typed changes Quit would lose.
	unsaved func(info connectors.Info, typed string) string
	// The list's words: what the kind is, what to do with none saved, and
	// a saved one's second column (nil: its first address or text field).
	explain, empty string
	detail         func(c vault.Connection) string
	// listAnswer handles a test from the list the kind asks about itself
	// (the agent's new host key); true when it did.
	listAnswer func(s *ResourcesScreen, name string, out outcome) bool
}

// describe is the window's descriptor of the engine's kind k, before its hooks.
func describe(k engine.Kind) *descriptor {
	d := &descriptor{id: k.ID, noun: k.Noun, create: "Add " + k.Noun, plural: capitalize(k.Noun) + "s",
		size: fyne.NewSize(640, 560), form: k.Form, apps: k.Apps != nil, explain: k.Form.Description}
	d.empty = fmt.Sprintf("No %ss yet. Add one with %s.", k.Noun, d.create)
	return d
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (d *descriptor) title(info connectors.Info) string {
	if d.newTitle == nil {
		return d.create
	}
	return d.newTitle(info)
}

func (d *descriptor) words(out outcome, saved bool) string {
	if d.ownWords == nil {
		return ""
	}
	return d.ownWords(out, saved)
}

// asked reports whether the kind asks about r itself.
func (d *descriptor) asked(r connectors.Result) bool { return d.asks != nil && d.asks(r) }

// unsavedName names what a pane of this kind holds for Quit's question.
func (d *descriptor) unsavedName(info connectors.Info, typed string) string {
	switch {
	case d.unsaved != nil:
		return d.unsaved(info, typed)
	case typed == "":
		return "a new " + d.noun
	}
	return fmt.Sprintf("the %s %q", d.noun, typed)
}

// detailOf is what the list shows of c beside its name.
func (d *descriptor) detailOf(c vault.Connection) string {
	if d.detail != nil {
		return d.detail(c)
	}
	for _, f := range d.form.Fields {
		if f.Key != connectors.FieldName && !f.IsSecret() && (f.Kind == connectors.KindURL || f.Kind == connectors.KindText) {
			if v := c.Values.String(f.Key); v != "" {
				return v
			}
		}
	}
	return ""
}

// work tests the request through the kind's flow, or saves it when r.save,
// off the UI goroutine. An edit's secrets left empty keep their saved
// values (engine.WithSaved), unless the store's address changed without
// the owner's word: then nothing is sent and the error says so.
func work(ctx context.Context, res engine.Resources, r request) outcome {
	if r.opts.Editing != "" {
		draft, err := res.WithSaved(r.draft, r.opts)
		if err != nil {
			return outcome{err: err}
		}
		r.draft = draft
	}
	if r.save {
		return outcomeOf(res.Save(ctx, r.draft, r.opts))
	}
	c, err := res.Check(r.draft, r.opts.Editing)
	if err != nil {
		return outcome{err: err}
	}
	t := res.Test(ctx, c, r.opts.Test)
	return outcomeOf(engine.Outcome{Checked: c, Result: &t.Result, Detail: t.Detail}, nil)
}

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
	// detail is the kind's own account of the test (agents: engine.AgentDetail).
	detail any
	saved  bool
	name   string // the saved name
	// unverified: saved without a passing test.
	unverified bool
	settings   connectors.Values // what was saved, secrets aside
	secrets    []string          // the saved fields held in the keychain
	err        error
}

func outcomeOf(o engine.Outcome, err error) outcome {
	out := outcome{checked: o.Checked, result: o.Result, detail: o.Detail, saved: o.Saved, name: o.Connection.Name, settings: o.Connection.Values, secrets: o.Connection.SecretKeys, err: err}
	out.unverified = o.Connection.Last != nil && o.Connection.Last.Unverified
	return out
}
