// Package cli is Storelink's command line: the same connectors and vault as
// the window, for scripts. Secrets come only from standard input.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"time"

	"storelink/connectors"
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
	// Setup builds the runtime once a command needs the vault or the log.
	Setup func(logLevel string) (*Runtime, error)
	// Context, when set, stops long commands (upgates serve) when done.
	Context context.Context
}

// usageError is bad usage or input: exit 2, message names the flag or field.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// failedError: an operation failed (exit 1); the message was printed already
// when silent.
type failedError struct {
	msg    string
	silent bool
}

func (e failedError) Error() string { return e.msg }

const usage = `Usage: storelink [--log-level LEVEL] COMMAND [ARGS]

With no command, storelink opens the window.

Commands:
  apps [--json]                       list application IDs and titles
  list [--json]                       list saved connections (no secrets)
  create --app ID --name NAME [--mode cloud|on-premise] [--agent NAME]
         [--set FIELD=VALUE]... [--secrets-stdin] [--no-verify] [--json]
                                      test, then save a connection; secrets are read
                                      as one JSON object from standard input
  test NAME... | --all [--json] [--timeout DURATION] [--force]
                                      test saved connections
  delete NAME                         delete a connection and its keychain items
  codes [--json]                      list the failure codes
  version                             print the version
  prestashop genkey                   make a 32-character PrestaShop webservice key
  upgates import FILE --public-key PEM [--name NAME] [--no-verify]
                                      save a connection from an add-on installation
                                      request (signature token on standard input)
  upgates serve --listen ADDR --public-key PEM
                                      receive installation requests over HTTP

Exit status: 0 all good, 1 a test or operation failed, 2 invalid usage or input.
Settings and logs live in $STORELINK_HOME (default: your config folder/storelink).
`

// command is one subcommand.
type command func(ctx context.Context, c *call, args []string) error

// call carries one invocation's state.
type call struct {
	env      Env
	logLevel string
	rt       *Runtime
}

func (c *call) runtime() (*Runtime, error) {
	if c.rt != nil {
		return c.rt, nil
	}
	rt, err := c.env.Setup(c.logLevel)
	if err != nil {
		var ue usageError
		if strings.HasPrefix(err.Error(), "log level:") && !errors.As(err, &ue) {
			return nil, usageError{err.Error()}
		}
		return nil, err
	}
	c.rt = rt
	return rt, nil
}

func commands() map[string]command {
	return map[string]command{
		"apps":       cmdApps,
		"list":       cmdList,
		"create":     cmdCreate,
		"test":       cmdTest,
		"delete":     cmdDelete,
		"codes":      cmdCodes,
		"version":    cmdVersion,
		"prestashop": cmdPrestaShop,
		"upgates":    cmdUpgates,
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
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		case a == "--version":
			args = []string{"version"}
		default:
			fmt.Fprintf(env.Stderr, "unknown option %s\n\n%s", a, usage)
			return ExitInvalid
		}
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitInvalid
	}
	if args[0] == "help" {
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "unknown command %q\n\n%s", args[0], usage)
		return ExitInvalid
	}
	parent := env.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt)
	defer stop()
	err := cmd(ctx, c, args[1:])
	if c.rt != nil {
		if err != nil {
			c.rt.Log.WithField("command", args[0]).Warn(err.Error())
		}
		defer c.rt.Close()
	}
	var ue usageError
	var fe failedError
	switch {
	case err == nil:
		return ExitOK
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

func redactIn(c *call, s string) string {
	if c.rt != nil {
		return c.rt.Redactor.String(s)
	}
	return s
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

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
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
		return printJSON(c.env.Stdout, out)
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
		return printJSON(c.env.Stdout, out)
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
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	conns, err := rt.Vault.List()
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
		return printJSON(c.env.Stdout, out)
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
		fmt.Fprintf(c.env.Stdout, "%-24s %-12s %-11s %s\n", k.Name, k.App, k.Mode, status)
	}
	return nil
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
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	if err := rt.Vault.Delete(pos[0]); err != nil {
		if errors.Is(err, vault.ErrNotFound) {
			return usagef("no saved connection is called %q (see `storelink list`)", pos[0])
		}
		return err
	}
	rt.Log.WithField("connection", pos[0]).Info("deleted")
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
}

func toOutput(name, app string, r connectors.Result) testOutput {
	return testOutput{
		Name: name, App: app, OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
		Warnings: r.Warnings, Checks: r.Checks, Permissions: r.Permissions, Server: r.Server,
		DurationMS: r.Duration.Milliseconds(), Requests: r.Requests, Location: r.Location, Forceable: r.Forceable,
	}
}

