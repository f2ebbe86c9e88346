package engine

// save.go: creating, editing, renaming, cloning and deleting saved
// resources of any kind. Save verifies first, then commits; a failed test
// saves nothing unless the caller asked to save without verifying. Every
// commit is announced.

import (
	"context"
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// SaveOptions say how Save treats the draft.
type SaveOptions struct {
	// Editing is the name of the saved resource being changed; "" creates.
	Editing string
	// KeepSaved: values the draft does not hold keep their saved values,
	// secrets included (the command line changes one field; the window asks
	// for the secrets again, as the seeds say, and leaves this false).
	KeepSaved bool
	// NoVerify saves without a test, marked unverified with Reason.
	NoVerify bool
	Reason   string
	// Failed, with NoVerify, is the failed test the owner saw before
	// choosing to save anyway: its code, message, hint and warnings are
	// kept on the saved resource beside Reason.
	Failed *connectors.Result
	// KeepSecretsForNewAddress is the owner's word that the saved secrets an
	// edit keeps may go to its new address; without it an edit that points
	// the store elsewhere (an Address field: host, port, path or scheme)
	// and keeps a saved secret is refused with an *AddressChangeError.
	KeepSecretsForNewAddress bool
	// Replaces, when creating, lets the save replace a saved resource of
	// the same name and application whose settings it accepts.
	Replaces func(saved connectors.Values) bool
	// Accept is a value the user accepted after a test showed it (an
	// agent's host key); the kind's Accept says where it goes.
	Accept string
	Test   TestOptions
}

// Outcome is what Save did.
type Outcome struct {
	Checked Checked
	// Result is the test's, nil when saved without verifying; Detail is the
	// kind's own account of it (agents: AgentDetail).
	Result *connectors.Result
	Detail any
	// Saved is false when the test failed or was cancelled: nothing changed.
	Saved bool
	// Connection is the saved resource, whatever its kind.
	Connection vault.Connection
}

// Save is create and edit: check, test unless NoVerify, then save secrets
// and settings all-or-nothing. A test that fails saves nothing and returns
// the outcome with no error.
func (r Resources) Save(ctx context.Context, d Draft, o SaveOptions) (Outcome, error) {
	if o.Editing == "" && o.Replaces != nil {
		o.Editing = r.replaceable(d, o.Replaces)
	}
	var old vault.Connection
	if o.Editing != "" {
		var err error
		if old, d, err = r.withSaved(d, o, false); err != nil {
			return Outcome{}, err
		}
	}
	if err := r.accept(&d, o.Accept); err != nil {
		return Outcome{}, err
	}
	c, err := r.Check(d, o.Editing)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Checked: c}
	if w := connectors.PlainHTTPRisk(c.Info, c.Values); w != "" && o.NoVerify {
		// A test would have said so in its result; without one, say it here.
		out.Checked.Warnings = append(out.Checked.Warnings, connectors.FieldError{Key: string(connectors.CodeInsecureHTTP), Label: "insecure_http", Message: w})
	}
	ver := r.e.unverified(o.Reason, o.Failed)
	if !o.NoVerify {
		t := r.Test(ctx, c, o.Test)
		out.Result, out.Detail = &t.Result, t.Detail
		if !t.Result.OK || ctx.Err() != nil {
			return out, nil
		}
		for k, v := range t.Learned {
			if c.Values.String(k) == "" {
				c.Values[k] = v // a host key from known_hosts is pinned from now on
			}
		}
		out.Checked.Values = c.Values
		ver = r.e.verdict(t.Result)
	}
	if o.Test.Progress != nil {
		o.Test.Progress(SavingStep)
	}
	plain, secrets := c.Info.SplitSecrets(c.Values)
	rec := vault.Connection{Name: c.Name, Values: plain, Last: &ver}
	if r.k.Apps != nil {
		rec.App = c.Info.ID
	}
	saved, err := r.k.Store.Save(rec, secrets, vault.SaveOptions{Replace: o.Editing, Check: r.underLock(c), Follow: followLast})
	if err != nil {
		r.e.d.Log.WithError(err).WithField(r.k.ID, c.Name).Warn(r.k.Noun + " not saved")
		return out, err
	}
	out.Saved, out.Connection = true, saved
	if out.Result != nil { // the test before the save is one of the saved resource's
		item := vault.HistoryItem{Kind: r.k.ID, ID: saved.ID, Entry: historyEntry(ver.At, *out.Result, o.Test.Trigger)}
		if err := r.e.d.History.Append(item); err != nil {
			r.e.d.Log.WithError(err).WithField(r.k.ID, saved.Name).Warn("could not add the test to its history")
		}
	}
	r.e.d.Log.WithFields(map[string]any{r.k.ID: saved.Name, "app": saved.App, "verified": !ver.Unverified, "edited": o.Editing != ""}).Info(r.k.Noun + " saved")
	change := Change{Kind: r.k.ID, Op: Created, Name: saved.Name}
	if o.Editing != "" {
		change.Op = Saved
		if old.Name != saved.Name {
			change.OldName = old.Name
		}
	}
	r.e.announce(change)
	return out, nil
}

