package engine

// kind.go: the resource model. Each kind of saved thing (connections,
// agents, and whatever Deps.Kinds adds) is a Kind descriptor; Of(kind)
// hands out the one flow every kind goes through (check, save, test,
// record, rename, delete), so a rule written there holds for all of them.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"storelink/connectors"
	"storelink/vault"
)

// The built-in kinds' IDs, as Change.Kind and Of name them.
const (
	KindConnection = "connection"
	KindAgent      = "agent"
)

// Records is where one kind's resources are kept: the vault's connections,
// its agents, or a kind's own store. Names follow the vault's rules (package
// names): a look-alike of a saved name is that name.
type Records interface {
	List() ([]vault.Connection, error)
	// Get fails with an error that errors.Is Kind.NotFound when nothing has name.
	Get(name string) (vault.Connection, error)
	// Save stores c and its secrets all-or-nothing and returns what was saved.
	Save(c vault.Connection, secrets connectors.Values, opts vault.SaveOptions) (vault.Connection, error)
	Delete(name string) error
	// Secrets reads c's secrets; SecretsMany reads several at once, by ID.
	Secrets(c vault.Connection) (connectors.Values, error)
	SecretsMany(cs []vault.Connection) map[string]vault.SecretsRead
	// RecordMany stores test outcomes in one write, each through follow
	// (when set) over the saved one; names no longer saved are skipped.
	RecordMany(vs map[string]vault.Verification, follow vault.Follow) error
}

// Kind describes one kind of saved resource to the engine's flow.
type Kind struct {
	// ID names the kind ("connection", "agent"); Noun and Article word it
	// in messages: "a connection", "an agent".
	ID, Noun, Article string
	// Apps, when set, holds the forms of a kind whose resources are each of
	// an application (connections: Draft.App picks one, and is saved);
	// otherwise every resource has the one Form.
	Apps *connectors.Registry
	Form connectors.Info
	// Store keeps the resources; NotFound is what its Get fails with.
	Store    Records
	NotFound error
	// ListHint says where a person sees the saved ones, after "not found".
	ListHint string
	// Test tests checked values; the flow bounds it by the timeout, masks
	// its result and records it when the resource is saved.
	Test func(ctx context.Context, run TestRun) Trial
	// Check, when set, runs after the fields and Refs pass: a rule of the
	// kind's own (an on-premise connection needs its agent). It may tidy
	// c.Values; an *InputError refuses them.
	Check func(c *Checked) error
	// Refs are the fields that name other saved resources.
	Refs []Ref
	// Accept, when set, takes a value the user accepted after a test showed
	// it (SaveOptions.Accept), such as an agent's host key.
	Accept *Accept
}

// Ref is a field naming another saved resource: a lender, an agent, a jump
// agent. Check refuses a name nothing has, and a chain that comes back.
type Ref struct {
	Field string // the field's key
	To    string // the kind it names
	// Follow: the one named may name another in the same field (a lender's
	// lender, a jump agent's jump agent); the chain is walked to its end.
	Follow bool
	// SameApp: only a resource of the same application may be named;
	// OtherApp refuses another, with {name}, {app} and {title} (ours).
	SameApp  bool
	OtherApp string
	// When, when set, says whether the field counts for these values.
	When func(values connectors.Values) bool
	// Circle refuses a chain that comes back; {chain} is it, "A → B → A".
	Circle string
	// Missing words the refusal of a name nothing has, given the names
	// saved; nil: `no saved agent is called "X"`.
	Missing func(name string, saved []string) string
}

// Accept is how a kind takes a value the user accepted.
type Accept struct {
	Field string // where it goes
	// Normalize returns the value as saved, false when it is not one.
	Normalize func(string) (string, bool)
	// Invalid refuses what Normalize does not take.
	Invalid string
}

// TestRun is what a kind's test is given.
type TestRun struct {
	Checked        // form, name and values, secrets included
	ID      string // the saved resource's ID; "" for a draft
	Options TestOptions
	// Client is the engine's shared HTTP client options (redactor, proxy).
	Client connectors.ClientOptions
}

// Trial is how a kind's test went.
type Trial struct {
	Result connectors.Result
	// Learned are values the test established that a save keeps when the
	// draft has none (a host key accepted from known_hosts is pinned).
	Learned connectors.Values
	// Detail is the kind's own account (agents: AgentDetail).
	Detail any
}

