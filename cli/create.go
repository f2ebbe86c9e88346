package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/vault"
)

// connectionInput is what create and upgates import hand to saveConnection.
type connectionInput struct {
	info     connectors.Info
	name     string
	values   connectors.Values // non-secret, as typed
	secrets  connectors.Values
	noVerify bool
	asJSON   bool
	test     testOptions
}

func cmdCreate(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	app := fs.String("app", "", "")
	name := fs.String("name", "", "")
	mode := fs.String("mode", "", "")
	agent := fs.String("agent", "", "")
	var sets multiFlag
	fs.Var(&sets, "set", "")
	secretsStdin := fs.Bool("secrets-stdin", false, "")
	noVerify := fs.Bool("no-verify", false, "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 60*time.Second, "")
	force := fs.Bool("force", false, "")
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
	values := connectors.Values{}
	if *mode != "" {
		values[connectors.FieldMode] = *mode
	}
	if *agent != "" {
		values[connectors.FieldAgent] = *agent
	}
	for _, kv := range sets {
		k, v, found := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !found || k == "" {
			return usagef("--set %q: write FIELD=VALUE", kv)
		}
		f, known := info.Field(k)
		switch {
		case !known:
			return usagef("--set %s: %s has no field %q (fields: %s)", k, info.Title, k, strings.Join(fieldKeys(info, false), ", "))
		case f.IsSecret():
			return usagef("--set %s: %s is a secret; pass it on standard input with --secrets-stdin, never on the command line", k, f.Label)
		case k == connectors.FieldName:
			return usagef("--set name: use --name")
		}
		values[k] = v
	}
	secrets := connectors.Values{}
	if *secretsStdin {
		if secrets, err = readSecrets(c.env.Stdin); err != nil {
			return err
		}
		for k := range secrets {
			f, known := info.Field(k)
			if !known || !f.IsSecret() {
				return usagef("standard input: %q is not a secret field of %s (secret fields: %s)", k, info.Title, strings.Join(fieldKeys(info, true), ", "))
			}
		}
	}
	return c.saveConnection(ctx, connectionInput{
		info: info, name: *name, values: values, secrets: secrets,
		noVerify: *noVerify, asJSON: *asJSON, test: testOptions{timeout: *timeout, force: *force},
	})
}

// saveConnection validates, verifies (unless told not to) and saves, like
// the window's Save: nothing is saved when verification fails.
func (c *call) saveConnection(ctx context.Context, in connectionInput) error {
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	rt.Redactor.Add(secretValues(in.secrets)...)
	all := in.values.Clone()
	all[connectors.FieldName] = in.name
	for k, v := range in.secrets {
		all[k] = v
	}
	all = in.info.Defaults(all)
	all, notes := in.info.Normalize(all)
	if errs := in.info.Validate(all); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
			if f, _ := in.info.Field(e.Key); f.IsSecret() {
				msgs[i] += " (secrets come from standard input with --secrets-stdin)"
			}
		}
		return usageError{strings.Join(msgs, "\n")}
	}
	if _, err := rt.Vault.Get(in.name); err == nil {
		return usagef("Name: a connection named %q already exists; choose another name or delete it first", in.name)
	}
	for _, n := range notes {
		fmt.Fprintln(c.env.Stderr, "note:", n)
	}
	for _, w := range in.info.Warnings(all) {
		fmt.Fprintln(c.env.Stderr, "warning:", w.Error())
	}
	plain, secret := in.info.SplitSecrets(all)
	conn := vault.Connection{Name: in.name, App: in.info.ID, Values: plain}
	if in.noVerify {
		conn.Last = &vault.Verification{At: time.Now().UTC(), Unverified: true, Message: "saved without verifying"}
	} else {
		r := c.runTest(ctx, rt, in.info, in.name, all, in.test)
		if in.asJSON {
			if err := printJSON(c.env.Stdout, toOutput(in.name, in.info.ID, r)); err != nil {
				return err
			}
		} else {
			printResult(c.env.Stdout, in.name, r)
		}
		if !r.OK {
			return failedError{msg: "the connection was not saved because the test failed (use --no-verify to save it unverified)"}
		}
		conn.Last = &vault.Verification{At: time.Now().UTC(), OK: true, Code: r.Code, Message: r.Message}
	}
	if _, err := rt.Vault.Save(conn, secret, vault.SaveOptions{}); err != nil {
		return err
	}
	rt.Log.WithFields(map[string]any{"connection": in.name, "app": in.info.ID, "verified": !in.noVerify}).Info("saved")
	if !in.asJSON || in.noVerify {
		fmt.Fprintf(c.env.Stderr, "Saved %q.\n", in.name)
	}
	return nil
}

func secretValues(v connectors.Values) []string {
	out := make([]string, 0, len(v))
	for _, s := range v {
		out = append(out, s)
	}
	return out
}
