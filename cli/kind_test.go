package cli

// kind_test.go: connections and agents go through one implementation of
// create, edit, list, test and delete, so they say the same things.

import (
	"strings"
	"testing"
)

// said is how a command ended: its exit code and what it printed.
type said struct {
	code int
	text string
}

func TestConnectionsAndAgentsSpeakAlike(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	for _, k := range []struct {
		prefix, noun, label string
		create              []string // without --name
		secret, required    string   // one secret field, and what leaving it out says
	}{
		{"", "connection", `"Shop"`, []string{"create", "--app", "demo", "--set", "url=" + srv.URL}, `{"api_key":"` + goodKey + `"}`, "API key: required; enter a value"},
		{"agent ", "agent", `agent "Office"`, []string{"agent", "create", "--set", "host=127.0.0.1", "--set", "user=shop", "--set", "auth=password"},
			`{"password":"agent-pass-0123456789"}`, "Password: required; enter a value"},
	} {
		name := strings.Trim(strings.TrimPrefix(k.label, "agent "), `"`)
		cmd := func(sub string) []string { return append(strings.Fields(k.prefix), sub) }
		expect := func(what string, got, want said) {
			t.Helper()
			if got.code != want.code || !strings.Contains(got.text, want.text) {
				t.Errorf("%s%s: exit %d, %q; want exit %d and %q", k.prefix, what, got.code, got.text, want.code, want.text)
			}
		}
		code, _, stderr := h.run("", append(k.create, "--name", name, "--no-verify")...)
		expect("create without the secret", said{code, stderr}, said{ExitInvalid, k.required + " (secrets come from standard input with --secrets-stdin)"})
		code, _, stderr = h.run(k.secret, append(k.create, "--name", name, "--secrets-stdin", "--no-verify")...)
		expect("create", said{code, stderr}, said{ExitOK, "Saved " + k.label + "."})
		code, _, stderr = h.run("", append(k.create, "--rename", "X")...)
		expect("create --rename", said{code, stderr}, said{ExitInvalid, "--rename is for " + k.prefix + "edit; use --name"})
		code, _, stderr = h.run("", append(cmd("edit"), name, "--name", "X")...)
		expect("edit --name", said{code, stderr}, said{ExitInvalid, "--name is for " + k.prefix + "create; use --rename"})
		code, _, stderr = h.run("", append(cmd("edit"), "--no-verify")...)
		expect("edit without a name", said{code, stderr}, said{ExitInvalid, k.prefix + "edit takes one " + k.noun + " name (see `storelink " + k.prefix + "list`)"})

		if _, out, _ := h.run("", cmd("list")...); !strings.Contains(out, name) || !strings.HasSuffix(strings.TrimSpace(out), "unverified") {
			t.Errorf("%slist: a never tested one is unverified: %q", k.prefix, out)
		}
		// The name may come after the flags, as anywhere else.
		code, _, stderr = h.run("", append(cmd("edit"), "--rename", name+"2", "--no-verify", name)...)
		renamed := strings.Replace(k.label, name, name+"2", 1)
		expect("edit --rename", said{code, stderr}, said{ExitOK, "Changed " + renamed + "."})
		code, _, stderr = h.run("", append(cmd("test"), name+"2", "Nope")...)
		expect("test of an unknown name", said{code, stderr}, said{ExitInvalid, `no saved ` + k.noun + ` is called "Nope" (see ` + "`storelink " + k.prefix + "list`)"})
		code, out, _ := h.run("", append(cmd("delete"), name+"2")...)
		expect("delete", said{code, out}, said{ExitOK, "Deleted " + renamed + " and its keychain items."})
	}
	if keys := h.mem.Keys(); len(keys) != 0 {
		t.Errorf("keychain items left: %v", keys)
	}
}
