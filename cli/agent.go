package cli

// agent.go: on-premise agents (SSH servers that reach stores behind a
// firewall) as a kind: storelink agent create, edit, list, test and delete,
// over the engine's flow for agents.

import (
	"fmt"

	"storelink/agents"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func agentKind() kind {
	return kind{
		id: engine.KindAgent, noun: "agent", prefix: "agent ",
		own:  oneForm(engine.AgentInfo(), agents.FieldHostKey),
		line: agentLine, tested: testedAgent,
		columns: []int{20, 32},
		empty:   "No agents yet. Add one with `storelink agent create` or in the window (Resources > Agents).",
	}
}

// agentOutput is one line of `agent test --json` (and create/edit --json);
// the keys are a public contract.
type agentOutput struct {
	Name       string          `json:"name"`
	OK         bool            `json:"ok"`
	Code       connectors.Code `json:"code"`
	Message    string          `json:"message"`
	Hint       string          `json:"hint"`
	HostKey    string          `json:"host_key"`
	Server     string          `json:"server"` // the SSH server's version string
	DurationMS int64           `json:"duration_ms"`
}

// testedAgent says, after the words, which host key to check and accept.
func testedAgent(out engine.Tested) tested {
	r := out.Result
	d, _ := out.Detail.(engine.AgentDetail)
	t := tested{name: out.Name, result: r, json: agentOutput{Name: out.Name, OK: r.OK, Code: r.Code,
		Message: r.Message, Hint: r.Hint, HostKey: d.HostKey, Server: r.Server.Version, DurationMS: r.Duration.Milliseconds()}}
	switch {
	case r.Code == connectors.CodeHostKeyUnknown && d.HostKey != "":
		t.advice = fmt.Sprintf("The server's host key is %s. Check it (on the server: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub), then accept it with --accept-host-key %s", d.HostKey, d.HostKey)
	case d.KnownHosts:
		t.advice = fmt.Sprintf("The host key %s was accepted from known_hosts and is pinned from now on.", d.HostKey)
	}
	return t
}

// agentLine shows where the agent is: user@host, and the port if not 22.
func agentLine(a vault.Agent) (listed, []string) {
	addr := a.Values[agents.FieldUser] + "@" + a.Values[agents.FieldHost]
	if p := a.Values[agents.FieldPort]; p != "" && p != "22" {
		addr += ":" + p
	}
	return listedOf(a), []string{addr}
}
