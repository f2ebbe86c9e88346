// Package cli is Storelink's command line: the same connectors and vault as
// the window, for scripts. Secrets come only from standard input.
package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"reflect"
	"sort"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/logging"
	"storelink/redact"
	"storelink/vault"
)

// Exit codes, part of the public contract.
const (
	ExitOK      = 0
	ExitFailed  = 1 // a test failed or an operation failed
	ExitInvalid = 2 // invalid usage or input
)

// Env is the outside world of one invocation; tests build their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Registry       *connectors.Registry
	// Setup builds the engine once a command needs saved connections or the log.
	Setup func(logLevel string) (*engine.Engine, error)
	// Context, when set, stops long commands (upgates serve) when done.
	Context context.Context
}

// usageError is bad usage or input: exit 2, message names the flag or field.
type usageError = connectors.UsageError

func usagef(format string, a ...any) error { return connectors.Usagef(format, a...) }

// failedError: an operation failed (exit 1); the message was printed already
// when silent.
type failedError struct {
	msg    string
	silent bool
}

func (e failedError) Error() string { return e.msg }

const usageHead = `Usage: storelink [--log-level LEVEL] COMMAND [ARGS]

With no command, storelink opens the window.

Commands:
  apps [--json]                       list application IDs and titles
  list [--json]                       list saved connections (no secrets)
  create --app ID --name NAME [--mode cloud|on-premise] [--agent NAME]
         [--set FIELD=VALUE]... [--secrets-stdin] [--no-verify] [--json]
                                      test, then save a connection; secrets are read
                                      as one JSON object from standard input
  edit NAME [--set FIELD=VALUE]... [--secrets-stdin] [--rename NEW]
         [--no-verify] [--json]       change a saved connection, test, then save;
                                      secrets not given keep their saved values
  test NAME... | --all [--json] [--timeout DURATION] [--force] [--parallel N]
                                      test saved connections, N at once (default 8),
                                      each within its concurrency level
  agent create --name NAME --set host=H --set user=U [--set port=P]
         [--set auth=key|password|ssh-agent] [--set via=AGENT] [--secrets-stdin]
         [--accept-host-key SHA256:...] [--no-verify] [--json]
                                      test, then save an on-premise agent (SSH)
  agent list [--json] | agent test NAME... [--json] | agent delete NAME
  agent edit NAME [--set FIELD=VALUE]... [--secrets-stdin] [--rename NEW]
         [--accept-host-key SHA256:...] [--no-verify] [--json]
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
  codes [--json]                      list the failure codes
  version                             print the version
`

const usageTail = `
Exit status: 0 all good, 1 a test or operation failed, 2 invalid usage or input.
Settings and logs live in $STORELINK_HOME (default: your config folder/storelink).
`

// usage lists the commands, the platforms' own commands among them.
func usage(reg *connectors.Registry) string {
	var b strings.Builder
	b.WriteString(usageHead)
	for _, info := range reg.All() {
		for _, cmd := range info.Commands {
			line := "  " + info.ID + " " + cmd.Name
			if cmd.Args != "" {
				line += " " + cmd.Args
			}
			if len(line) < 38 {
				fmt.Fprintf(&b, "%-38s%s\n", line, cmd.Summary)
			} else {
				fmt.Fprintf(&b, "%s\n%38s%s\n", line, "", cmd.Summary)
			}
		}
	}
	b.WriteString(usageTail)
	return b.String()
}

// command is one subcommand.
type command func(ctx context.Context, c *call, args []string) error

// call carries one invocation's state.
type call struct {
	env      Env
	logLevel string
	eng      *engine.Engine
}

// engine builds the engine on first use: commands that need no saved
// connection (apps, codes, version) never touch the keychain or the log.
func (c *call) engine() (*engine.Engine, error) {
	if c.eng != nil {
		return c.eng, nil
	}
	eng, err := c.env.Setup(c.logLevel)
	if err != nil {
		return nil, err
	}
	c.eng = eng
	return eng, nil
}

func commands() map[string]command {
	return map[string]command{
		"apps":    cmdApps,
		"list":    cmdList,
		"create":  cmdCreate,
		"edit":    cmdEdit,
		"test":    cmdTest,
		"delete":  cmdDelete,
		"probe":   cmdProbe,
		"doctor":  cmdDoctor,
		"agent":   cmdAgent,
		"codes":   cmdCodes,
		"export":  cmdExport,
		"import":  cmdImport,
		"version": cmdVersion,
	}
}