// Resources is the flow over one kind: Of(kind) returns it.
type Resources struct {
	e *Engine
	k *Kind
}

// Of returns the flow over the kind with that ID. It panics on a kind the
// engine was not given: kinds are fixed when the engine is made.
func (e *Engine) Of(kind string) Resources {
	k, ok := e.kinds[kind]
	if !ok {
		panic(fmt.Sprintf("engine: no kind %q (known: %s); add it with Deps.Kinds", kind, strings.Join(e.KindIDs(), ", ")))
	}
	return Resources{e: e, k: k}
}

// KindIDs lists the kinds the engine knows, sorted.
func (e *Engine) KindIDs() []string {
	ids := make([]string, 0, len(e.kinds))
	for id := range e.kinds {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// addKinds checks each descriptor and indexes it; a broken or duplicate
// one is a programming error, as connectors.Register treats it.
func (e *Engine) addKinds(kinds ...Kind) {
	for _, k := range kinds {
		switch {
		case k.ID == "" || k.Noun == "" || k.Test == nil:
			panic(fmt.Sprintf("engine: kind %q needs an ID, a Noun and a Test", k.ID))
		case k.Apps == nil && k.Form.ID == "":
			panic(fmt.Sprintf("engine: kind %q needs Apps or a Form", k.ID))
		case e.kinds[k.ID] != nil:
			panic(fmt.Sprintf("engine: kind %q added twice", k.ID))
		}
		if k.Article == "" {
			k.Article = "a"
		}
		e.kinds[k.ID] = &k
		e.rec[k.ID] = &recorder{store: k.Store, history: e.d.History, log: e.d.Log}
	}
	for _, k := range e.kinds {
		for _, ref := range k.Refs {
			if e.kinds[ref.To] == nil {
				panic(fmt.Sprintf("engine: kind %q refers to the kind %q in %s, which it was not given", k.ID, ref.To, ref.Field))
			}
		}
	}
}

// Kind is the descriptor this flow runs over.
func (r Resources) Kind() Kind { return *r.k }

// a is the kind's noun with its article: "an agent".
func (k *Kind) a() string { return k.Article + " " + k.Noun }

// List returns the saved resources sorted by name.
func (r Resources) List() ([]vault.Connection, error) { return r.k.Store.List() }

// Get returns the saved resource called name.
func (r Resources) Get(name string) (vault.Connection, error) { return r.k.Store.Get(name) }

// Names lists the saved resources' names, sorted.
func (r Resources) Names() ([]string, error) {
	list, err := r.k.Store.List()
	return namesOf(list), err
}

// Form is the form of a resource of application app; app is ignored by a
// kind with one form.
func (r Resources) Form(app string) (connectors.Info, error) {
	if r.k.Apps == nil {
		return r.k.Form, nil
	}
	info, ok := r.k.Apps.Lookup(app)
	if !ok {
		return connectors.Info{}, fmt.Errorf("this version of Storelink does not know the application %q; update Storelink, or delete the %s", app, r.k.Noun)
	}
	return info, nil
}

// LastResult is the whole result of the last test of the saved c in this
// session (checks, warnings, requests); false when it has not been tested
// since Storelink started: c.Last then holds what was recorded.
func (r Resources) LastResult(c vault.Connection) (connectors.Result, bool) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	res, ok := r.e.last[r.k.ID+"/"+c.ID]
	return res, ok
}

func (r Resources) remember(c vault.Connection, res connectors.Result) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	r.e.last[r.k.ID+"/"+c.ID] = res
}

// withSecrets is c's values with its secrets, read from the store (or
// taken from pre when the secrets were read ahead).
func (r Resources) withSecrets(c vault.Connection, pre *vault.SecretsRead) (connectors.Values, error) {
	var secrets connectors.Values
	var err error
	if pre != nil {
		secrets, err = pre.Values, pre.Err
	} else {
		secrets, err = r.k.Store.Secrets(c)
	}
	if err != nil {
		return nil, err
	}
	values := c.Values.Clone()
	for k, v := range secrets {
		values[k] = v
	}
	return values, nil
}
