package engine

// agents.go: on-premise agents (SSH servers that reach stores behind a
// firewall) as a second resource: list, check, test, save, delete, and the
// dialer on-premise connections send all their traffic through. Host keys
// are pinned, never bypassed: an unknown one is shown for the user to accept.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"storelink/agents"
	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// AgentStore is what the engine needs of the vault for agents.
type AgentStore interface {
	ListAgents() ([]vault.Agent, error)
	GetAgent(name string) (vault.Agent, error)
	SaveAgent(a vault.Agent, secrets connectors.Values, opts vault.SaveOptions) (vault.Agent, error)
	DeleteAgent(name string) error
	RecordAgent(name string, v vault.Verification) error
}

// AgentInfo is the agent form, as a platform's Info (no common fields).
func AgentInfo() connectors.Info {
	return connectors.Info{ID: "agent", Title: "Agent", Description: "An SSH server that reaches stores behind a firewall.", Fields: agents.Fields()}
}

func (e *Engine) agentStore() (AgentStore, error) {
	s, ok := e.d.Store.(AgentStore)
	if !ok {
		return nil, errors.New("this store keeps no agents")
	}
	return s, nil
}

// ListAgents returns the saved agents sorted by name.
func (e *Engine) ListAgents() ([]vault.Agent, error) {
	s, err := e.agentStore()
	if err != nil {
		return nil, err
	}
	return s.ListAgents()
}

// GetAgent returns the saved agent called name (vault.ErrAgentNotFound).
func (e *Engine) GetAgent(name string) (vault.Agent, error) {
	s, err := e.agentStore()
	if err != nil {
		return vault.Agent{}, err
	}
	return s.GetAgent(name)
}

// AgentOutcome is what an agent's test or save came to.
type AgentOutcome struct {
	Checked Checked
	// Result is the test's; nil when saved without one.
	Result *connectors.Result
	// HostKey is the fingerprint the server showed: after host_key_unknown,
	// the one to accept. KnownHosts says it was accepted from known_hosts.
	HostKey    string
	KnownHosts bool
	// Hop is the agent the result is about (a jump agent that failed).
	Hop   string
	Saved bool
	Agent vault.Agent
}

// CheckAgent fills in defaults, tidies and validates an agent's values; the
// name must not belong to another agent than editing, and via must name a
// saved agent without going round in a circle.
func (e *Engine) CheckAgent(d Draft, editing string) (Checked, error) {
	info := AgentInfo()
	values := info.Defaults(d.Values)
	values, notes := info.Normalize(values)
	if errs := info.Validate(values); len(errs) > 0 {
		return Checked{}, &InputError{errs}
	}
	name := names.Tidy(values[agents.FieldName])
	values[agents.FieldName] = name
	bad := func(key, label, format string, a ...any) error {
		return &InputError{[]connectors.FieldError{{Key: key, Label: label, Message: fmt.Sprintf(format, a...)}}}
	}
	if msg := connectors.CheckName(name); msg != "" {
		return Checked{}, bad(agents.FieldName, "Name", "%s", msg)
	}
	saved, err := e.d.Store.Agents()
	if err != nil {
		return Checked{}, err
	}
	if existing, taken := takenName(saved, name, editing); taken {
		return Checked{}, nameTaken("an agent", existing, name)
	}
	chain := []string{name}
	for via := values.String(agents.FieldVia); via != ""; {
		for _, seen := range chain {
			if names.Equal(seen, via) {
				return Checked{}, bad(agents.FieldVia, "Jump through", "jumping would go round in a circle (%s)", strings.Join(append(chain, via), " → "))
			}
		}
		a, err := e.GetAgent(via)
		if err != nil {
			return Checked{}, bad(agents.FieldVia, "Jump through", "no saved agent is called %q", via)
		}
		chain = append(chain, a.Name)
		via = a.Values.String(agents.FieldVia)
	}
	e.addSecretsOf(info, values)
	return Checked{Info: info, Name: name, Values: values, Notes: notes, Warnings: info.Warnings(values)}, nil
}