// Main runs one command line (without the program name) and returns the
// exit status.
func Main(args []string, env Env) int {
	c := &call{env: env}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "--log-level" || a == "-log-level":
			if len(args) < 2 {
				fmt.Fprintln(env.Stderr, "--log-level needs a value (debug, info, warn, error)")
				return ExitInvalid
			}
			c.logLevel, args = args[1], args[2:]
		case strings.HasPrefix(a, "--log-level="):
			c.logLevel, args = strings.TrimPrefix(a, "--log-level="), args[1:]
		case a == "-h" || a == "--help" || a == "-help":
			fmt.Fprint(env.Stdout, usage(env.Registry))
			return ExitOK
		case a == "--version":
			args = []string{"version"}
		default:
			fmt.Fprintf(env.Stderr, "unknown option %s\n\n%s", a, usage(env.Registry))
			return ExitInvalid
		}
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage(env.Registry))
		return ExitInvalid
	}
	if args[0] == "help" {
		fmt.Fprint(env.Stdout, usage(env.Registry))
		return ExitOK
	}
	// Every command refuses a bad level, not only those that open the log.
	if _, err := logging.ParseLevel(c.logLevel); err != nil {
		fmt.Fprintln(env.Stderr, "storelink: --"+err.Error())
		return ExitInvalid
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		cmd, ok = platformCommand(env.Registry, args[0])
	}
	if !ok {
		fmt.Fprintf(env.Stderr, "unknown command %q\n\n%s", args[0], usage(env.Registry))
		return ExitInvalid
	}
	parent := env.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt)
	defer stop()
	err := cmd(ctx, c, args[1:])
	if c.eng != nil {
		if err != nil {
			c.eng.Log().WithField("command", args[0]).Warn(err.Error())
		}
		defer c.eng.Close()
	}
	var ue *usageError
	var ie *engine.InputError
	var fe failedError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ie):
		fmt.Fprintln(env.Stderr, "storelink:", redactIn(c, ie.Error()))
		return ExitInvalid
	case errors.As(err, &ue):
		fmt.Fprintln(env.Stderr, "storelink:", redactIn(c, err.Error()))
		return ExitInvalid
	case errors.As(err, &fe) && fe.silent:
		return ExitFailed
	default:
		fmt.Fprintln(env.Stderr, "storelink:", redactIn(c, err.Error()))
		return ExitFailed
	}
}

// redactIn masks secrets and escapes what a terminal would act on.
func redactIn(c *call, s string) string {
	if c.eng != nil {
		s = c.eng.Redact(s)
	}
	return connectors.Printable(s)
}

