package cli

// help.go: `storelink help` and `storelink help APP`. What they say about
// fields comes from the fields' declarations (connectors.Field), the same
// the window's form is built from, so the two cannot drift.

import (
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/engine"
)

const usageCommands = `Usage: storelink [--log-level LEVEL] COMMAND [ARGS]

With no command, storelink opens the window.

Commands:
  apps [--json]                       list application IDs and titles
  list [--json]                       list saved connections (no secrets)
  create --app ID --name NAME [--mode cloud|on-premise] [--agent NAME]
         [--set FIELD=VALUE]... [--secrets-stdin] [--no-verify] [--json]
                                      test, then save a connection; secrets are read
                                      as one JSON object from standard input
  edit NAME [--set FIELD=VALUE]... [--secrets-stdin] [--rename NEW]
         [--no-verify] [--keep-secrets-for-new-address] [--json]
                                      change a saved connection, test, then save;
                                      secrets not given keep their saved values, and
                                      go to a changed store address (host, port, path
                                      or scheme) only with --keep-secrets-for-new-address
  test NAME... | --all [--json] [--timeout DURATION] [--force] [--parallel N]
                                      test saved connections, N at once (default 8),
                                      each within its concurrency level
  history NAME [--limit N] [--json]   the last tests of a saved connection, oldest first
                                      (JSON lines: time outcome code duration_ms trigger)
`

const usageAgentCreate = `                                      test, then save an on-premise agent (SSH)
`

const usageOthers = `  agent list [--json] | agent test NAME... [--json] | agent delete NAME
  agent edit NAME [--set FIELD=VALUE]... [--secrets-stdin] [--rename NEW]
         [--accept-host-key SHA256:...] [--no-verify] [--json]
  api NAME [METHOD] PATH [-f KEY=VALUE]... [--input FILE|-] [-H 'NAME: VALUE']...
         [-i] [--silent] [--verbose] [--paginate] [--output FILE] [--raw]
         [--yes] [--force] [--timeout DURATION]
                                      one request of the store's API, signed with the
                                      saved credentials; writes need --yes or a "y"
  probe NAME [--level N] [--json]     check that the store sustains N requests at once
                                      (default: the connection's concurrency level)
  delete NAME                         delete a connection and its keychain items
  doctor [--json]                     check the keychain, settings, journal, logs
                                      and certificates; cleans what crashes left
  export FILE [--with-secrets] [--passphrase-stdin]
                                      write every connection and agent to FILE (a new
                                      file); with secrets, encrypted with a passphrase
  import FILE [--on-conflict skip|rename|replace] [--passphrase-stdin]
                                      add a file's connections and agents, unverified;
                                      a name already saved is refused unless told
  watch [--every DURATION] [--once] [--json]
                                      re-test what was last tested longer ago than
                                      DURATION (default 1h), a few at a time; print
                                      each change of state; --once: one round
  exec [--no-masking] NAME... -- COMMAND [ARGS...]
                                      run COMMAND with the connections' settings and
                                      secrets in its environment, its output masked
                                      (storelink help exec lists the variables)
  codes [--json]                      list the failure codes
  help [APP|agent|exec]               what each field of an application (or of an
                                      agent) means; exec: its variables
  version                             print the version
`

const usageTail = `
Exit status: 0 all good, 1 a test or operation failed, 2 invalid usage or input.
Settings and logs live in $STORELINK_HOME (default: your config folder/storelink).
`

// Where help text wraps, and where continued command lines start.
const (
	helpWidth   = 78
	summaryAt   = 38
	continuedAt = 9
)

// usage lists the commands, the platforms' own commands among them, and
// every form's field keys.
func usage(reg *connectors.Registry) string {
	var b strings.Builder
	b.WriteString(usageCommands)
	agent := engine.AgentInfo()
	words := append([]string{"agent create --name NAME"}, setFlags(agent)...)
	words = append(words, "[--secrets-stdin]", "[--accept-host-key SHA256:...]", "[--no-verify]", "[--json]")
	b.WriteString(wrap("  ", words, strings.Repeat(" ", continuedAt)))
	b.WriteString(usageAgentCreate)
	b.WriteString(usageOthers)
	for _, info := range reg.All() {
		for _, cmd := range info.Commands {
			writeCommand(&b, info.ID, cmd)
		}
	}
	b.WriteString("\nFields for --set FIELD=VALUE (* a secret: only in the JSON object on standard\ninput, with --secrets-stdin); `storelink help APP` says what each one means:\n")
	for _, info := range append(reg.All(), agent) {
		keys := make([]string, len(info.Fields))
		for i, f := range info.Fields {
			keys[i] = f.Key
			if f.IsSecret() {
				keys[i] += "*"
			}
		}
		b.WriteString(wrap(fmt.Sprintf("  %-12s", info.ID), keys, strings.Repeat(" ", 14)))
	}
	b.WriteString(usageTail)
	return b.String()
}

// writeCommand writes one platform command with its summary at summaryAt.
func writeCommand(b *strings.Builder, app string, cmd connectors.Command) {
	line := "  " + app + " " + cmd.Name
	if cmd.Args != "" {
		line += " " + cmd.Args
	}
	if len(line) < summaryAt {
		fmt.Fprintf(b, "%-*s%s\n", summaryAt, line, cmd.Summary)
	} else {
		fmt.Fprintf(b, "%s\n%*s%s\n", line, summaryAt, "", cmd.Summary)
	}
}

// setFlags are the --set flags of a form's plain fields, as a usage line
// shows them: required ones bare, the others in brackets (name and secrets
// have their own flags).
func setFlags(info connectors.Info) []string {
	var out []string
	for _, f := range info.Fields {
		if f.IsSecret() || f.Key == connectors.FieldName {
			continue
		}
		flag := "--set " + f.Key + "=" + placeholder(f)
		if !f.Required || f.Default != "" || len(f.VisibleWhen) > 0 {
			flag = "[" + flag + "]"
		}
		out = append(out, flag)
	}
	return out
}

