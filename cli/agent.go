package cli

// agent.go: on-premise agents (SSH servers that reach stores behind a
// firewall) as a kind: storelink agent create, edit, list, test and delete
// call the engine's agent methods through it.

import (
	"context"
	"flag"
	"fmt"

	"storelink/agents"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func cmdAgent(ctx context.Context, c *call, args []string) error {
	if len(args) == 0 {
		return usagef("usage: storelink agent create|list|test|edit|delete ...")
	}
	k := agentKind()
	sub := map[string]command{"create": k.create, "edit": k.edit, "list": k.listCommand, "test": k.testCommand, "delete": k.deleteCommand}
	if cmd, ok := sub[args[0]]; ok {
		return cmd(ctx, c, args[1:])
	}
	return usagef("agent: unknown subcommand %q (create, list, test, edit or delete)", args[0])
}

func agentKind() kind {
	return kind{
		noun: "agent", prefix: "agent ", missing: vault.ErrAgentNotFound,
		own: func(fs *flag.FlagSet, _ bool) func(*call, *request) error {
			accept := fs.String("accept-host-key", "", "")
			return func(_ *call, r *request) error {
				r.info, r.hostKey = engine.AgentInfo(), *accept
				return nil
			}
		},
		find: func(eng *engine.Engine, name string) (vault.Agent, error) { return eng.GetAgent(name) },
		form: func(*engine.Engine, string) (connectors.Info, error) { return engine.AgentInfo(), nil },
		save: func(ctx context.Context, eng *engine.Engine, r request) (saved, error) {
			out, err := eng.SaveAgent(ctx, engine.Draft{Values: r.values}, engine.AgentSaveOptions{SaveOptions: r.options, AcceptHostKey: r.hostKey})
			s := saved{checked: out.Checked, saved: out.Saved, name: out.Agent.Name}
			if out.Result != nil {
				t := testedAgent(out.Checked.Name, out)
				s.tested = &t
			}
			return s, err
		},
		list: func(eng *engine.Engine) ([]vault.Agent, error) { return eng.ListAgents() },
		line: agentLine,
		test: func(ctx context.Context, eng *engine.Engine, run testRun) ([]tested, error) {
			var all []tested
			for _, n := range run.names {
				out, err := eng.TestSavedAgent(ctx, n, run.options)
				if err != nil {
					return all, err
				}
				all = append(all, testedAgent(n, out))
			}
			return all, nil
		},
		delete:  func(eng *engine.Engine, name string) error { return eng.DeleteAgent(name) },
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
func testedAgent(name string, out engine.AgentOutcome) tested {
	r := *out.Result
	t := tested{name: name, result: r, json: agentOutput{Name: name, OK: r.OK, Code: r.Code,
		Message: r.Message, Hint: r.Hint, HostKey: out.HostKey, Server: r.Server.Version, DurationMS: r.Duration.Milliseconds()}}
	switch {
	case r.Code == connectors.CodeHostKeyUnknown && out.HostKey != "":
		t.advice = fmt.Sprintf("The server's host key is %s. Check it (on the server: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub), then accept it with --accept-host-key %s", out.HostKey, out.HostKey)
	case out.KnownHosts:
		t.advice = fmt.Sprintf("The host key %s was accepted from known_hosts and is pinned from now on.", out.HostKey)
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