// parse parses flags that may come before, between or after positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// printJSON writes v to standard output as one JSON line. Every string in
// it passes the redactor first, after all formatting: the last net under
// any field a result may grow.
func (c *call) printJSON(v any) error {
	if v != nil {
		copied := reflect.New(reflect.TypeOf(v))
		copied.Elem().Set(reflect.ValueOf(v))
		mask := redact.Patterns
		if c.eng != nil {
			mask = c.eng.Redact
		}
		redact.Strings(mask, copied.Interface())
		v = copied.Interface()
	}
	enc := json.NewEncoder(c.env.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func cmdVersion(_ context.Context, c *call, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(c.env.Stdout, "storelink", connectors.Version)
	return nil
}

func cmdApps(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("apps", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("apps takes no arguments")
	}
	type app struct {
		ID          string `json:"id"`
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	var out []app
	for _, i := range c.env.Registry.All() {
		out = append(out, app{i.ID, i.Title, i.Description})
	}
	if *asJSON {
		return c.printJSON(out)
	}
	for _, a := range out {
		fmt.Fprintf(c.env.Stdout, "%-12s %s\n", a.ID, a.Title)
	}
	return nil
}

func cmdCodes(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("codes", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON {
		type code struct {
			Code    connectors.Code `json:"code"`
			Warning bool            `json:"warning_only"`
			Meaning string          `json:"meaning"`
		}
		var out []code
		for _, ci := range connectors.AllCodes {
			out = append(out, code{ci.Code, ci.Warning, ci.Meaning})
		}
		return c.printJSON(out)
	}
	for _, ci := range connectors.AllCodes {
		fmt.Fprintf(c.env.Stdout, "%-30s %s\n", ci.Code, ci.Meaning)
	}
	return nil
}

// listedConnection is one line of `list --json`: no secrets, ever.
type listedConnection struct {
	Name         string              `json:"name"`
	App          string              `json:"app"`
	Mode         string              `json:"mode"`
	Agent        string              `json:"agent,omitempty"`
	Values       connectors.Values   `json:"values"`
	SecretFields []string            `json:"secret_fields"`
	Last         *vault.Verification `json:"last_verification"`
	Updated      time.Time           `json:"updated"`
}

func cmdList(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("list takes no arguments")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	conns, err := eng.List()
	if err != nil {
		return err
	}
	out := make([]listedConnection, 0, len(conns))
	for _, k := range conns {
		sf := k.SecretKeys
		if sf == nil {
			sf = []string{}
		}
		out = append(out, listedConnection{k.Name, k.App, k.Mode(), k.Values[connectors.FieldAgent], k.Values, sf, k.Last, k.Updated})
	}
	if *asJSON {
		return c.printJSON(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(c.env.Stdout, "No connections yet. Create one with `storelink create` or in the window.")
		return nil
	}
	for _, k := range out {
		status := "unverified"
		if k.Last != nil && !k.Last.Unverified {
			status = string(k.Last.Code) + " " + k.Last.At.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(c.env.Stdout, "%-24s %-12s %-11s %s\n", connectors.Printable(k.Name), k.App, connectors.Printable(k.Mode), status)
	}
	return nil
}

// notFound turns vault.ErrNotFound into a usage error naming the connection.
func notFound(name string, err error) error {
	if errors.Is(err, vault.ErrNotFound) {
		return usagef("no saved connection is called %q (see `storelink list`)", name)
	}
	return err
}

func cmdDelete(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("delete takes one connection name")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	if err := eng.Delete(pos[0]); err != nil {
		return notFound(pos[0], err)
	}
	fmt.Fprintf(c.env.Stdout, "Deleted %q and its keychain items.\n", pos[0])
	return nil
}

// testOutput is one line of `test --json`; the keys are a public contract.
type testOutput struct {
	Name        string                  `json:"name"`
	App         string                  `json:"app"`
	OK          bool                    `json:"ok"`
	Code        connectors.Code         `json:"code"`
	Message     string                  `json:"message"`
	Hint        string                  `json:"hint"`
	Warnings    []connectors.Warning    `json:"warnings"`
	Checks      []connectors.Check      `json:"checks"`
	Permissions []connectors.Permission `json:"permissions"`
	Server      connectors.Server       `json:"server"`
	DurationMS  int64                   `json:"duration_ms"`
	Requests    int                     `json:"requests"`
	Location    string                  `json:"location,omitempty"`
	Forceable   bool                    `json:"forceable,omitempty"`
	// Certificate is the one a tls failure saw (subject issuer not_before
	// not_after sha256), to check and trust.
	Certificate *connectors.CertificateInfo `json:"certificate,omitempty"`
}

func toOutput(name, app string, r connectors.Result) testOutput {
	return testOutput{
		Name: name, App: app, OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
		Warnings: r.Warnings, Checks: r.Checks, Permissions: r.Permissions, Server: r.Server,
		DurationMS: r.Duration.Milliseconds(), Requests: r.Requests, Location: r.Location, Forceable: r.Forceable,
		Certificate: r.Certificate,
	}
}

// report prints one test's outcome, as JSON or in words.
func (c *call) report(name, app string, r connectors.Result, asJSON bool) error {
	if asJSON {
		return c.printJSON(toOutput(name, app, r))
	}
	mark := "ok    "
	if !r.OK {
		mark = "FAILED"
	}
	fmt.Fprintf(c.env.Stdout, "%s %s: %s\n", mark, connectors.Printable(name), strings.ReplaceAll(connectors.Printable(connectors.Describe(r)), "\n", "\n       "))
	return nil
}

func cmdTest(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	all := fs.Bool("all", false, "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 0, "")
	force := fs.Bool("force", false, "")
	parallel := fs.Int("parallel", engine.DefaultParallel, "")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *parallel < 1 || *parallel > 64 {
		return usagef("--parallel must be a number from 1 to 64")
	}
	if *all == (len(names) > 0) {
		return usagef("test takes connection names or --all, not both and not neither")
	}
	if *timeout < 0 {
		return usagef("--timeout must be a positive duration such as 30s or 2m")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	if *all {
		conns, err := eng.List()
		if err != nil {
			return err
		}
		for _, k := range conns {
			names = append(names, k.Name)
		}
	} else {
		for _, n := range names {
			if _, err := eng.Get(n); err != nil {
				return notFound(n, err)
			}
		}
	}
	results := eng.TestMany(ctx, names, engine.TestOptions{Timeout: *timeout, Force: *force, Parallel: *parallel}, nil)
	failed := 0
	for _, t := range results {
		if !t.Result.OK {
			failed++
		}
		if err := c.report(t.Name, t.App, t.Result, *asJSON); err != nil {
			return err
		}
	}
	if failed > 0 {
		return failedError{msg: fmt.Sprintf("%d of %d tests failed", failed, len(results)), silent: true}
	}
	return nil
}

// maxSecretsInput is the most standard input holds for secrets.
const maxSecretsInput = 1 << 20

// readSecrets reads one JSON object of strings from r; a key given twice is
// refused rather than silently keeping the last.
func readSecrets(r io.Reader) (connectors.Values, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSecretsInput+1))
	if err != nil {
		return nil, usagef("reading secrets from standard input: %v", err)
	}
	if len(data) > maxSecretsInput {
		return nil, usagef("standard input: more than %d bytes (1 MiB), the most Storelink reads for secrets", maxSecretsInput)
	}
	if strings.TrimSpace(string(data)) == "" {
		return connectors.Values{}, nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, usagef("standard input must hold one JSON object of strings, like {\"api_key\": \"...\"}: %s", jsonProblem(err))
	}
	if dup := duplicateKey(data); dup != "" {
		return nil, usagef("standard input: %q is given twice; give each secret once", dup)
	}
	return connectors.Values(m), nil
}

// duplicateKey returns a key that occurs twice in the top-level object of
// data (already known to be valid JSON), or "".
func duplicateKey(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ""
		}
		k, _ := t.(string)
		if seen[k] {
			return k
		}
		seen[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// jsonProblem describes a JSON error without quoting the input (it holds secrets).
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("the value of %q must be a string", te.Field)
	default:
		return "not valid JSON"
	}
}

func fieldKeys(info connectors.Info, secret bool) []string {
	var out []string
	for _, f := range info.Fields {
		if f.IsSecret() == secret {
			out = append(out, f.Key)
		}
	}
	sort.Strings(out)
	return out
}

func cmdProbe(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	level := fs.Int("level", 0, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("probe takes one connection name (see `storelink list`)")
	}
	if *level < 0 {
		return usagef("--level must be a positive number")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	out, err := eng.Probe(ctx, pos[0], *level)
	if err != nil {
		return notFound(pos[0], err)
	}
	if *asJSON {
		if err := c.printJSON(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(c.env.Stdout, "%s: level %d, %d of %d passed, %d throttled, median %d ms, p95 %d ms\n%s\n",
			out.Name, out.Level, out.Succeeded, out.Level, out.Throttled, out.P50MS, out.P95MS, out.Message)
	}
	if !out.OK {
		return failedError{msg: out.Message, silent: true}
	}
	return nil
}

func cmdDoctor(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("doctor takes no arguments")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	checks := eng.Doctor()
	problems := 0
	for _, d := range checks {
		if !d.OK {
			problems++
		}
		if *asJSON {
			if err := c.printJSON(d); err != nil {
				return err
			}
			continue
		}
		mark := "ok     "
		if !d.OK {
			mark = "PROBLEM"
		}
		fmt.Fprintf(c.env.Stdout, "%s %-12s %s\n", mark, d.Check, connectors.Printable(eng.Redact(d.Message)))
		if d.Hint != "" {
			fmt.Fprintf(c.env.Stdout, "        %-12s What to do: %s\n", "", connectors.Printable(d.Hint))
		}
	}
	if problems > 0 {
		return failedError{msg: fmt.Sprintf("%d problems found", problems), silent: true}
	}
	return nil
}