// placeholder stands for a field's value in a usage line.
func placeholder(f connectors.Field) string {
	switch {
	case len(f.Choices) > 0:
		return strings.Join(f.ChoiceValues(), "|")
	case f.ChoicesFrom == connectors.ChoicesAgents:
		return "AGENT"
	case f.ChoicesFrom == connectors.ChoicesConnections:
		return "CONNECTION"
	case f.Kind == connectors.KindNumber:
		return "N"
	}
	return strings.ToUpper(f.Key)
}

// help is `storelink help [TOPIC]`: the usage, or every field of one form.
func help(env Env, args []string) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(env.Stdout, usage(env.Registry))
		return ExitOK
	case len(args) > 1:
		fmt.Fprintln(env.Stderr, "storelink: help takes one application ID or agent (see `storelink apps`)")
		return ExitInvalid
	}
	if args[0] == "exec" {
		fmt.Fprint(env.Stdout, execHelp(env.Registry))
		return ExitOK
	}
	info, ok := env.Registry.Lookup(args[0])
	if agent := engine.AgentInfo(); args[0] == agent.ID {
		info, ok = agent, true
	}
	if !ok {
		fmt.Fprintf(env.Stderr, "storelink: help: no application is called %q; give an ID that `storelink apps` lists, or agent\n", connectors.Printable(args[0]))
		return ExitInvalid
	}
	fmt.Fprint(env.Stdout, formHelp(info))
	return ExitOK
}

// formHelp says what each field of info means, as the form's hints do.
func formHelp(info connectors.Info) string {
	var b strings.Builder
	b.WriteString(wrap("", strings.Fields(fmt.Sprintf("%s (%s): %s", info.Title, info.ID, info.Description)), "  "))
	if len(info.Commands) > 0 {
		b.WriteString("\nCommands:\n")
		for _, cmd := range info.Commands {
			writeCommand(&b, info.ID, cmd)
		}
	}
	b.WriteString("\nFields, for --set FIELD=VALUE; secrets only in the JSON object on standard\ninput, with --secrets-stdin:\n")
	const at = 28
	indent := strings.Repeat(" ", at)
	for _, f := range info.Fields {
		b.WriteString(wrap(fmt.Sprintf("  %-*s", at-3, f.Key), strings.Fields(fieldFacts(f)), indent[1:]))
		if h := strings.TrimSpace(f.Help); h != "" {
			b.WriteString(wrap(indent[1:], strings.Fields(h), indent[1:]))
		}
	}
	return b.String()
}

// fieldFacts is a field's label and what it takes, in one sentence.
func fieldFacts(f connectors.Field) string {
	facts := []string{f.Label + takes(f)}
	if f.Default != "" {
		facts = append(facts, "default "+f.Default)
	}
	switch {
	case f.Required:
		facts = append(facts, "required")
	case len(f.RequiredWhen) > 0:
		facts = append(facts, "required when "+conditions(f.RequiredWhen))
	}
	if len(f.VisibleWhen) > 0 && !sameConditions(f.VisibleWhen, f.RequiredWhen) {
		facts = append(facts, "only when "+conditions(f.VisibleWhen))
	}
	if f.IsSecret() {
		facts = append(facts, "secret: standard input only")
	}
	if f.Advanced {
		facts = append(facts, "advanced")
	}
	return strings.Join(facts, "; ") + "."
}

// takes says what values a field accepts, after its label ("" for text).
func takes(f connectors.Field) string {
	switch {
	case len(f.Choices) > 0:
		values := make([]string, len(f.Choices))
		for i, c := range f.Choices {
			values[i] = c.Value
			if !strings.EqualFold(c.Label, c.Value) {
				values[i] += " (" + c.Label + ")"
			}
		}
		return ": " + orList(values)
	case f.ChoicesFrom == connectors.ChoicesAgents:
		return ": the name of a saved agent"
	case f.ChoicesFrom == connectors.ChoicesConnections:
		return ": the name of another saved connection"
	case f.Kind == connectors.KindNumber && f.Max > 0:
		return fmt.Sprintf(": a number from %d to %d", f.Min, f.Max)
	case f.Kind == connectors.KindNumber:
		return ": a number"
	case f.Kind == connectors.KindBool:
		return ": true or false"
	case f.Kind == connectors.KindFile:
		return ": a file's path"
	case f.Kind == connectors.KindURL:
		return ": an address"
	case f.Kind == connectors.KindMultilineSecret:
		return ": text that may span lines"
	}
	return ""
}

// conditions says when all of cs hold: "mode is on-premise".
func conditions(cs []connectors.Condition) string {
	words := make([]string, len(cs))
	for i, c := range cs {
		words[i] = c.Field + " is " + orList(c.Values)
	}
	return strings.Join(words, " and ")
}

func sameConditions(a, b []connectors.Condition) bool {
	return conditions(a) == conditions(b)
}

// orList joins "a", "b" and "c" as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// wrap puts words into lines of at most helpWidth: the first starts with
// start, the others with rest; a word longer than a line stays whole.
func wrap(start string, words []string, rest string) string {
	var b strings.Builder
	line, fresh := start, true
	for _, word := range words {
		if !fresh && len(line)+1+len(word) > helpWidth {
			b.WriteString(line + "\n")
			line, fresh = rest, true
		}
		if !fresh || !strings.HasSuffix(line, " ") && line != "" {
			line += " "
		}
		line += word
		fresh = false
	}
	b.WriteString(line + "\n")
	return b.String()
}
