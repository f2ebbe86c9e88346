package cli

// kind.go: create, edit, list, test and delete, written once for every kind
// of saved thing, over the engine's flow for it (engine.Of). A kind
// (connections.go, agent.go, resources.go) is a descriptor of what the
// command line adds: its flags, its list columns, its test's JSON; everything
// a person reads or a script parses is shaped here.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// kind is one sort of saved thing, as the command line handles it.
type kind struct {
	id     string // the engine's kind: engine.KindConnection, engine.KindAgent...
	noun   string // "connection": in messages
	prefix string // "" or "agent ": before create, list... and before quoted names
	// own declares the kind's own flags of create (creating) or edit; what
	// it returns reads them into the request after parsing, and gives
	// create its form (edit's is the saved one's).
	own func(fs *flag.FlagSet, creating bool) func(c *call, r *request) error
	// line is one saved one in list: its JSON, and in words the columns
	// between its name and its status.
	line func(s vault.Connection) (listed, []string)
	// tested is one test's outcome in the kind's JSON and words.
	tested func(t engine.Tested) tested
	// batch: test takes --all, --force and --parallel.
	batch bool
	// columns are the widths of list's columns, name first, status last
	// (no width); empty is what list says when nothing is saved.
	columns []int
	empty   string
}

// request is one create or edit, as its flags and standard input gave it.
type request struct {
	info    connectors.Info
	editing string // "" creates
	values  connectors.Values
	options engine.SaveOptions // Accept: --accept-host-key and the like
	asJSON  bool
}

// tested is one test's outcome, in the kind's own JSON and in words.
type tested struct {
	name   string
	result connectors.Result
	json   any    // one line of --json; its keys are a public contract
	advice string // lines after the words, what to do next; "" for none
}

// listed is one line of `list --json` and `agent list --json`: no secrets,
// ever. A connection's app and mode are never empty; an agent has neither.
type listed struct {
	Name         string              `json:"name"`
	App          string              `json:"app,omitempty"`
	Mode         string              `json:"mode,omitempty"`
	Agent        string              `json:"agent,omitempty"`
	Values       connectors.Values   `json:"values"`
	SecretFields []string            `json:"secret_fields"`
	Last         *listedVerification `json:"last_verification"`
	Updated      time.Time           `json:"updated"`
	// StatusSince is when the current state began (null: never tested).
	StatusSince *time.Time `json:"status_since"`
}

// listedVerification is the saved verification with its warnings never null
// (the shape of a test's "warnings").
type listedVerification struct {
	vault.Verification
	Warnings []connectors.Warning `json:"warnings"`
}

func listedOf(s vault.Connection) listed {
	l := listed{Name: s.Name, Values: s.Values, SecretFields: s.SecretKeys, Updated: s.Updated}
	if l.SecretFields == nil {
		l.SecretFields = []string{} // never null
	}
	if s.Last != nil {
		l.Last = &listedVerification{Verification: *s.Last, Warnings: s.Last.Warnings}
		if l.Last.Warnings == nil {
			l.Last.Warnings = []connectors.Warning{}
		}
	}
	return l
}

// of is the engine's flow over the kind.
func (k kind) of(eng *engine.Engine) engine.Resources { return eng.Of(k.id) }

// command is `storelink agent create|list|test|edit|delete ...` and the
// same for any kind but connections, whose commands stand alone.
func (k kind) command(ctx context.Context, c *call, args []string) error {
	name := strings.TrimSpace(k.prefix)
	if len(args) == 0 {
		return usagef("usage: storelink %s create|list|test|edit|delete ...", name)
	}
	sub := map[string]command{"create": k.create, "edit": k.edit, "list": k.listCommand, "test": k.testCommand, "delete": k.deleteCommand, "history": k.historyCommand}
	if cmd, ok := sub[args[0]]; ok {
		return cmd(ctx, c, args[1:])
	}
	return usagef("%s: unknown subcommand %q (create, list, test, edit or delete)", name, args[0])
}

// oneForm is the own flags of a kind whose resources all have the one form
// info; accept, when set, is the field a value the user accepted goes to,
// given as --accept-FIELD (agents: --accept-host-key).
func oneForm(info connectors.Info, accept string) func(*flag.FlagSet, bool) func(*call, *request) error {
	return func(fs *flag.FlagSet, _ bool) func(*call, *request) error {
		accepted := new(string)
		if accept != "" {
			accepted = fs.String("accept-"+strings.ReplaceAll(accept, "_", "-"), "", "")
		}
		return func(_ *call, r *request) error {
			r.info, r.options.Accept = info, *accepted
			return nil
		}
	}
}