func printResult(w io.Writer, name string, r connectors.Result) {
	mark := "ok    "
	if !r.OK {
		mark = "FAILED"
	}
	fmt.Fprintf(w, "%s %s: %s\n", mark, name, strings.ReplaceAll(connectors.Describe(r), "\n", "\n       "))
}

// testOptions are shared by test and create.
type testOptions struct {
	timeout time.Duration
	force   bool
}

func (c *call) runTest(ctx context.Context, rt *Runtime, info connectors.Info, name string, values connectors.Values, o testOptions) connectors.Result {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	log := rt.Log.WithFields(map[string]any{"connection": name, "app": info.ID})
	log.Debug("test started")
	r := connectors.Run(ctx, info, connectors.Config{
		Name: name, Values: values, Client: rt.Client, State: rt.State, Force: o.force,
		Progress: func(step string) { log.Debug(step) },
	})
	for _, ex := range r.Exchanges {
		log.WithField("status", ex.Status).WithField("error", ex.Error).Debug(ex.Request)
	}
	log.WithFields(r.LogFields()).Info("test finished")
	return r
}

func cmdTest(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	all := fs.Bool("all", false, "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 60*time.Second, "")
	force := fs.Bool("force", false, "")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *all == (len(names) > 0) {
		return usagef("test takes connection names or --all, not both and not neither")
	}
	if *timeout <= 0 {
		return usagef("--timeout must be a positive duration such as 30s or 2m")
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	var conns []vault.Connection
	if *all {
		if conns, err = rt.Vault.List(); err != nil {
			return err
		}
	} else {
		for _, n := range names {
			k, err := rt.Vault.Get(n)
			if errors.Is(err, vault.ErrNotFound) {
				return usagef("no saved connection is called %q (see `storelink list`)", n)
			}
			if err != nil {
				return err
			}
			conns = append(conns, k)
		}
	}
	results := make([]testOutput, len(conns))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, k := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = c.testSaved(ctx, rt, k, testOptions{timeout: *timeout, force: *force})
		}()
	}
	wg.Wait()
	failed := 0
	for _, r := range results {
		if !r.OK {
			failed++
		}
		if *asJSON {
			if err := printJSON(c.env.Stdout, r); err != nil {
				return err
			}
		} else {
			printResult(c.env.Stdout, r.Name, fromOutput(r))
		}
	}
	if failed > 0 {
		return failedError{msg: fmt.Sprintf("%d of %d tests failed", failed, len(results)), silent: true}
	}
	return nil
}

func fromOutput(o testOutput) connectors.Result {
	return connectors.Result{OK: o.OK, Code: o.Code, Message: o.Message, Hint: o.Hint, Warnings: o.Warnings}
}

func (c *call) testSaved(ctx context.Context, rt *Runtime, k vault.Connection, o testOptions) testOutput {
	info, ok := c.env.Registry.Lookup(k.App)
	if !ok {
		r := connectors.Fail(connectors.CodeInvalidInput, fmt.Sprintf("This Storelink does not know the application %q.", k.App), "Update Storelink, or delete the connection.")
		return toOutput(k.Name, k.App, r)
	}
	secrets, err := rt.Vault.Secrets(k)
	if err != nil {
		r := connectors.Fail(connectors.CodeKeychain, rt.Redactor.String(err.Error()), "Unlock the keychain, or edit the connection and enter its secrets again.")
		return toOutput(k.Name, k.App, r)
	}
	values := k.Values.Clone()
	for f, v := range secrets {
		values[f] = v
	}
	r := c.runTest(ctx, rt, info, k.Name, values, o)
	if r.Code != connectors.CodeCanceled {
		if err := rt.Vault.Record(k.Name, vault.Verification{At: time.Now().UTC(), OK: r.OK, Code: r.Code, Message: r.Message}); err != nil {
			rt.Log.WithError(err).Warn("could not record the test result")
		}
	}
	return toOutput(k.Name, k.App, r)
}

// readSecrets reads one JSON object of strings from r.
func readSecrets(r io.Reader) (connectors.Values, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, usagef("reading secrets from standard input: %v", err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return connectors.Values{}, nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, usagef("standard input must hold one JSON object of strings, like {\"api_key\": \"...\"}: %s", jsonProblem(err))
	}
	return connectors.Values(m), nil
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
