package engine

// connections.go: saved connections to shops as a kind: their descriptor
// (forms from the registry, lenders and agents as references, the test over
// the shared HTTP client) and the connection methods the window and the
// command line call, each a line over the kind's flow.

import (
	"context"
	"errors"

	"storelink/connectors"
	"storelink/vault"
)

func (e *Engine) connectionKind() Kind {
	return Kind{ID: KindConnection, Noun: "connection", Apps: e.d.Registry, Store: e.d.Store, NotFound: vault.ErrNotFound,
		ListHint: "See the saved connections with `storelink list`.",
		Test:     e.testConnection, Check: e.checkOnPremise, Refs: []Ref{lenderRef(), agentRef()}}
}

// testConnection tests a connection's values over the shared client, through
// its agent when on-premise, its requests counted against its concurrency
// group.
func (e *Engine) testConnection(ctx context.Context, run TestRun) Trial {
	client := run.Client
	route, fail := e.throughAgent(run.Values, &client)
	if fail != nil {
		return Trial{Result: *fail}
	}
	slot, note := e.slot(run)
	client.Slot = slot
	r := connectors.Run(ctx, run.Info, connectors.Config{
		Name: run.Name, Values: run.Values, Client: client, State: e.d.State, Force: run.Options.Force, Now: e.d.Now,
		Progress: run.Options.Progress,
	})
	if note != "" {
		r.Warn(connectors.CodeConcurrencyFallback, note)
	}
	if route != "" {
		r.Technical = append(r.Technical, connectors.Detail{Label: DetailAgent, Value: route})
	}
	return Trial{Result: r}
}

// List returns the saved connections sorted by name.
func (e *Engine) List() ([]vault.Connection, error) { return e.Of(KindConnection).List() }

// Get returns the saved connection called name (vault.ErrNotFound if none).
func (e *Engine) Get(name string) (vault.Connection, error) { return e.Of(KindConnection).Get(name) }

// Lookup finds the application of a saved connection, with a message a
// person can act on when this Storelink does not know it.
func (e *Engine) Lookup(app string) (connectors.Info, error) { return e.Of(KindConnection).Form(app) }

// Check fills in defaults, tidies pasted values up and validates them; the
// name must not belong to another saved connection than editing.
func (e *Engine) Check(d Draft, editing string) (Checked, error) {
	return e.Of(KindConnection).Check(d, editing)
}

// Create checks, tests (unless o.NoVerify) and saves a new connection.
func (e *Engine) Create(ctx context.Context, d Draft, o SaveOptions) (Outcome, error) {
	o.Editing = ""
	return e.Save(ctx, d, o)
}

// Edit changes the saved connection name the same way.
func (e *Engine) Edit(ctx context.Context, name string, d Draft, o SaveOptions) (Outcome, error) {
	if name == "" {
		return Outcome{}, errors.New("edit: no connection named")
	}
	o.Editing = name
	return e.Save(ctx, d, o)
}

// Save is Create and Edit of a connection (see Resources.Save).
func (e *Engine) Save(ctx context.Context, d Draft, o SaveOptions) (Outcome, error) {
	return e.Of(KindConnection).Save(ctx, d, o)
}

// WithSaved is the draft of an edit of the saved connection o.Editing with
// the saved secrets it leaves empty (see Resources.WithSaved).
func (e *Engine) WithSaved(d Draft, o SaveOptions) (Draft, error) {
	return e.Of(KindConnection).WithSaved(d, o)
}

// Test tests checked values without saving anything.
func (e *Engine) Test(ctx context.Context, c Checked, o TestOptions) connectors.Result {
	return e.Of(KindConnection).Test(ctx, c, o).Result
}

// TestSaved tests the saved connection name and records the outcome.
func (e *Engine) TestSaved(ctx context.Context, name string, o TestOptions) Tested {
	return e.Of(KindConnection).TestSaved(ctx, name, o)
}

// TestMany tests the saved connections names side by side.
func (e *Engine) TestMany(ctx context.Context, names []string, o TestOptions, report func(Event)) []Tested {
	return e.Of(KindConnection).TestMany(ctx, names, o, report)
}

// LastResult is this session's last whole result of the saved connection c.
func (e *Engine) LastResult(c vault.Connection) (connectors.Result, bool) {
	return e.Of(KindConnection).LastResult(c)
}

// Rename gives a saved connection a new name without testing it again.
func (e *Engine) Rename(name, newName string) (vault.Connection, error) {
	return e.Of(KindConnection).Rename(name, newName)
}

// Clone returns a draft for a new connection with a saved one's settings.
func (e *Engine) Clone(name string) (Draft, error) { return e.Of(KindConnection).Clone(name) }

// Delete removes a saved connection and its keychain items.
func (e *Engine) Delete(name string) error { return e.Of(KindConnection).Delete(name) }
