package engine

// save.go: creating, editing, renaming, cloning and deleting saved
// connections. Save verifies first, then commits; a failed test saves
// nothing unless the caller asked to save without verifying.

import (
	"context"
	"errors"
	"fmt"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// SaveOptions say how Save treats the draft.
type SaveOptions struct {
	// Editing is the name of the saved connection being changed; "" creates.
	Editing string
	// KeepSaved: values the draft does not hold keep their saved values,
	// secrets included (the command line changes one field; the window asks
	// for the secrets again, as the seeds say, and leaves this false).
	KeepSaved bool
	// NoVerify saves without a test, marked unverified with Reason.
	NoVerify bool
	Reason   string
	// Replaces, when creating, lets the save replace a saved connection of
	// the same name and application whose settings it accepts.
	Replaces func(saved connectors.Values) bool
	Test     TestOptions
}

// Outcome is what Save did.
type Outcome struct {
	Checked Checked
	// Result is the test's, nil when saved without verifying.
	Result *connectors.Result
	// Saved is false when the test failed or was cancelled: nothing changed.
	Saved      bool
	Connection vault.Connection
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

// Save is Create and Edit: check, test unless NoVerify, then save secrets
// and settings all-or-nothing. A test that fails saves nothing and returns
// the outcome with no error.
func (e *Engine) Save(ctx context.Context, d Draft, o SaveOptions) (Outcome, error) {
	if o.Editing == "" && o.Replaces != nil {
		o.Editing = e.replaceable(d, o.Replaces)
	}
	if o.Editing != "" {
		var err error
		if d, err = e.withSaved(d, o.Editing, o.KeepSaved); err != nil {
			return Outcome{}, err
		}
	}
	c, err := e.Check(d, o.Editing)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Checked: c}
	if w := connectors.PlainHTTPRisk(c.Info, c.Values); w != "" && o.NoVerify {
		// A test would have said so in its result; without one, say it here.
		out.Checked.Warnings = append(out.Checked.Warnings, connectors.FieldError{Key: string(connectors.CodeInsecureHTTP), Label: "insecure_http", Message: w})
	}
	ver := e.unverified(o.Reason)
	if !o.NoVerify {
		r := e.Test(ctx, c, o.Test)
		out.Result = &r
		if !r.OK || ctx.Err() != nil {
			return out, nil
		}
		ver = e.verdict(r)
	}
	if o.Test.Progress != nil {
		o.Test.Progress("Saving (secrets go to the OS keychain)...")
	}
	plain, secrets := c.Info.SplitSecrets(c.Values)
	conn := vault.Connection{Name: c.Name, App: c.Info.ID, Values: plain, Last: &ver}
	saved, err := e.d.Store.Save(conn, secrets, vault.SaveOptions{Replace: o.Editing,
		Check: lenderCheck(c.Info, c.Name, c.Values.String(connectors.FieldBorrowFrom))})
	if err != nil {
		e.d.Log.WithError(err).WithField("connection", c.Name).Warn("connection not saved")
		return out, err
	}
	out.Saved, out.Connection = true, saved
	e.announce(saveChange(KindConnection, o.Editing, saved.Name))
	e.d.Log.WithFields(map[string]any{"connection": saved.Name, "app": saved.App, "verified": !ver.Unverified, "edited": o.Editing != ""}).Info("connection saved")
	return out, nil
}

// replaceable names the saved connection a create may replace, or "".
func (e *Engine) replaceable(d Draft, accept func(connectors.Values) bool) string {
	old, err := e.d.Store.Get(d.Values.String(connectors.FieldName))
	if err != nil || old.App != d.App || !accept(old.Values) {
		return ""
	}
	return old.Name
}

// withSaved puts the draft over the saved connection name: the application
// stays; with keep, what the draft leaves out keeps its saved value.
func (e *Engine) withSaved(d Draft, name string, keep bool) (Draft, error) {
	old, err := e.d.Store.Get(name)
	if err != nil {
		return d, err
	}
	if d.App != "" && d.App != old.App {
		return d, &InputError{[]connectors.FieldError{{Key: "app", Label: "Application",
			Message: fmt.Sprintf("%q is a %s connection; its application cannot be changed, create a new connection instead", old.Name, old.App)}}}
	}
	d.App = old.App
	if !keep {
		return d, nil
	}
	values, err := e.overSaved(old, d.Values)
	d.Values = values
	return d, err
}

// overSaved puts given over a saved connection's (or agent's) values,
// secrets included, read from the keychain only when given lacks one; the
// name stays unless given renames.
func (e *Engine) overSaved(old vault.Connection, given connectors.Values) (connectors.Values, error) {
	values := old.Values.Clone()
	if needsSecrets(old, given) {
		secrets, err := e.d.Store.Secrets(old)
		if err != nil {
			return given, err
		}
		for k, v := range secrets {
			values[k] = v
		}
	}
	for k, v := range given {
		values[k] = v
	}
	if _, named := given[connectors.FieldName]; !named {
		values[connectors.FieldName] = old.Name
	}
	return values, nil
}

// needsSecrets reports whether a saved secret is not replaced by the draft.
func needsSecrets(old vault.Connection, given connectors.Values) bool {
	for _, k := range old.SecretKeys {
		if _, ok := given[k]; !ok {
			return true
		}
	}
	return false
}

// Rename gives a saved connection a new name without testing it again: its
// settings, secrets and last verification stay.
func (e *Engine) Rename(name, newName string) (vault.Connection, error) {
	old, err := e.d.Store.Get(name)
	if err != nil {
		return vault.Connection{}, err
	}
	info, err := e.Lookup(old.App)
	if err != nil {
		return vault.Connection{}, err
	}
	values := old.Values.Clone()
	values[connectors.FieldName] = newName
	f, _ := info.Field(connectors.FieldName)
	msg := f.Check(values)
	newName = names.Tidy(newName)
	if msg == "" {
		msg = connectors.CheckName(newName)
	}
	if msg != "" {
		return vault.Connection{}, &InputError{[]connectors.FieldError{{Key: f.Key, Label: f.Label, Message: msg}}}
	}
	list, err := e.d.Store.List()
	if err != nil {
		return vault.Connection{}, err
	}
	if existing, taken := takenName(connectionNames(list), newName, old.Name); taken {
		return vault.Connection{}, nameTaken("a connection", existing, newName)
	}
	values[connectors.FieldName] = newName
	old.Name, old.Values = newName, values
	saved, err := e.d.Store.Save(old, nil, vault.SaveOptions{Replace: name, KeepSecrets: true})
	if err != nil {
		return vault.Connection{}, err
	}
	e.d.Log.WithFields(map[string]any{"connection": saved.Name, "was": name}).Info("connection renamed")
	e.announce(Change{Kind: KindConnection, Op: Renamed, Name: saved.Name, OldName: name})
	return saved, nil
}

// Clone returns a draft for a new connection with a saved one's settings;
// secrets are not copied, they must be entered for the new connection.
func (e *Engine) Clone(name string) (Draft, error) {
	old, err := e.d.Store.Get(name)
	if err != nil {
		return Draft{}, err
	}
	values := old.Values.Clone()
	values[connectors.FieldName] = e.freeName(old.Name + " (copy)")
	return Draft{App: old.App, Values: values}, nil
}

// freeName returns name, or name with a number when it is taken.
func (e *Engine) freeName(name string) string {
	try := name
	for i := 2; i < 1000; i++ {
		if _, err := e.d.Store.Get(try); err != nil {
			return try
		}
		try = fmt.Sprintf("%s %d", name, i)
	}
	return try
}

// Delete removes a saved connection and its keychain items.
func (e *Engine) Delete(name string) error {
	if err := e.d.Store.Delete(name); err != nil {
		return err
	}
	e.d.Log.WithField("connection", name).Info("connection deleted")
	e.announce(Change{Kind: KindConnection, Op: Deleted, Name: name})
	return nil
}