// accept puts a value the user accepted where the kind keeps it.
func (r Resources) accept(d *Draft, value string) error {
	if value == "" {
		return nil
	}
	a := r.k.Accept
	if a == nil {
		return fmt.Errorf("%s takes no accepted value", r.k.a())
	}
	v, ok := a.Normalize(value)
	if !ok {
		label := a.Field
		if info, err := r.form(d.App); err == nil {
			if f, ok := info.Field(a.Field); ok {
				label = f.Label
			}
		}
		return &InputError{[]connectors.FieldError{{Key: a.Field, Label: label, Message: a.Invalid}}}
	}
	d.Values = d.Values.Clone()
	d.Values[a.Field] = v
	return nil
}

// replaceable names the saved connection a create may replace, or "".
func (r Resources) replaceable(d Draft, accept func(connectors.Values) bool) string {
	old, err := r.k.Store.Get(d.Values.String(connectors.FieldName))
	if err != nil || old.App != d.App || !accept(old.Values) {
		return ""
	}
	return old.Name
}

// WithSaved is the draft of an edit of the saved resource o.Editing as a
// test, Check concurrency or a save of it uses it, for a front end that
// shows secret fields empty: a secret the draft leaves empty or out keeps
// its saved value (read from the keychain; never to be shown), a typed one
// replaces it. When the edit points the store elsewhere and keeps a saved
// secret, it fails with an *AddressChangeError unless
// o.KeepSecretsForNewAddress: the saved secrets do not go to a new address
// until they are typed again or the owner confirms.
func (r Resources) WithSaved(d Draft, o SaveOptions) (Draft, error) {
	if o.Editing == "" {
		return d, fmt.Errorf("WithSaved: no %s named to edit", r.k.Noun)
	}
	o.KeepSaved = true
	_, d, err := r.withSaved(d, o, true)
	return d, err
}

// withSaved puts the draft over the saved resource o.Editing: the
// application stays; with o.KeepSaved, what the draft leaves out (and, with
// emptyKeeps, a secret it leaves empty) keeps its saved value, unless the
// address changed (see WithSaved).
func (r Resources) withSaved(d Draft, o SaveOptions, emptyKeeps bool) (vault.Connection, Draft, error) {
	old, err := r.k.Store.Get(o.Editing)
	if err != nil {
		return old, d, err
	}
	if d.App != "" && d.App != old.App {
		return old, d, &InputError{[]connectors.FieldError{{Key: "app", Label: "Application",
			Message: fmt.Sprintf("%q is a %s %s; its application cannot be changed, create a new %s instead", old.Name, old.App, r.k.Noun, r.k.Noun)}}}
	}
	d.App = old.App
	if !o.KeepSaved {
		return old, d, nil
	}
	info, err := r.Form(old.App)
	if err != nil {
		return old, d, err
	}
	given := d.Values
	if emptyKeeps {
		given = withoutEmptySecrets(info, given)
	}
	if kept := keptSecrets(old, given); len(kept) > 0 && !o.KeepSecretsForNewAddress {
		plain := old.Values.Clone()
		for k, v := range given {
			plain[k] = v
		}
		if changes := info.AddressChanges(old.Values, plain); len(changes) > 0 {
			return old, d, newAddressChangeError(info, changes, kept)
		}
	}
	values, err := r.overSaved(old, given)
	d.Values = values
	return old, d, err
}

