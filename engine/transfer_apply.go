package engine

// transfer_apply.go: an import's checks and saves. Each entry goes through
// Check or CheckAgent of an engine over the saved list as the import would
// leave it (so an agent or lender that comes in the same file counts), and
// only then is anything saved, agents first; a failed save undoes the ones
// before it.

import (
	"errors"
	"fmt"
	"sort"

	"storelink/agents"
	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// checkPlans checks every entry that is not skipped; nothing is saved.
func (e *Engine) checkPlans(im *Import, ps []*plan) error {
	savedConns, err := e.List()
	if err != nil {
		return err
	}
	savedAgents, err := e.ListAgents()
	if err != nil {
		return err
	}
	after := &plannedStore{conns: without(savedConns, ps, false), agents: without(savedAgents, ps, true)}
	for _, p := range ps {
		if p.action == "skipped" {
			continue
		}
		c := vault.Connection{Name: p.name, App: p.entry.App, Values: p.entry.Values}
		if p.agent {
			after.agents = append(after.agents, c)
		} else {
			after.conns = append(after.conns, c)
		}
	}
	reg := e.d.Registry
	if !im.doc.WithSecrets {
		reg = secretsOptional(reg)
	}
	sub := New(Deps{Store: after, Registry: reg, Log: e.d.Log, Redactor: e.d.Redactor, Now: e.d.Now})
	defer sub.Close()
	var bad []connectors.FieldError
	for _, p := range ps {
		if p.action == "skipped" {
			continue
		}
		values := p.entry.Values.Clone()
		for k, v := range p.entry.Secrets {
			values[k] = v
		}
		var err error
		if p.agent {
			p.checked, err = checkImportedAgent(sub, values, p.name, im.doc.WithSecrets)
		} else {
			p.checked, err = sub.Check(Draft{App: p.entry.App, Values: values}, p.name)
		}
		var ie *InputError
		if errors.As(err, &ie) {
			for _, f := range ie.Fields {
				f.Label = p.label() + ", " + f.Label
				bad = append(bad, f)
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &InputError{bad}
	}
	return nil
}

// checkImportedAgent is CheckAgent; without secrets, the fields are checked
// with the secrets optional, then the rest (name, jump chain, host key) as
// for an agent that signs in with ssh-agent, which needs no secret.
func checkImportedAgent(sub *Engine, values connectors.Values, name string, withSecrets bool) (Checked, error) {
	if withSecrets {
		return sub.CheckAgent(Draft{Values: values}, name)
	}
	info := AgentInfo()
	info.Fields = optionalSecrets(info.Fields)
	filled := info.Defaults(values)
	if errs := info.Validate(filled); len(errs) > 0 {
		return Checked{}, &InputError{errs}
	}
	auth := filled[agents.FieldAuth]
	filled[agents.FieldAuth] = agents.AuthSSHAgent
	c, err := sub.CheckAgent(Draft{Values: filled}, name)
	if err == nil {
		c.Values[agents.FieldAuth] = auth
	}
	return c, err
}

// secretsOptional is reg with every secret field optional: a file of
// settings alone is checked in everything else.
func secretsOptional(reg *connectors.Registry) *connectors.Registry {
	scratch := connectors.NewRegistry()
	scratch.Register(connectors.Info{ID: "common", New: func() connectors.Connector { return nil }})
	common := map[string]bool{}
	if info, ok := scratch.Lookup("common"); ok {
		for _, f := range info.Fields {
			common[f.Key] = true
		}
	}
	out := connectors.NewRegistry()
	for _, info := range reg.All() {
		var own []connectors.Field
		for _, f := range info.Fields {
			if !common[f.Key] { // Register adds them again
				own = append(own, f)
			}
		}
		info.Fields = optionalSecrets(own)
		out.Register(info)
	}
	return out
}

func optionalSecrets(fs []connectors.Field) []connectors.Field {
	out := make([]connectors.Field, len(fs))
	for i, f := range fs {
		if f.IsSecret() {
			f.Required, f.RequiredWhen = false, nil
		}
		out[i] = f
	}
	return out
}

// without is saved minus the entries that ps replace.
func without(saved []vault.Connection, ps []*plan, agent bool) []vault.Connection {
	var out []vault.Connection
	for _, c := range saved {
		replaced := false
		for _, p := range ps {
			replaced = replaced || (p.agent == agent && p.old != nil && p.old.ID == c.ID)
		}
		if !replaced {
			out = append(out, c)
		}
	}
	return out
}

// apply saves the checked entries, agents first and each after what it
// refers to; a failure undoes the saves before it, newest first.
func (e *Engine) apply(im *Import, ps []*plan) error {
	as := e.d.Store
	order := make([]*plan, 0, len(ps))
	for _, p := range ps {
		if p.action != "skipped" {
			order = append(order, p)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		if order[a].agent != order[b].agent {
			return order[a].agent
		}
		return order[a].depth < order[b].depth
	})
	now := e.d.Now().UTC()
	var done []*plan
	for _, p := range order {
		plain, secrets := p.checked.Info.SplitSecrets(p.checked.Values)
		ver := vault.Verification{At: now, Unverified: true, Message: ImportedReason}
		if len(secrets) == 0 && len(p.entry.SecretKeys) > 0 {
			ver.Message = ImportedWithoutSecretReason
		}
		c := vault.Connection{Name: p.name, App: p.entry.App, Values: plain, Last: &ver}
		opts := vault.SaveOptions{}
		if p.old != nil {
			opts.Replace = p.old.Name
		}
		var err error
		if p.agent {
			c.App = ""
			_, err = as.SaveAgent(c, secrets, opts)
		} else {
			_, err = e.d.Store.Save(c, secrets, opts)
		}
		if err != nil {
			ie := &ImportError{Entry: p.label(), Err: err}
			e.undo(as, done, ie)
			e.d.Log.WithError(err).WithField("file", im.Path).Warn("import stopped")
			return ie
		}
		done = append(done, p)
	}
	return nil
}

// undo removes what done added and puts back what it replaced, newest first.
func (e *Engine) undo(as AgentStore, done []*plan, ie *ImportError) {
	for i := len(done) - 1; i >= 0; i-- {
		p := done[i]
		var err error
		switch {
		case p.old != nil && p.agent:
			_, err = as.SaveAgent(*p.old, p.oldSec, vault.SaveOptions{Replace: p.name})
		case p.old != nil:
			_, err = e.d.Store.Save(*p.old, p.oldSec, vault.SaveOptions{Replace: p.name})
		case p.agent:
			err = as.DeleteAgent(p.name)
		default:
			err = e.d.Store.Delete(p.name)
		}
		if err != nil {
			ie.Left = append(ie.Left, fmt.Sprintf("%s (%v)", p.label(), err))
		} else {
			ie.Undone = append(ie.Undone, p.label())
		}
	}
}

// plannedStore is the saved list as an import would leave it, for checks
// only: it saves nothing.
type plannedStore struct {
	conns, agents []vault.Connection
}

var errPlanned = errors.New("internal error: an import's check tried to change the saved connections")

func findIn(list []vault.Connection, name string) (vault.Connection, bool) {
	for _, c := range list {
		if names.Equal(c.Name, name) {
			return c, true
		}
	}
	return vault.Connection{}, false
}

func (s *plannedStore) List() ([]vault.Connection, error) { return s.conns, nil }
func (s *plannedStore) Get(name string) (vault.Connection, error) {
	if c, ok := findIn(s.conns, name); ok {
		return c, nil
	}
	return vault.Connection{}, fmt.Errorf("%q: %w", name, vault.ErrNotFound)
}
func (s *plannedStore) Agents() ([]string, error) { return namesOf(s.agents), nil }
func (s *plannedStore) ListAgents() ([]vault.Agent, error) {
	return s.agents, nil
}
func (s *plannedStore) GetAgent(name string) (vault.Agent, error) {
	if a, ok := findIn(s.agents, name); ok {
		return a, nil
	}
	return vault.Agent{}, fmt.Errorf("%q: %w", name, vault.ErrAgentNotFound)
}
func (s *plannedStore) Save(vault.Connection, connectors.Values, vault.SaveOptions) (vault.Connection, error) {
	return vault.Connection{}, errPlanned
}
func (s *plannedStore) Delete(string) error                                         { return errPlanned }
func (s *plannedStore) Secrets(vault.Connection) (connectors.Values, error)         { return nil, errPlanned }
func (s *plannedStore) SecretsMany([]vault.Connection) map[string]vault.SecretsRead { return nil }
func (s *plannedStore) Record(string, vault.Verification) error                     { return errPlanned }
func (s *plannedStore) RecordMany(map[string]vault.Verification, vault.Follow) error {
	return errPlanned
}
func (s *plannedStore) SaveAgent(vault.Agent, connectors.Values, vault.SaveOptions) (vault.Agent, error) {
	return vault.Agent{}, errPlanned
}
func (s *plannedStore) DeleteAgent(string) error { return errPlanned }
func (s *plannedStore) RecordManyAgents(map[string]vault.Verification, vault.Follow) error {
	return errPlanned
}