// agentConfig turns values into an agent's Config, its jump agents read from
// the store with their secrets.
func (e *Engine) agentConfig(values connectors.Values, depth int) (agents.Config, error) {
	cfg := agents.ConfigFromValues(values)
	via := values.String(agents.FieldVia)
	if via == "" {
		return cfg, nil
	}
	if depth > 8 {
		return cfg, fmt.Errorf("the chain of jump agents from %q is too long or loops", cfg.Name)
	}
	jump, err := e.savedAgentConfig(via, depth+1)
	if err != nil {
		return cfg, err
	}
	cfg.Via = &jump
	return cfg, nil
}

// savedAgentConfig reads the saved agent name with its secrets.
func (e *Engine) savedAgentConfig(name string, depth int) (agents.Config, error) {
	a, err := e.GetAgent(name)
	if err != nil {
		return agents.Config{}, err
	}
	secrets, err := e.d.Store.Secrets(a)
	if err != nil {
		return agents.Config{}, err
	}
	values := a.Values.Clone()
	for k, v := range secrets {
		values[k] = v
	}
	e.addSecretsOf(AgentInfo(), values)
	return e.agentConfig(values, depth)
}

// TestAgent tests checked agent values ("Test agent"), nothing saved.
func (e *Engine) TestAgent(ctx context.Context, c Checked, o TestOptions) AgentOutcome {
	out := AgentOutcome{Checked: c, Hop: c.Name}
	cfg, err := e.agentConfig(c.Values, 0)
	var r connectors.Result
	if err != nil {
		r = connectors.Fail(connectors.CodeAgentUnavailable, e.Redact(err.Error()), "Check the agent's Jump through field: the agent it names must be saved, with its secrets.")
	} else {
		if o.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, o.Timeout)
			defer cancel()
		}
		if o.Progress != nil {
			o.Progress("Connecting to the agent " + cfg.Label()[6:] + "...")
		}
		got := agents.Test(ctx, e.pool(), cfg)
		r, out.HostKey, out.KnownHosts, out.Hop = got.Result, got.HostKey, got.KnownHosts, got.Hop
	}
	e.mask(&r)
	out.Result = &r
	e.d.Log.WithFields(map[string]any{"agent": c.Name, "code": string(r.Code), "duration": r.Duration.Round(time.Millisecond).String()}).Info("agent tested")
	return out
}

// AgentSaveOptions say how SaveAgent treats the draft.
type AgentSaveOptions struct {
	SaveOptions
	// AcceptHostKey pins this fingerprint (what the user saw and accepted
	// after host_key_unknown) before the test.
	AcceptHostKey string
}

// SaveAgent checks, tests (unless NoVerify) and saves an agent; a test that
// fails saves nothing. An unknown host key fails with host_key_unknown and
// the fingerprint to accept; a host key accepted from known_hosts is pinned.
func (e *Engine) SaveAgent(ctx context.Context, d Draft, o AgentSaveOptions) (AgentOutcome, error) {
	s, err := e.agentStore()
	if err != nil {
		return AgentOutcome{}, err
	}
	var old *vault.Agent
	if o.Editing != "" {
		a, err := s.GetAgent(o.Editing)
		if err != nil {
			return AgentOutcome{}, err
		}
		old = &a
		if o.KeepSaved {
			if d.Values, err = e.overSaved(a, d.Values); err != nil {
				return AgentOutcome{}, err
			}
		}
	}
	if o.AcceptHostKey != "" {
		fp, ok := agents.NormalizeFingerprint(o.AcceptHostKey)
		if !ok {
			return AgentOutcome{}, &InputError{[]connectors.FieldError{{Key: agents.FieldHostKey, Label: "Host key",
				Message: "the key to accept is not a SHA-256 fingerprint (SHA256:… as the test showed it)"}}}
		}
		d.Values = d.Values.Clone()
		d.Values[agents.FieldHostKey] = fp
	}
	c, err := e.CheckAgent(d, o.Editing)
	if err != nil {
		return AgentOutcome{}, err
	}
	out := AgentOutcome{Checked: c, Hop: c.Name}
	ver := e.unverified(o.Reason)
	if !o.NoVerify {
		out = e.TestAgent(ctx, c, o.Test)
		if !out.Result.OK || ctx.Err() != nil {
			return out, nil
		}
		if out.KnownHosts && c.Values.String(agents.FieldHostKey) == "" && out.HostKey != "" {
			c.Values[agents.FieldHostKey] = out.HostKey // pinned from now on: a change is never accepted silently
			out.Checked = c
		}
		ver = e.verdict(*out.Result)
	}
	plain, secrets := c.Info.SplitSecrets(c.Values)
	a := vault.Agent{Name: c.Name, Values: plain, Last: &ver}
	opts := vault.SaveOptions{}
	if old != nil {
		opts.Replace = old.Name
	}
	saved, err := s.SaveAgent(a, secrets, opts)
	if err != nil {
		return out, err
	}
	out.Saved, out.Agent = true, saved
	e.announce(saveChange(KindAgent, o.Editing, saved.Name))
	e.d.Log.WithFields(map[string]any{"agent": saved.Name, "verified": !ver.Unverified}).Info("agent saved")
	return out, nil
}

