package vault

// agents.go: on-premise agents (SSH servers that reach stores behind a
// firewall) are kept like connections, in the same file under the same
// lock, their secrets in the keychain; a rename updates the connections that
// go through the agent in the same write.

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"storelink/connectors"
	"storelink/names"
)

// Agent is a saved agent without its secrets; App is unused.
type Agent = Connection

// ErrAgentNotFound: no saved agent has that name.
var ErrAgentNotFound = errors.New("no saved agent has that name")

// InUseError refuses to delete an agent that connections go through.
type InUseError struct {
	Agent       string
	Connections []string
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("the agent %q is used by %s; change their agent or delete them first", e.Agent, quoteAll(e.Connections))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// agentUsers lists the connections (and agents, through via) that use agent.
func agentUsers(f file, agent string) []string {
	var out []string
	for _, c := range f.Connections {
		if names.Equal(c.Values[connectors.FieldAgent], agent) {
			out = append(out, c.Name)
		}
	}
	for _, a := range f.Agents {
		if names.Equal(a.Values[FieldVia], agent) {
			out = append(out, "agent "+a.Name)
		}
	}
	sort.Strings(out)
	return out
}

// FieldVia is the agent field naming the agent to jump through.
const FieldVia = "via"

func renameAgentUses(f *file, from, to string) {
	for i := range f.Connections {
		if names.Equal(f.Connections[i].Values[connectors.FieldAgent], from) {
			f.Connections[i].Values[connectors.FieldAgent] = to
		}
	}
	for i := range f.Agents {
		if names.Equal(f.Agents[i].Values[FieldVia], from) {
			f.Agents[i].Values[FieldVia] = to
		}
	}
}

// Agents lists the names of the saved agents, sorted.
func (v *Vault) Agents() ([]string, error) {
	as, err := v.ListAgents()
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return names, err
}

// ListAgents returns the saved agents sorted by name.
func (v *Vault) ListAgents() ([]Agent, error) {
	f, err := v.read()
	return f.Agents, err
}

// GetAgent returns the agent called name.
func (v *Vault) GetAgent(name string) (Agent, error) {
	f, err := v.read()
	if err != nil {
		return Agent{}, err
	}
	if i := find(f.Agents, name); i >= 0 {
		return f.Agents[i], nil
	}
	return Agent{}, fmt.Errorf("%q: %w", name, ErrAgentNotFound)
}

// SaveAgent stores an agent and its secrets all-or-nothing, like Save; a
// rename updates the connections and agents that go through it.
func (v *Vault) SaveAgent(a Agent, secrets connectors.Values, opts SaveOptions) (Agent, error) {
	return v.save(agentsKind, a, secrets, opts)
}

// DeleteAgent removes an agent that no connection or agent goes through
// (an *InUseError names them), then its keychain items.
func (v *Vault) DeleteAgent(name string) error { return v.delete(agentsKind, name) }

// RecordAgent stores the outcome of a test of agent name.
func (v *Vault) RecordAgent(name string, ver Verification) error {
	return v.record(agentsKind, name, ver)
}

// RecordManyAgents stores several agents' outcomes in one write, as
// RecordMany does for connections; a name no longer saved is skipped.
func (v *Vault) RecordManyAgents(vs map[string]Verification, follow Follow) error {
	return v.recordMany(agentsKind, vs, follow)
}