// label names a saved one in a sentence: "Shop" or agent "Office".
func (k kind) label(name string) string {
	return fmt.Sprintf("%s%q", k.prefix, name)
}

// missing reports whether err is the kind's "nothing saved has that name".
func (k kind) missing(eng *engine.Engine, err error) bool {
	nf := k.of(eng).Kind().NotFound
	return err != nil && nf != nil && errors.Is(err, nf)
}

// notFound turns the kind's not-found error into a usage error naming it.
func (k kind) notFound(eng *engine.Engine, name string, err error) error {
	if k.missing(eng, err) {
		return usagef("no saved %s is called %q (see `storelink %slist`)", k.noun, name, k.prefix)
	}
	return err
}

func (k kind) create(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet(k.prefix+"create", flag.ContinueOnError)
	sf := newSaveFlags(fs)
	own := k.own(fs, true)
	pos, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) > 0:
		return usagef("%screate takes no positional arguments (got %q); use --name and --set", k.prefix, pos[0])
	case *sf.rename != "":
		return usagef("--rename is for %sedit; use --name", k.prefix)
	case *sf.keepForNewAddress:
		return usagef("--keep-secrets-for-new-address is for %sedit: a new %s has no saved secrets", k.prefix, k.noun)
	}
	var r request
	if err := own(c, &r); err != nil {
		return err
	}
	if err := sf.read(c, &r); err != nil {
		return err
	}
	r.values[connectors.FieldName] = *sf.name
	return c.save(ctx, k, r)
}

func (k kind) edit(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet(k.prefix+"edit", flag.ContinueOnError)
	sf := newSaveFlags(fs)
	own := k.own(fs, false)
	pos, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) != 1:
		return usagef("%sedit takes one %s name (see `storelink %slist`)", k.prefix, k.noun, k.prefix)
	case *sf.name != "":
		return usagef("--name is for %screate; use --rename", k.prefix)
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	old, err := k.of(eng).Get(pos[0])
	if err != nil {
		return k.notFound(eng, pos[0], err)
	}
	r := request{editing: old.Name, options: engine.SaveOptions{KeepSaved: true}}
	if r.info, err = k.of(eng).Form(old.App); err != nil {
		return err
	}
	if err := own(c, &r); err != nil {
		return err
	}
	if err := sf.read(c, &r); err != nil {
		return err
	}
	if *sf.rename != "" {
		r.values[connectors.FieldName] = *sf.rename
	}
	return c.save(ctx, k, r)
}

// save creates or edits through the engine and reports: notes and warnings
// on stderr, the test on stdout, nothing saved when the test failed.
func (c *call) save(ctx context.Context, k kind, r request) error {
	eng, err := c.engine()
	if err != nil {
		return err
	}
	r.options.Editing = r.editing
	res := k.of(eng)
	app := "" // a kind of one form keeps no application
	if res.Kind().Apps != nil {
		app = r.info.ID
	}
	out, err := res.Save(ctx, engine.Draft{App: app, Values: r.values}, r.options)
	if k.missing(eng, err) {
		return k.notFound(eng, r.editing, err)
	}
	if err != nil {
		return saveError(r.info, err)
	}
	for _, n := range out.Checked.Notes {
		fmt.Fprintln(c.env.Stderr, "note:", connectors.Printable(eng.Redact(n)))
	}
	for _, w := range out.Checked.Warnings {
		fmt.Fprintln(c.env.Stderr, "warning:", connectors.Printable(eng.Redact(w.Error())))
	}
	if out.Result != nil {
		t := k.tested(engine.Tested{Name: out.Checked.Name, App: app, Result: *out.Result, Detail: out.Detail})
		if err := c.report(t, r.asJSON); err != nil {
			return err
		}
	}
	if !out.Saved {
		what := "the " + k.noun + " was not saved"
		if r.editing != "" {
			what = "the changes were not saved"
		}
		return failedError{msg: what + " because the test failed (use --no-verify to save it unverified)"}
	}
	if !r.asJSON || out.Result == nil {
		verb := "Saved"
		if r.editing != "" {
			verb = "Changed"
		}
		fmt.Fprintf(c.env.Stderr, "%s %s.\n", verb, k.label(out.Connection.Name))
	}
	return nil
}

// saveError says what is wrong, pointing secret fields at standard input.
func saveError(info connectors.Info, err error) error {
	var ie *engine.InputError
	if errors.As(err, &ie) {
		msgs := make([]string, len(ie.Fields))
		for i, e := range ie.Fields {
			msgs[i] = e.Error()
			if f, _ := info.Field(e.Key); f.IsSecret() {
				msgs[i] += " (secrets come from standard input with --secrets-stdin)"
			}
		}
		return usagef("%s", strings.Join(msgs, "\n"))
	}
	var ae *engine.AddressChangeError
	if errors.As(err, &ae) {
		return usagef("%s\nTo type the secrets again, pass them on standard input with --secrets-stdin; to send the saved ones, add --keep-secrets-for-new-address.", ae.Error())
	}
	var ne *vault.NameError
	if errors.As(err, &ne) {
		return usagef("%s", ne.Error())
	}
	return err
}

