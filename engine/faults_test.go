package engine_test

// faults_test.go: the keychain fails at each of its calls in turn, during
// create, edit, rename and delete. Whatever fails, no connection is half
// saved and none is listed whose secrets are gone.

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

var errInjected = errors.New("injected keychain failure")

// snapshot is what a user would see: each listed connection's settings and
// secrets.
func snapshot(t *testing.T, f *fixture) map[string]string {
	t.Helper()
	cs, err := f.store.List()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cs {
		f.secrets.Fail = nil
		s, err := f.store.Secrets(c)
		if err != nil {
			t.Fatalf("%s is listed but its secrets are gone: %v", c.Name, err)
		}
		out[c.Name] = fmt.Sprint(c.Values, s)
	}
	return out
}

func TestKeychainFailingAtEachCall(t *testing.T) {
	ops := map[string]func(f *fixture) error{
		"create": func(f *fixture) error {
			_, err := f.eng.Create(context.Background(), f.draft("New", goodKey), engine.SaveOptions{})
			return err
		},
		"edit a setting": func(f *fixture) error {
			_, err := f.eng.Edit(context.Background(), "Shop", engine.Draft{Values: connectors.Values{"note": "x"}}, engine.SaveOptions{KeepSaved: true})
			return err
		},
		"edit in the window": func(f *fixture) error {
			_, err := f.eng.Edit(context.Background(), "Shop", f.draft("Shop", goodKey), engine.SaveOptions{})
			return err
		},
		"rename": func(f *fixture) error {
			_, err := f.eng.Rename("Shop", "Renamed")
			return err
		},
		"delete": func(f *fixture) error { return f.eng.Delete("Shop") },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			// A clean run counts the calls to fail.
			clean := newFixture(t, 0)
			clean.create("Shop")
			before := clean.secrets.Calls()
			if err := op(clean); err != nil {
				t.Fatal(err)
			}
			calls := clean.secrets.Calls() - before
			if calls == 0 {
				t.Fatal("the operation made no keychain call")
			}
			for n := 1; n <= calls; n++ {
				f := newFixture(t, 0)
				f.create("Shop")
				was := snapshot(t, f)
				count := 0
				f.secrets.Fail = func(string, string) error {
					if count++; count == n {
						return errInjected
					}
					return nil
				}
				err := op(f)
				f.secrets.Fail = nil
				now := snapshot(t, f)
				if err != nil {
					if fmt.Sprint(now) != fmt.Sprint(was) {
						t.Errorf("call %d of %d failed (%v) but the saved connections changed:\n%v\n%v", n, calls, err, was, now)
					}
					continue
				}
				if fmt.Sprint(now) == fmt.Sprint(was) && name != "edit in the window" {
					t.Errorf("call %d of %d failed, the operation said it succeeded but changed nothing", n, calls)
				}
			}
		})
	}
}

// TestOrphansOnlyFromCleanUps: an item left in the keychain by a failure
// belongs to no listed connection and never to a failed save.
func TestOrphansOnlyFromCleanUps(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	f.secrets.Fail = func(op, _ string) error {
		if op == "set" {
			return errInjected
		}
		return nil
	}
	if _, err := f.eng.Create(context.Background(), f.draft("New", goodKey), engine.SaveOptions{}); !errors.Is(err, errInjected) {
		t.Fatalf("create with a failing keychain: %v", err)
	}
	f.secrets.Fail = nil
	if n := len(f.secrets.Keys()); n != 1 {
		t.Errorf("a failed save leaves nothing behind: %d items", n)
	}
	if _, err := f.store.Get("New"); !errors.Is(err, vault.ErrNotFound) {
		t.Error("a failed save lists nothing")
	}
}
