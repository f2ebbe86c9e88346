package cli

// agent.go: `storelink agent …`, on-premise agents (SSH servers that reach
// stores behind a firewall) from the command line, through the engine.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"storelink/agents"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func cmdAgent(ctx context.Context, c *call, args []string) error {
	if len(args) == 0 {
		return usagef("usage: storelink agent create|list|test|edit|delete ...")
	}
	switch args[0] {
	case "create":
		return cmdAgentSave(ctx, c, "", args[1:])
	case "edit":
		if len(args) < 2 || strings.HasPrefix(args[1], "-") {
			return usagef("agent edit takes the agent's name first (see `storelink agent list`)")
		}
		return cmdAgentSave(ctx, c, args[1], args[2:])
	case "list":
		return cmdAgentList(c, args[1:])
	case "test":
		return cmdAgentTest(ctx, c, args[1:])
	case "delete":
		return cmdAgentDelete(c, args[1:])
	}
	return usagef("agent: unknown subcommand %q (create, list, test, edit or delete)", args[0])
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

func (c *call) reportAgent(name string, out engine.AgentOutcome, asJSON bool) error {
	r := out.Result
	if asJSON {
		return c.printJSON(agentOutput{Name: name, OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
			HostKey: out.HostKey, Server: r.Server.Version, DurationMS: r.Duration.Milliseconds()})
	}
	if err := c.report(name, "agent", *r, false); err != nil {
		return err
	}
	switch {
	case r.Code == connectors.CodeHostKeyUnknown && out.HostKey != "":
		fmt.Fprintf(c.env.Stdout, "       The server's host key is %s. Check it (on the server: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub), then accept it with --accept-host-key %s\n", out.HostKey, out.HostKey)
	case out.KnownHosts:
		fmt.Fprintf(c.env.Stdout, "       The host key %s was accepted from known_hosts and is pinned from now on.\n", out.HostKey)
	}
	return nil
}

func cmdAgentSave(ctx context.Context, c *call, editing string, args []string) error {
	verb := "agent create"
	if editing != "" {
		verb = "agent edit"
	}
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	name := fs.String("name", "", "")
	rename := fs.String("rename", "", "")
	accept := fs.String("accept-host-key", "", "")
	sf := newSaveFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s takes no more positional arguments (got %q); use --set", verb, pos[0])
	}
	info := engine.AgentInfo()
	values, err := sf.values(c, info)
	if err != nil {
		return err
	}
	o := engine.AgentSaveOptions{SaveOptions: sf.options(), AcceptHostKey: *accept}
	if editing == "" {
		if *rename != "" {
			return usagef("--rename is for agent edit; use --name")
		}
		values[agents.FieldName] = *name
	} else {
		if *name != "" {
			return usagef("--name is for agent create; use --rename")
		}
		if *rename != "" {
			values[agents.FieldName] = *rename
		}
		o.Editing, o.KeepSaved = editing, true
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	out, err := eng.SaveAgent(ctx, engine.Draft{Values: values}, o)
	if errors.Is(err, vault.ErrAgentNotFound) {
		return usagef("no saved agent is called %q (see `storelink agent list`)", editing)
	}
	if err != nil {
		return c.saveError(engine.Draft{}, err)
	}
	for _, n := range out.Checked.Notes {
		fmt.Fprintln(c.env.Stderr, "note:", connectors.Printable(n))
	}
	if out.Result != nil {
		if err := c.reportAgent(out.Checked.Name, out, *sf.asJSON); err != nil {
			return err
		}
	}
	if !out.Saved {
		return failedError{msg: "the agent was not saved because its test failed (use --no-verify to save it unverified)"}
	}
	fmt.Fprintf(c.env.Stderr, "Saved agent %q.\n", out.Agent.Name)
	return nil
}

// listedAgent is one line of `agent list --json`: no secrets, ever.
type listedAgent struct {
	Name         string              `json:"name"`
	Values       connectors.Values   `json:"values"`
	SecretFields []string            `json:"secret_fields"`
	Last         *vault.Verification `json:"last_verification"`
	Updated      time.Time           `json:"updated"`
}

func cmdAgentList(c *call, args []string) error {
	fs := flag.NewFlagSet("agent list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("agent list takes no arguments")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	as, err := eng.ListAgents()
	if err != nil {
		return err
	}
	out := make([]listedAgent, 0, len(as))
	for _, a := range as {
		sf := a.SecretKeys
		if sf == nil {
			sf = []string{}
		}
		out = append(out, listedAgent{a.Name, a.Values, sf, a.Last, a.Updated})
	}
	if *asJSON {
		return c.printJSON(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(c.env.Stdout, "No agents yet. Add one with `storelink agent create` or in the window (Resources > Agents).")
		return nil
	}
	for _, a := range out {
		addr := a.Values[agents.FieldUser] + "@" + a.Values[agents.FieldHost]
		if p := a.Values[agents.FieldPort]; p != "" && p != "22" {
			addr += ":" + p
		}
		status := "untested"
		if a.Last != nil && !a.Last.Unverified {
			status = string(a.Last.Code) + " " + a.Last.At.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(c.env.Stdout, "%-20s %-32s %s\n", connectors.Printable(a.Name), connectors.Printable(addr), status)
	}
	return nil
}

func cmdAgentTest(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("agent test", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 0, "")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return usagef("agent test takes agent names (see `storelink agent list`)")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	failed := 0
	for _, n := range names {
		out, err := eng.TestSavedAgent(ctx, n, engine.TestOptions{Timeout: *timeout})
		if errors.Is(err, vault.ErrAgentNotFound) {
			return usagef("no saved agent is called %q (see `storelink agent list`)", n)
		}
		if err != nil {
			return err
		}
		if !out.Result.OK {
			failed++
		}
		if err := c.reportAgent(n, out, *asJSON); err != nil {
			return err
		}
	}
	if failed > 0 {
		return failedError{msg: fmt.Sprintf("%d of %d agent tests failed", failed, len(names)), silent: true}
	}
	return nil
}

func cmdAgentDelete(c *call, args []string) error {
	fs := flag.NewFlagSet("agent delete", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("agent delete takes one agent name")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	err = eng.DeleteAgent(pos[0])
	var inUse *vault.InUseError
	switch {
	case errors.Is(err, vault.ErrAgentNotFound):
		return usagef("no saved agent is called %q (see `storelink agent list`)", pos[0])
	case errors.As(err, &inUse):
		return failedError{msg: "not deleted: " + err.Error()}
	case err != nil:
		return err
	}
	fmt.Fprintf(c.env.Stdout, "Deleted agent %q and its keychain items.\n", pos[0])
	return nil
}