// report prints one test's outcome, as JSON or in words.
func (c *call) report(t tested, asJSON bool) error {
	if asJSON {
		return c.printJSON(t.json)
	}
	mark := "ok    "
	if !t.result.OK {
		mark = "FAILED"
	}
	fmt.Fprintf(c.env.Stdout, "%s %s: %s\n", mark, connectors.Printable(t.name), strings.ReplaceAll(connectors.Printable(connectors.Describe(t.result)), "\n", "\n       "))
	if t.advice != "" {
		fmt.Fprintf(c.env.Stdout, "       %s\n", t.advice)
	}
	return nil
}

func (k kind) listCommand(_ context.Context, c *call, args []string) error {
	asJSON, err := jsonOnly(k.prefix+"list", args)
	if err != nil {
		return err
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	saved, err := k.of(eng).List()
	if err != nil {
		return err
	}
	out := make([]listed, len(saved))
	for i, s := range saved {
		out[i], _ = k.line(s)
		if since := k.of(eng).StatusSince(s); !since.IsZero() {
			out[i].StatusSince = &since
		}
	}
	if asJSON {
		return c.printJSON(out)
	}
	if len(saved) == 0 {
		fmt.Fprintln(c.env.Stdout, k.empty)
		return nil
	}
	for _, s := range saved {
		l, cells := k.line(s)
		for i, cell := range append([]string{l.Name}, cells...) {
			fmt.Fprintf(c.env.Stdout, "%-*s ", k.columns[i], connectors.Printable(cell))
		}
		fmt.Fprintln(c.env.Stdout, engine.Status(s.Last).Column())
	}
	return nil
}

func (k kind) testCommand(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet(k.prefix+"test", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	o := engine.TestOptions{Parallel: engine.DefaultParallel, Trigger: TriggerCLI}
	fs.DurationVar(&o.Timeout, "timeout", 0, "")
	all := new(bool)
	if k.batch {
		all = fs.Bool("all", false, "")
		fs.BoolVar(&o.Force, "force", false, "")
		fs.IntVar(&o.Parallel, "parallel", o.Parallel, "")
	}
	names, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case o.Parallel < 1 || o.Parallel > 64:
		return usagef("--parallel must be a number from 1 to 64")
	case k.batch && *all == (len(names) > 0):
		return usagef("%stest takes %s names or --all, not both and not neither", k.prefix, k.noun)
	case len(names) == 0 && !*all:
		return usagef("%stest takes %s names (see `storelink %slist`)", k.prefix, k.noun, k.prefix)
	case o.Timeout < 0:
		return usagef("--timeout must be a positive duration such as 30s or 2m")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	if names, err = k.named(eng, names, *all); err != nil {
		return err
	}
	results := k.of(eng).TestMany(ctx, names, o, nil)
	failed := 0
	var tally engine.Tally
	for _, t := range results {
		if !t.Result.OK {
			failed++
		}
		tally.Add(t.Result)
		if err := c.report(k.tested(t), *asJSON); err != nil {
			return err
		}
	}
	if len(results) > 1 {
		fmt.Fprintf(c.env.Stderr, "%s.\n", tally.Words())
	}
	if failed > 0 {
		return failedError{msg: fmt.Sprintf("%d of %d %stests failed", failed, len(results), k.prefix), silent: true}
	}
	return nil
}

// named returns every saved name (all), or names once each is known saved.
func (k kind) named(eng *engine.Engine, names []string, all bool) ([]string, error) {
	if all {
		return k.of(eng).Names()
	}
	for _, n := range names {
		if _, err := k.of(eng).Get(n); err != nil {
			return nil, k.notFound(eng, n, err)
		}
	}
	return names, nil
}

func (k kind) deleteCommand(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet(k.prefix+"delete", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("%sdelete takes one %s name", k.prefix, k.noun)
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	err = k.of(eng).Delete(pos[0])
	var inUse *vault.InUseError
	switch {
	case k.missing(eng, err):
		return k.notFound(eng, pos[0], err)
	case errors.As(err, &inUse):
		return failedError{msg: "not deleted: " + err.Error()}
	case err != nil:
		return err
	}
	fmt.Fprintf(c.env.Stdout, "Deleted %s and its keychain items.\n", k.label(pos[0]))
	return nil
}
