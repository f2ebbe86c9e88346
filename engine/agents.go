package engine

// agents.go: on-premise agents (SSH servers that reach stores behind a
// firewall) as a kind: their descriptor (one form, jump agents as a
// reference, the accepted host key), the agent methods the front ends call,
// each a line over the kind's flow, and the dialer on-premise connections
// send all their traffic through. Host keys are pinned, never bypassed: an
// unknown one is shown for the user to accept.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"storelink/agents"
	"storelink/connectors"
	"storelink/vault"
)

// AgentStore is what the engine needs of the vault for agents.
type AgentStore interface {
	ListAgents() ([]vault.Agent, error)
	GetAgent(name string) (vault.Agent, error)
	SaveAgent(a vault.Agent, secrets connectors.Values, opts vault.SaveOptions) (vault.Agent, error)
	DeleteAgent(name string) error
	RecordManyAgents(vs map[string]vault.Verification, follow vault.Follow) error
}

// AgentInfo is the agent form, as a platform's Info (no common fields).
func AgentInfo() connectors.Info {
	return connectors.Info{ID: "agent", Title: "Agent", Description: "An SSH server that reaches stores behind a firewall.", Fields: agents.Fields()}
}

func (e *Engine) agentKind() Kind {
	return Kind{ID: KindAgent, Noun: "agent", Article: "an", Form: AgentInfo(), Store: agentRecords{e.d.Store},
		NotFound: vault.ErrAgentNotFound, ListHint: "See the saved agents with `storelink agent list`.",
		Test: e.testAgent,
		Refs: []Ref{{Field: agents.FieldVia, To: KindAgent, Follow: true, Circle: "jumping would go round in a circle ({chain})"}},
		Accept: &Accept{Field: agents.FieldHostKey, Normalize: agents.NormalizeFingerprint,
			Invalid: "the key to accept is not a SHA-256 fingerprint (SHA256:… as the test showed it)"}}
}

// agentRecords are the store's agents as a kind's Records.
type agentRecords struct{ s Store }

func (a agentRecords) List() ([]vault.Connection, error)         { return a.s.ListAgents() }
func (a agentRecords) Get(name string) (vault.Connection, error) { return a.s.GetAgent(name) }
func (a agentRecords) Delete(name string) error                  { return a.s.DeleteAgent(name) }
func (a agentRecords) Save(c vault.Connection, secrets connectors.Values, o vault.SaveOptions) (vault.Connection, error) {
	return a.s.SaveAgent(c, secrets, o)
}
func (a agentRecords) Secrets(c vault.Connection) (connectors.Values, error) { return a.s.Secrets(c) }
func (a agentRecords) SecretsMany(cs []vault.Connection) map[string]vault.SecretsRead {
	return a.s.SecretsMany(cs)
}
func (a agentRecords) RecordMany(vs map[string]vault.Verification, follow vault.Follow) error {
	return a.s.RecordManyAgents(vs, follow)
}

// AgentDetail is an agent test's own account, in Trial.Detail.
type AgentDetail struct {
	// HostKey is the fingerprint the server showed: after host_key_unknown,
	// the one to accept. KnownHosts says it was accepted from known_hosts.
	HostKey    string
	KnownHosts bool
	// Hop is the agent the result is about (a jump agent that failed).
	Hop string
}

// testAgent connects to the agent (through its jump agents, read from the
// store with their secrets) and says how its host key was found.
func (e *Engine) testAgent(ctx context.Context, run TestRun) Trial {
	cfg, err := e.agentConfig(run.Values)
	if err != nil {
		return Trial{Result: connectors.Fail(connectors.CodeAgentUnavailable, e.Redact(err.Error()),
			"Check the agent's Jump through field: the agent it names must be saved, with its secrets.")}
	}
	run.Options.Progress("Connecting to the agent " + cfg.Label()[6:] + "...")
	got := agents.Test(ctx, e.pool(), cfg)
	t := Trial{Result: got.Result, Detail: AgentDetail{HostKey: got.HostKey, KnownHosts: got.KnownHosts, Hop: got.Hop}}
	if got.KnownHosts && got.HostKey != "" {
		t.Learned = connectors.Values{agents.FieldHostKey: got.HostKey}
	}
	return t
}

// ListAgents returns the saved agents sorted by name.
func (e *Engine) ListAgents() ([]vault.Agent, error) { return e.Of(KindAgent).List() }

// GetAgent returns the saved agent called name (vault.ErrAgentNotFound).
func (e *Engine) GetAgent(name string) (vault.Agent, error) { return e.Of(KindAgent).Get(name) }

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

// agentOutcome is the generic outcome in the agent's words.
func agentOutcome(out Outcome) AgentOutcome {
	a := AgentOutcome{Checked: out.Checked, Result: out.Result, Hop: out.Checked.Name, Saved: out.Saved, Agent: out.Connection}
	if d, ok := out.Detail.(AgentDetail); ok {
		a.HostKey, a.KnownHosts = d.HostKey, d.KnownHosts
		if d.Hop != "" {
			a.Hop = d.Hop
		}
	}
	return a
}

// CheckAgent fills in defaults, tidies and validates an agent's values; the
// name must not belong to another agent than editing, and via must name a
// saved agent without going round in a circle.
func (e *Engine) CheckAgent(d Draft, editing string) (Checked, error) {
	return e.Of(KindAgent).Check(d, editing)
}

