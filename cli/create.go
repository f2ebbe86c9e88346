package cli

// create.go: create and edit, and the platforms' own commands, which save
// connections through the same path.

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// saveFlags are the flags create and edit share.
type saveFlags struct {
	sets         multiFlag
	secretsStdin *bool
	noVerify     *bool
	asJSON       *bool
	timeout      *time.Duration
	force        *bool
}

func newSaveFlags(fs *flag.FlagSet) *saveFlags {
	f := &saveFlags{}
	fs.Var(&f.sets, "set", "")
	f.secretsStdin = fs.Bool("secrets-stdin", false, "")
	f.noVerify = fs.Bool("no-verify", false, "")
	f.asJSON = fs.Bool("json", false, "")
	f.timeout = fs.Duration("timeout", 0, "")
	f.force = fs.Bool("force", false, "")
	return f
}

// values reads --set and, with --secrets-stdin, the secrets: every key must
// be a field of info, and secrets never come from the command line.
func (f *saveFlags) values(c *call, info connectors.Info) (connectors.Values, error) {
	values := connectors.Values{}
	for _, kv := range f.sets {
		k, v, found := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !found || k == "" {
			return nil, usagef("--set %q: write FIELD=VALUE", kv)
		}
		field, known := info.Field(k)
		switch {
		case !known:
			return nil, usagef("--set %s: %s has no field %q (fields: %s)", k, info.Title, k, strings.Join(fieldKeys(info, false), ", "))
		case field.IsSecret():
			return nil, usagef("--set %s: %s is a secret; pass it on standard input with --secrets-stdin, never on the command line", k, field.Label)
		case k == connectors.FieldName:
			return nil, usagef("--set name: use --name")
		}
		values[k] = v
	}
	if !*f.secretsStdin {
		return values, nil
	}
	secrets, err := readSecrets(c.env.Stdin)
	if err != nil {
		return nil, err
	}
	for k, v := range secrets {
		if field, known := info.Field(k); !known || !field.IsSecret() {
			return nil, usagef("standard input: %q is not a secret field of %s (secret fields: %s)", k, info.Title, strings.Join(fieldKeys(info, true), ", "))
		}
		values[k] = v
	}
	return values, nil
}

func (f *saveFlags) options() engine.SaveOptions {
	return engine.SaveOptions{NoVerify: *f.noVerify, Test: engine.TestOptions{Timeout: *f.timeout, Force: *f.force}}
}

func cmdCreate(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	app := fs.String("app", "", "")
	name := fs.String("name", "", "")
	mode := fs.String("mode", "", "")
	agent := fs.String("agent", "", "")
	sf := newSaveFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("create takes no positional arguments (got %q); use --name and --set", pos[0])
	}
	if *app == "" {
		return usagef("--app is required (see `storelink apps`)")
	}
	info, ok := c.env.Registry.Lookup(*app)
	if !ok {
		return usagef("--app: unknown application %q (see `storelink apps`)", *app)
	}
	values, err := sf.values(c, info)
	if err != nil {
		return err
	}
	values[connectors.FieldName] = *name
	if *mode != "" {
		values[connectors.FieldMode] = *mode
	}
	if *agent != "" {
		values[connectors.FieldAgent] = *agent
	}
	return c.save(ctx, engine.Draft{App: info.ID, Values: values}, sf.options(), *sf.asJSON)
}

func cmdEdit(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("edit", flag.ContinueOnError)
	rename := fs.String("rename", "", "")
	sf := newSaveFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("edit takes one connection name (see `storelink list`)")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	old, err := eng.Get(pos[0])
	if err != nil {
		return notFound(pos[0], err)
	}
	info, err := eng.Lookup(old.App)
	if err != nil {
		return err
	}
	values, err := sf.values(c, info)
	if err != nil {
		return err
	}
	if *rename != "" {
		values[connectors.FieldName] = *rename
	}
	o := sf.options()
	o.KeepSaved = true
	return c.saveAs(ctx, old.Name, engine.Draft{App: old.App, Values: values}, o, *sf.asJSON)
}

// save creates a connection as create does.
func (c *call) save(ctx context.Context, d engine.Draft, o engine.SaveOptions, asJSON bool) error {
	return c.saveAs(ctx, "", d, o, asJSON)
}

