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
	"reflect"
	"strings"

	"storelink/connectors"
	"storelink/engine"
	"storelink/logging"
	"storelink/redact"
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
	// WarmKeychain, when set, starts connecting to the keychain Setup's
	// engine uses, for a command that reads secrets before it builds one.
	WarmKeychain func()
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
	conns := connectionKind()
	return map[string]command{
		"apps":    cmdApps,
		"api":     cmdAPI,
		"list":    conns.listCommand,
		"create":  conns.create,
		"edit":    conns.edit,
		"test":    conns.testCommand,
		"delete":  conns.deleteCommand,
		"history": conns.historyCommand,
		"probe":   cmdProbe,
		"doctor":  cmdDoctor,
		"agent":   agentKind().command,
		"codes":   cmdCodes,
		"exec":    cmdExec,
		"export":  cmdExport,
		"import":  cmdImport,
		"version": cmdVersion,
		"watch":   cmdWatch,
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
		return help(env, args[1:])
	}
	// Every command refuses a bad level, not only those that open the log.
	if _, err := logging.ParseLevel(c.logLevel); err != nil {
		fmt.Fprintln(env.Stderr, "storelink: --"+err.Error())
		return ExitInvalid
	}
	defer func() {
		if c.eng != nil {
			_ = c.eng.Close() // the log file: nothing is left to tell
		}
	}()
	cmd, ok := commands()[args[0]]
	if !ok {
		cmd, ok = platformCommand(env.Registry, args[0])
	}
	if !ok {
		cmd, ok = c.kindCommand(args[0])
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
	if c.eng != nil && err != nil {
		c.eng.Log().WithField("command", args[0]).Warn(err.Error())
	}
	var ue *usageError
	var ie *engine.InputError
	var fe failedError
	var es exitStatus
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &es):
		return es.code
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

// jsonOnly parses the arguments of a command that takes only --json.
func jsonOnly(name string, args []string) (asJSON bool, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.BoolVar(&asJSON, "json", false, "")
	pos, err := parse(fs, args)
	if err == nil && len(pos) > 0 {
		err = usagef("%s takes no arguments", name)
	}
	return asJSON, err
}

func cmdVersion(_ context.Context, c *call, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(c.env.Stdout, "storelink", connectors.Version)
	return nil
}

func cmdApps(_ context.Context, c *call, args []string) error {
	asJSON, err := jsonOnly("apps", args)
	if err != nil {
		return err
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
	if asJSON {
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
		return connectionKind().notFound(eng, pos[0], err)
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
	asJSON, err := jsonOnly("doctor", args)
	if err != nil {
		return err
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
		if asJSON {
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