// withoutEmptySecrets is values less the secrets left empty.
func withoutEmptySecrets(info connectors.Info, values connectors.Values) connectors.Values {
	out := connectors.Values{}
	for k, v := range values {
		if f, ok := info.Field(k); ok && f.IsSecret() && strings.TrimSpace(v) == "" {
			continue
		}
		out[k] = v
	}
	return out
}

// keptSecrets are the saved secrets the draft does not replace.
func keptSecrets(old vault.Connection, given connectors.Values) []string {
	var kept []string
	for _, k := range old.SecretKeys {
		if _, ok := given[k]; !ok {
			kept = append(kept, k)
		}
	}
	return kept
}

// overSaved puts given over a saved resource's values, secrets included,
// read from the keychain only when given lacks one; the name stays unless
// given renames.
func (r Resources) overSaved(old vault.Connection, given connectors.Values) (connectors.Values, error) {
	values := old.Values.Clone()
	if len(keptSecrets(old, given)) > 0 {
		var err error
		if values, err = r.withSecrets(old, nil); err != nil {
			return given, err
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

// Rename gives a saved resource a new name without testing it again: its
// settings, secrets and last verification stay, and what refers to it by
// name follows (the vault renames the uses in the same write).
func (r Resources) Rename(name, newName string) (vault.Connection, error) {
	old, err := r.k.Store.Get(name)
	if err != nil {
		return vault.Connection{}, err
	}
	info, err := r.Form(old.App)
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
	saved, err := r.Names()
	if err != nil {
		return vault.Connection{}, err
	}
	if existing, taken := takenName(saved, newName, old.Name); taken {
		return vault.Connection{}, nameTaken(r.k.a(), existing, newName)
	}
	was := old.Name
	values[connectors.FieldName] = newName
	old.Name, old.Values = newName, values
	renamed, err := r.k.Store.Save(old, nil, vault.SaveOptions{Replace: name, KeepSecrets: true})
	if err != nil {
		return vault.Connection{}, err
	}
	r.e.d.Log.WithFields(map[string]any{r.k.ID: renamed.Name, "was": was}).Info(r.k.Noun + " renamed")
	r.e.announce(Change{Kind: r.k.ID, Op: Renamed, Name: renamed.Name, OldName: was})
	return renamed, nil
}

// Clone returns a draft for a new resource with a saved one's settings;
// secrets are not copied, they must be entered for the new one.
func (r Resources) Clone(name string) (Draft, error) {
	old, err := r.k.Store.Get(name)
	if err != nil {
		return Draft{}, err
	}
	values := old.Values.Clone()
	values[connectors.FieldName] = r.freeName(old.Name + " (copy)")
	return Draft{App: old.App, Values: values}, nil
}

// freeName returns name, or name with a number when it is taken.
func (r Resources) freeName(name string) string {
	try := name
	for i := 2; i < 1000; i++ {
		if _, err := r.k.Store.Get(try); err != nil {
			return try
		}
		try = fmt.Sprintf("%s %d", name, i)
	}
	return try
}

// Delete removes a saved resource and its keychain items (the vault refuses
// an agent in use with a *vault.InUseError naming the users).
func (r Resources) Delete(name string) error {
	id := ""
	if c, err := r.k.Store.Get(name); err == nil {
		name, id = c.Name, c.ID // announced as it was saved
	}
	if err := r.k.Store.Delete(name); err != nil {
		return err
	}
	if id != "" {
		if err := r.e.d.History.Delete(r.k.ID, id); err != nil {
			r.e.d.Log.WithError(err).WithField(r.k.ID, name).Warn("deleted, but its test history stays")
		}
	}
	r.e.d.Log.WithField(r.k.ID, name).Info(r.k.Noun + " deleted")
	r.e.announce(Change{Kind: r.k.ID, Op: Deleted, Name: name})
	return nil
}