// TestSavedAgent tests the saved agent name and records the outcome.
func (e *Engine) TestSavedAgent(ctx context.Context, name string, o TestOptions) (AgentOutcome, error) {
	s, err := e.agentStore()
	if err != nil {
		return AgentOutcome{}, err
	}
	a, err := s.GetAgent(name)
	if err != nil {
		return AgentOutcome{}, err
	}
	secrets, err := e.d.Store.Secrets(a)
	var out AgentOutcome
	if err != nil {
		r := e.failed(connectors.CodeKeychain, err, "Unlock the keychain and test again, or edit the agent and enter its secrets again.")
		out = AgentOutcome{Result: &r, Hop: a.Name}
	} else {
		values := a.Values.Clone()
		for k, v := range secrets {
			values[k] = v
		}
		e.addSecretsOf(AgentInfo(), values)
		out = e.TestAgent(ctx, Checked{Info: AgentInfo(), Name: a.Name, Values: values}, o)
	}
	if out.Result.Code != connectors.CodeCanceled {
		if err := s.RecordAgent(a.Name, e.verdict(*out.Result)); err != nil {
			e.d.Log.WithError(err).WithField("agent", a.Name).Warn("could not record the agent's test")
		} else {
			e.announce(Change{Kind: KindAgent, Op: TestRecorded, Name: a.Name})
		}
	}
	return out, nil
}

// DeleteAgent removes an agent no connection uses (a *vault.InUseError
// names the ones that do).
func (e *Engine) DeleteAgent(name string) error {
	s, err := e.agentStore()
	if err != nil {
		return err
	}
	if err := s.DeleteAgent(name); err != nil {
		return err
	}
	e.d.Log.WithField("agent", name).Info("agent deleted")
	e.announce(Change{Kind: KindAgent, Op: Deleted, Name: name})
	return nil
}

// pool is the shared SSH clients of the agents.
func (e *Engine) pool() *agents.Pool { return e.d.Pool }

// throughAgent sets client to reach the store through the connection's
// agent; without one, the test cannot run (never a direct connection).
func (e *Engine) throughAgent(values connectors.Values, client *connectors.ClientOptions) *connectors.Result {
	if values.String(connectors.FieldMode) != connectors.ModeOnPremise {
		return nil
	}
	name := values.String(connectors.FieldAgent)
	cfg, err := e.savedAgentConfig(name, 0)
	if err != nil {
		msg := fmt.Sprintf("The agent %q cannot be used: %v.", name, e.Redact(err.Error()))
		hint := "Choose another agent in the connection, or add this one under Resources > Agents (storelink agent create)."
		if errors.Is(err, vault.ErrAgentNotFound) {
			msg = fmt.Sprintf("The agent %q no longer exists.", name)
		} else if errors.Is(err, vault.ErrKeychainUnavailable) || errors.Is(err, vault.ErrSecretNotFound) {
			hint = "Unlock the keychain, or edit the agent and enter its secrets again."
		}
		r := connectors.Fail(connectors.CodeAgentUnavailable, msg, hint)
		return &r
	}
	client.Dial = e.pool().Dialer(cfg)
	client.NoProxy = true // the agent reaches the store; a local proxy cannot
	return nil
}
