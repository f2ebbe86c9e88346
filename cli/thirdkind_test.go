package cli

// thirdkind_test.go: a third kind of saved thing is one descriptor; the
// command line's create, edit, list, test and delete serve it unchanged.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"sort"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/engine"
	"storelink/setup"
	"storelink/vault"
)

var errNoView = errors.New("no such store view")

// storeViews is a test-only kind: a shop's store views, kept in a map.
func storeViews(views map[string]vault.Connection) kind {
	info := connectors.Info{ID: "view", Title: "Store view", Fields: []connectors.Field{
		{Key: connectors.FieldName, Label: "Name", Kind: connectors.KindText, Required: true},
		{Key: "code", Label: "Code", Kind: connectors.KindText, Required: true},
	}}
	get := func(_ *engine.Engine, name string) (vault.Connection, error) {
		if v, ok := views[name]; ok {
			return v, nil
		}
		return vault.Connection{}, errNoView
	}
	return kind{
		noun: "store view", prefix: "view ", missing: errNoView,
		own: func(*flag.FlagSet, bool) func(*call, *request) error {
			return func(_ *call, r *request) error { r.info = info; return nil }
		},
		find: get,
		form: func(*engine.Engine, string) (connectors.Info, error) { return info, nil },
		save: func(_ context.Context, _ *engine.Engine, r request) (saved, error) {
			if errs := info.Validate(r.values); len(errs) > 0 {
				return saved{}, &engine.InputError{Fields: errs}
			}
			values := r.values
			if r.editing != "" {
				values = views[r.editing].Values.Clone()
				delete(views, r.editing)
				for k, v := range r.values {
					values[k] = v
				}
			}
			name := values[connectors.FieldName]
			views[name] = vault.Connection{Name: name, Values: values}
			return saved{name: name, saved: true}, nil
		},
		list: func(*engine.Engine) ([]vault.Connection, error) {
			var out []vault.Connection
			for _, v := range views {
				out = append(out, v)
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
			return out, nil
		},
		line: func(v vault.Connection) (listed, []string) { return listedOf(v), []string{v.Values["code"]} },
		test: func(_ context.Context, _ *engine.Engine, run testRun) ([]tested, error) {
			var out []tested
			for _, n := range run.names {
				r := connectors.Success("The view " + views[n].Values["code"] + " answers.")
				out = append(out, tested{name: n, result: r, json: map[string]any{"name": n, "ok": r.OK}})
			}
			return out, nil
		},
		delete: func(_ *engine.Engine, name string) error {
			if _, err := get(nil, name); err != nil {
				return err
			}
			delete(views, name)
			return nil
		},
		columns: []int{12, 8},
		empty:   "No store views yet.",
	}
}

func TestAThirdKindIsOneDescriptor(t *testing.T) {
	h := newHarness(t)
	views := map[string]vault.Connection{}
	k := storeViews(views)
	run := func(cmd command, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		c := &call{env: Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Registry: h.reg,
			Setup: func(level string) (*engine.Engine, error) {
				return setup.Open(setup.Options{Home: h.home, LogLevel: level, Secrets: h.mem, Registry: h.reg})
			}}}
		err := cmd(context.Background(), c, args)
		if c.eng != nil {
			defer c.eng.Close()
		}
		var ue *usageError
		switch {
		case errors.As(err, &ue):
			return ExitInvalid, out.String(), err.Error()
		case err != nil:
			return ExitFailed, out.String(), err.Error()
		}
		return ExitOK, out.String(), errb.String()
	}
	if code, out, _ := run(k.listCommand); code != 0 || out != "No store views yet.\n" {
		t.Fatalf("empty list: %d %q", code, out)
	}
	if code, _, stderr := run(k.create, "--name", "English", "--set", "code=en"); code != 0 || stderr != "Saved view \"English\".\n" {
		t.Fatalf("create: %d %q", code, stderr)
	}
	if code, _, stderr := run(k.create, "--name", "German"); code != ExitInvalid || !strings.Contains(stderr, "Code: required") {
		t.Errorf("create without its code: %d %q", code, stderr)
	}
	if code, _, stderr := run(k.create, "--name", "X", "--set", "colour=red"); code != ExitInvalid || !strings.Contains(stderr, `Store view has no field "colour"`) {
		t.Errorf("an unknown field: %d %q", code, stderr)
	}
	if code, _, stderr := run(k.edit, "English", "--set", "code=en-gb", "--rename", "British"); code != 0 || stderr != "Changed view \"British\".\n" {
		t.Fatalf("edit: %d %q", code, stderr)
	}
	if code, out, _ := run(k.listCommand); code != 0 || out != "British      en-gb    unverified\n" {
		t.Errorf("list: %d %q", code, out)
	}
	if code, out, _ := run(k.listCommand, "--json"); code != 0 || !strings.Contains(out, `"name":"British","values":{"code":"en-gb","name":"British"}`) {
		t.Errorf("list --json: %d %q", code, out)
	}
	if code, out, _ := run(k.testCommand, "British"); code != 0 || out != "ok     British: The view en-gb answers.\n" {
		t.Errorf("test: %d %q", code, out)
	}
	if code, _, stderr := run(k.testCommand, "English"); code != ExitInvalid || !strings.Contains(stderr, "no saved store view is called \"English\" (see `storelink view list`)") {
		t.Errorf("test of the old name: %d %q", code, stderr)
	}
	if code, out, _ := run(k.deleteCommand, "British"); code != 0 || out != "Deleted view \"British\" and its keychain items.\n" || len(views) != 0 {
		t.Errorf("delete: %d %q %v", code, out, views)
	}
}
