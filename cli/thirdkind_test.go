package cli

// thirdkind_test.go: a third kind of saved thing is one engine descriptor
// (internal/testkind's webhooks); the command line serves it as
// `storelink webhook ...` with nothing written for it.

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"storelink/engine"
	"storelink/internal/testkind"
	"storelink/vault"
)

func TestAThirdKindIsOneDescriptor(t *testing.T) {
	h := newHarness(t)
	srv := testkind.NewServer(t)
	store := testkind.NewStore()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Registry: h.reg,
			Setup: func(string) (*engine.Engine, error) {
				v, err := vault.Open(h.home, h.mem)
				if err != nil {
					return nil, err
				}
				return engine.New(engine.Deps{Store: v, Registry: h.reg, Keychain: h.mem, Kinds: []engine.Kind{testkind.Kind(store)}}), nil
			}})
		return code, out.String(), errb.String()
	}
	expect := func(what string, code int, text string, wantCode int, want string) {
		t.Helper()
		if code != wantCode || !strings.Contains(text, want) {
			t.Errorf("%s: exit %d, %q; want exit %d and %q", what, code, text, wantCode, want)
		}
	}
	token := func(tok string) string { return `{"token":"` + tok + `"}` }

	code, out, _ := run("", "webhook", "list")
	expect("an empty list", code, out, ExitOK, "No webhook is saved yet. Add one with `storelink webhook create`.\n")
	code, _, stderr := run("", "webhook")
	expect("no subcommand", code, stderr, ExitInvalid, "usage: storelink webhook create|list|test|edit|delete ...")
	code, _, stderr = run("", "webhook", "create", "--name", "Hook", "--set", "url="+srv.URL)
	expect("create without the token", code, stderr, ExitInvalid, "Token: required; enter a value (secrets come from standard input with --secrets-stdin)")

	// A wrong token: the receiver echoes it, the engine masks it, nothing is saved.
	const wrong = "WRONG-TOKEN-9876543210zyxwv"
	code, out, stderr = run(token(wrong), "webhook", "create", "--name", "Hook", "--set", "url="+srv.URL, "--secrets-stdin")
	expect("a wrong token", code, out, ExitFailed, "FAILED Hook: ")
	expect("a wrong token", code, stderr, ExitFailed, "the webhook was not saved because the test failed")
	if strings.Contains(out+stderr, wrong) {
		t.Errorf("the wrong token is shown: %q %q", out, stderr)
	}

	code, out, stderr = run(token(testkind.Token), "webhook", "create", "--name", "Hook", "--set", "url="+srv.URL, "--secrets-stdin")
	expect("create", code, out, ExitOK, "ok     Hook: The webhook answered.")
	expect("create", code, stderr, ExitOK, `Saved webhook "Hook".`)
	code, _, stderr = run(token(testkind.Token), "webhook", "create", "--name", "Relay", "--set", "url="+srv.URL, "--set", "forward=Hook", "--secrets-stdin", "--no-verify")
	expect("create a forwarder", code, stderr, ExitOK, `Saved webhook "Relay".`)
	// The engine's reference walk, not the command line, refuses a circle.
	code, _, stderr = run("", "webhook", "edit", "Hook", "--set", "forward=Relay", "--no-verify")
	expect("a circle", code, stderr, ExitInvalid, "forwarding would go round in a circle (Hook → Relay → Hook)")

	// edit keeps the saved token, tests again and renames.
	code, out, stderr = run("", "webhook", "edit", "Hook", "--rename", "Main")
	expect("edit", code, out, ExitOK, "ok     Main: The webhook answered.")
	expect("edit", code, stderr, ExitOK, `Changed webhook "Main".`)

	code, out, _ = run("", "webhook", "test", "Main")
	expect("test", code, out, ExitOK, "ok     Main: The webhook answered.\n")
	if w, err := store.Get("Main"); err != nil || w.Last == nil || !w.Last.OK {
		t.Errorf("the test is recorded on the webhook: %+v %v", w.Last, err)
	}
	code, out, _ = run("", "webhook", "test", "Main", "--json")
	var got map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &got) != nil || got["name"] != "Main" || got["kind"] != testkind.ID || got["ok"] != true || got["code"] != "ok" {
		t.Errorf("test --json: %d %s", code, out)
	}
	code, _, stderr = run("", "webhook", "test", "Ghost")
	expect("test of an unknown name", code, stderr, ExitInvalid, "no saved webhook is called \"Ghost\" (see `storelink webhook list`)")
	code, _, stderr = run("", "webhook", "test", "--all")
	expect("webhook test has agent's flags", code, stderr, ExitInvalid, "flag provided but not defined: -all")

	code, out, _ = run("", "webhook", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], "Main                     "+srv.URL) ||
		!strings.Contains(lines[0], " ok 20") || !strings.HasSuffix(lines[1], "unverified") {
		t.Errorf("list: %d %q", code, out)
	}
	code, out, _ = run("", "webhook", "list", "--json")
	var listed []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 2 || listed[0]["name"] != "Main" ||
		strings.Contains(out, testkind.Token) || !strings.Contains(out, `"secret_fields":["token"]`) {
		t.Errorf("list --json: %d %s", code, out)
	}

	code, out, _ = run("", "webhook", "delete", "Main")
	expect("delete", code, out, ExitOK, `Deleted webhook "Main" and its keychain items.`)
	code, _, stderr = run("", "webhook", "delete", "Main")
	expect("delete again", code, stderr, ExitInvalid, `no saved webhook is called "Main"`)
	if names, _ := store.List(); len(names) != 1 || names[0].Name != "Relay" {
		t.Errorf("left after delete: %v", names)
	}
	// The kind is the engine's: what it does not have stays unknown.
	code, _, stderr = run("", "frobnicate")
	expect("an unknown command", code, stderr, ExitInvalid, `unknown command "frobnicate"`)
	if keys := h.mem.Keys(); len(keys) != 0 {
		t.Errorf("webhooks keep their tokens in their own store, not the keychain: %v", keys)
	}
}
