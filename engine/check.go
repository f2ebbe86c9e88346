package engine

// check.go: checking a draft of any kind before it is tested or saved, and
// the one walk over the fields that name other resources (lenders, agents,
// jump agents): a name nothing has, one of another application, or a chain
// that comes back round is refused in words that name the field.

import (
	"errors"
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// Check fills in defaults, tidies pasted values up and validates them,
// follows the Refs and runs the kind's own Check; the name must not belong
// to another saved resource of the kind than editing.
func (r Resources) Check(d Draft, editing string) (Checked, error) {
	info, err := r.form(d.App)
	if err != nil {
		return Checked{}, err
	}
	values := info.Defaults(d.Values)
	values, notes := info.Normalize(values)
	if errs := info.Validate(values); len(errs) > 0 {
		return Checked{}, &InputError{errs}
	}
	name := names.Tidy(values[connectors.FieldName])
	values[connectors.FieldName] = name
	if msg := connectors.CheckName(name); msg != "" {
		return Checked{}, &InputError{[]connectors.FieldError{{Key: connectors.FieldName, Label: "Name", Message: msg}}}
	}
	c := Checked{Info: info, Name: name, Values: values, Notes: notes}
	first, err := r.e.checkRefs(c, r.k.Refs, r.e.lookup)
	if err != nil {
		return Checked{}, err
	}
	for i, ref := range r.k.Refs {
		if first[i] != "" {
			values[ref.Field] = first[i] // as it is saved
		}
	}
	if r.k.Check != nil {
		if err := r.k.Check(&c); err != nil {
			return Checked{}, err
		}
	}
	saved, err := r.Names()
	if err != nil {
		return Checked{}, err
	}
	if existing, taken := takenName(saved, name, editing); taken {
		return Checked{}, nameTaken(r.k.a(), existing, name)
	}
	r.e.addSecretsOf(info, c.Values)
	c.Warnings = info.Warnings(c.Values)
	return c, nil
}

// form is the draft's form; an application this Storelink does not know is
// the Application field's error.
func (r Resources) form(app string) (connectors.Info, error) {
	info, err := r.Form(app)
	if err != nil {
		var ids []string
		for _, i := range r.k.Apps.All() {
			ids = append(ids, i.ID)
		}
		return info, &InputError{[]connectors.FieldError{{Key: "app", Label: "Application",
			Message: fmt.Sprintf("unknown application %q; choose one of %s", app, strings.Join(ids, ", "))}}}
	}
	return info, nil
}

// finder finds a saved resource of a kind by name; false when none has it.
type finder func(kind, name string) (vault.Connection, bool, error)

// lookup is the finder over the saved resources as they are now.
func (e *Engine) lookup(kind, name string) (vault.Connection, bool, error) {
	k := e.kinds[kind]
	c, err := k.Store.Get(name)
	if errors.Is(err, k.NotFound) {
		return c, false, nil
	}
	return c, err == nil, err
}

// checkRefs follows each of refs from c's values with find, and returns
// the first name each names as it is saved ("" for none).
func (e *Engine) checkRefs(c Checked, refs []Ref, find finder) ([]string, error) {
	first := make([]string, len(refs))
	for i, ref := range refs {
		chain, err := e.follow(walk{ref: ref, from: c, find: find})
		if err != nil {
			return nil, err
		}
		if len(chain) > 0 {
			first[i] = chain[0].Name
		}
	}
	return first, nil
}

// underLock is checkRefs for vault.SaveOptions.Check: inside the save's
// lock, the references to the kind's own resources are followed again in
// the file as the save leaves it, so two saves at once cannot close a
// circle.
func (r Resources) underLock(c Checked) func(func(string) (vault.Connection, bool)) error {
	var own []Ref
	for _, ref := range r.k.Refs {
		if ref.To == r.k.ID {
			own = append(own, ref)
		}
	}
	if len(own) == 0 {
		return nil
	}
	return func(lookup func(string) (vault.Connection, bool)) error {
		_, err := r.e.checkRefs(c, own, func(_, name string) (vault.Connection, bool, error) {
			got, ok := lookup(name)
			return got, ok, nil
		})
		return err
	}
}

// walk is one reference followed from a resource's values.
type walk struct {
	ref  Ref
	from Checked // the resource that holds the field: its name, form, values
	find finder
}

// follow returns the resources w's field names, the first first, then (with
// Follow) the ones each of them names in turn. It refuses a name nothing
// has, one of another application where the field wants the same, and a
// chain that comes back to a name already in it.
func (e *Engine) follow(w walk) ([]vault.Connection, error) {
	ref := w.ref
	if ref.When != nil && !ref.When(w.from.Values) {
		return nil, nil
	}
	label := ref.Field
	if f, ok := w.from.Info.Field(ref.Field); ok {
		label = f.Label
	}
	bad := func(msg string) error {
		return &InputError{[]connectors.FieldError{{Key: ref.Field, Label: label, Message: msg}}}
	}
	seen := []string{w.from.Name}
	var chain []vault.Connection
	for cur := w.from.Values.String(ref.Field); cur != ""; {
		for _, s := range seen {
			if names.Equal(s, cur) {
				return nil, bad(strings.ReplaceAll(ref.Circle, "{chain}", strings.Join(append(seen, cur), " → ")))
			}
		}
		c, ok, err := w.find(ref.To, cur)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, bad(e.missing(ref, cur))
		}
		if ref.SameApp && c.App != w.from.Info.ID {
			return nil, bad(strings.NewReplacer("{name}", fmt.Sprintf("%q", c.Name), "{app}", c.App, "{title}", w.from.Info.Title).Replace(ref.OtherApp))
		}
		chain, seen = append(chain, c), append(seen, c.Name)
		if !ref.Follow {
			break
		}
		cur = c.Values.String(ref.Field)
	}
	return chain, nil
}

// missing is the refusal of a name no resource of ref.To has.
func (e *Engine) missing(ref Ref, name string) string {
	to := e.kinds[ref.To]
	if ref.Missing == nil {
		return fmt.Sprintf("no saved %s is called %q", to.Noun, name)
	}
	saved, err := to.Store.List()
	if err != nil {
		e.d.Log.WithError(err).Warn("cannot list " + to.Noun + "s")
	}
	return ref.Missing(name, namesOf(saved))
}