// saveAs creates (editing "") or edits through the engine and reports:
// notes and warnings on stderr, the test on stdout, nothing saved when the
// test failed.
func (c *call) saveAs(ctx context.Context, editing string, d engine.Draft, o engine.SaveOptions, asJSON bool) error {
	eng, err := c.engine()
	if err != nil {
		return err
	}
	o.Editing = editing
	out, err := eng.Save(ctx, d, o)
	if err != nil {
		return c.saveError(d, err)
	}
	for _, n := range out.Checked.Notes {
		fmt.Fprintln(c.env.Stderr, "note:", connectors.Printable(eng.Redact(n)))
	}
	for _, w := range out.Checked.Warnings {
		fmt.Fprintln(c.env.Stderr, "warning:", connectors.Printable(eng.Redact(w.Error())))
	}
	if out.Result != nil {
		if err := c.report(out.Checked.Name, out.Checked.Info.ID, *out.Result, asJSON); err != nil {
			return err
		}
	}
	if !out.Saved {
		what := "the connection was not saved"
		if editing != "" {
			what = "the changes were not saved"
		}
		return failedError{msg: what + " because the test failed (use --no-verify to save it unverified)"}
	}
	if !asJSON || out.Result == nil {
		verb := "Saved"
		if editing != "" {
			verb = "Changed"
		}
		fmt.Fprintf(c.env.Stderr, "%s %q.\n", verb, out.Connection.Name)
	}
	return nil
}

// saveError says what is wrong, pointing secret fields at standard input.
func (c *call) saveError(d engine.Draft, err error) error {
	if ie, ok := err.(*engine.InputError); ok {
		info, _ := c.env.Registry.Lookup(d.App)
		msgs := make([]string, len(ie.Fields))
		for i, e := range ie.Fields {
			msgs[i] = e.Error()
			if f, _ := info.Field(e.Key); f.IsSecret() {
				msgs[i] += " (secrets come from standard input with --secrets-stdin)"
			}
		}
		return usagef("%s", strings.Join(msgs, "\n"))
	}
	if ne, ok := err.(*vault.NameError); ok {
		return usagef("%s", ne.Error())
	}
	return err
}

// platformCommand finds "storelink <app ID> <command>" in the registry.
func platformCommand(reg *connectors.Registry, id string) (command, bool) {
	info, ok := reg.Lookup(id)
	if !ok || len(info.Commands) == 0 {
		return nil, false
	}
	return func(ctx context.Context, c *call, args []string) error {
		var names []string
		for _, cmd := range info.Commands {
			names = append(names, cmd.Name)
		}
		if len(args) == 0 {
			return usagef("usage: storelink %s %s", info.ID, strings.Join(names, "|"))
		}
		for _, cmd := range info.Commands {
			if cmd.Name == args[0] {
				return cmd.Run(ctx, c.commandEnv(), args[1:])
			}
		}
		return usagef("%s: unknown command %q (%s)", info.ID, args[0], strings.Join(names, ", "))
	}, true
}

// commandEnv is what platform commands get; the engine is opened only when
// they use it.
func (c *call) commandEnv() connectors.CommandEnv {
	env := connectors.CommandEnv{
		Stdin: c.env.Stdin, Stdout: c.env.Stdout, Stderr: c.env.Stderr,
		Connections: commandConnections{c},
		Logf: func(format string, args ...any) {
			if eng, err := c.engine(); err == nil {
				eng.Log().Infof(format, args...)
			}
		},
		Redact: func(values ...string) {
			if eng, err := c.engine(); err == nil {
				eng.AddSecrets(values...)
			}
		},
	}
	if eng, err := c.engine(); err == nil {
		env.Import = eng.ImportEnv()
	}
	return env
}

// commandConnections lets platform commands save and test as create and
// test do.
type commandConnections struct{ c *call }

func (cc commandConnections) Save(ctx context.Context, req connectors.SaveRequest) error {
	o := engine.SaveOptions{NoVerify: req.NoVerify, Reason: req.Reason, Replaces: req.Replaces,
		Test: engine.TestOptions{Timeout: req.Timeout}}
	return cc.c.save(ctx, engine.Draft{App: req.App, Values: req.Values}, o, req.JSON)
}

func (cc commandConnections) Test(ctx context.Context, name string) connectors.Result {
	eng, err := cc.c.engine()
	if err != nil {
		return connectors.Fail(connectors.CodeInternalError, err.Error(), "")
	}
	return eng.TestSaved(ctx, name, engine.TestOptions{}).Result
}