// agentConfig turns values into an agent's Config, its jump agents (the
// via chain, followed as Check follows it) read from the store with their
// secrets.
func (e *Engine) agentConfig(values connectors.Values) (agents.Config, error) {
	cfg := agents.ConfigFromValues(values)
	r := e.Of(KindAgent)
	jumps, err := e.follow(walk{ref: r.k.Refs[0], from: Checked{Info: r.k.Form, Name: cfg.Name, Values: values}, find: e.lookup})
	if err != nil {
		return cfg, err
	}
	hop := &cfg
	for _, j := range jumps {
		v, err := r.withSecrets(j, nil)
		if err != nil {
			return cfg, err
		}
		e.addSecretsOf(r.k.Form, v)
		next := agents.ConfigFromValues(v)
		hop.Via = &next
		hop = hop.Via
	}
	return cfg, nil
}

// savedAgentConfig reads the saved agent name with its secrets.
func (e *Engine) savedAgentConfig(name string) (agents.Config, error) {
	r := e.Of(KindAgent)
	a, err := r.Get(name)
	if err != nil {
		return agents.Config{}, err
	}
	values, err := r.withSecrets(a, nil)
	if err != nil {
		return agents.Config{}, err
	}
	e.addSecretsOf(r.k.Form, values)
	return e.agentConfig(values)
}

// TestAgent tests checked agent values ("Test agent"), nothing saved.
func (e *Engine) TestAgent(ctx context.Context, c Checked, o TestOptions) AgentOutcome {
	t := e.Of(KindAgent).Test(ctx, c, o)
	return agentOutcome(Outcome{Checked: c, Result: &t.Result, Detail: t.Detail})
}

// AgentSaveOptions say how SaveAgent treats the draft.
type AgentSaveOptions struct {
	SaveOptions
	// AcceptHostKey pins this fingerprint (what the user saw and accepted
	// after host_key_unknown) before the test; it is SaveOptions.Accept.
	AcceptHostKey string
}

// SaveAgent checks, tests (unless NoVerify) and saves an agent; a test that
// fails saves nothing. An unknown host key fails with host_key_unknown and
// the fingerprint to accept; a host key accepted from known_hosts is pinned.
func (e *Engine) SaveAgent(ctx context.Context, d Draft, o AgentSaveOptions) (AgentOutcome, error) {
	if o.AcceptHostKey != "" {
		o.Accept = o.AcceptHostKey
	}
	out, err := e.Of(KindAgent).Save(ctx, d, o.SaveOptions)
	return agentOutcome(out), err
}

// TestSavedAgent tests the saved agent name and records the outcome.
func (e *Engine) TestSavedAgent(ctx context.Context, name string, o TestOptions) (AgentOutcome, error) {
	t, err := e.Of(KindAgent).testSaved(ctx, name, o)
	if err != nil {
		return AgentOutcome{}, err
	}
	return agentOutcome(Outcome{Checked: Checked{Info: AgentInfo(), Name: t.Name}, Result: &t.Result, Detail: t.Detail}), err
}

// DeleteAgent removes an agent no connection uses (a *vault.InUseError
// names the ones that do).
func (e *Engine) DeleteAgent(name string) error { return e.Of(KindAgent).Delete(name) }

// pool is the shared SSH clients of the agents.
func (e *Engine) pool() *agents.Pool { return e.d.Pool }

// DetailAgent labels the technical detail naming the agent (and its jump
// agents) that carried an on-premise connection's test.
const DetailAgent = "Through agent"

// throughAgent sets client to reach the store through the connection's
// agent and says which agents carry it ("Office (via Jump)"); without one,
// the test cannot run (never a direct connection).
func (e *Engine) throughAgent(values connectors.Values, client *connectors.ClientOptions) (route string, fail *connectors.Result) {
	if values.String(connectors.FieldMode) != connectors.ModeOnPremise {
		return "", nil
	}
	name := values.String(connectors.FieldAgent)
	cfg, err := e.savedAgentConfig(name)
	if err != nil {
		msg := fmt.Sprintf("The agent %q cannot be used: %v.", name, e.Redact(err.Error()))
		hint := "Choose another agent in the connection, or add this one under Resources > Agents (storelink agent create)."
		if errors.Is(err, vault.ErrAgentNotFound) {
			msg = fmt.Sprintf("The agent %q no longer exists.", name)
		} else if errors.Is(err, vault.ErrKeychainUnavailable) || errors.Is(err, vault.ErrSecretNotFound) {
			hint = "Unlock the keychain, or edit the agent and enter its secrets again."
		}
		r := connectors.Fail(connectors.CodeAgentUnavailable, msg, hint)
		return "", &r
	}
	client.Dial = e.pool().Dialer(cfg)
	client.NoProxy = true // the agent reaches the store; a local proxy cannot
	return agentRoute(cfg), nil
}

// agentRoute names the agent and the jump agents before it, in the order
// this computer reaches them: "Office (via Edge, then Jump)".
func agentRoute(cfg agents.Config) string {
	var hops []string
	for hop := cfg.Via; hop != nil; hop = hop.Via {
		hops = append([]string{hop.Name}, hops...)
	}
	if len(hops) == 0 {
		return cfg.Name
	}
	return connectors.Text("{agent} (via {hops})", "agent", cfg.Name, "hops", strings.Join(hops, ", then "))
}
