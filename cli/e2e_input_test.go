//go:build e2e

package cli

// e2e_input_test.go: input is refused, never reinterpreted (issue 17,
// finding 6), through the real binary: each create below is refused with
// ExitInvalid and a message naming the field, and nothing new is saved.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const e2eKey = `{"api_key":"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"}`

// savedNames is what `storelink list --json` shows.
func (b *binary) savedNames() []string {
	b.t.Helper()
	code, out, stderr := b.run("", "list", "--json")
	if code != ExitOK {
		b.t.Fatalf("list --json: %d %s", code, stderr)
	}
	var list []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		b.t.Fatalf("list --json: %v\n%s", err, out)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	return names
}

func TestE2EInputIsRefusedNotReinterpreted(t *testing.T) {
	b := newBinary(t)
	create := func(name string, extra ...string) []string {
		return append([]string{"create", "--app", "prestashop", "--name", name, "--secrets-stdin", "--no-verify"}, extra...)
	}
	for _, n := range []string{"caf\u00e9", "shop", "p\u0061ypal"} { // NFC café, Latin a
		if code, out, stderr := b.run(e2eKey, create(n, "--set", "store_url=shop.example")...); code != ExitOK {
			t.Fatalf("create %q: %d %s %s", n, code, out, stderr)
		}
	}
	before := b.savedNames()
	passwd := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(passwd, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		args []string
		want []string // in stderr
	}{
		{"a file URL", create("A", "--set", "store_url=file:///etc/passwd"), []string{"Shop address", "not file://"}},
		{"a space inside", create("B", "--set", "store_url=shop example.com"), []string{"Shop address", "must not contain spaces"}},
		{"a CRLF injection", create("C", "--set", "store_url=https://shop.example\r\nX-Injected: 1"), []string{"Shop address", "must not contain spaces or line breaks"}},
		{"port 70000", create("D", "--set", "store_url=shop.example:70000"), []string{"Shop address", "1 to 65535"}},
		{"a missing agent", create("E", "--set", "store_url=shop.example", "--mode", "on-premise", "--agent", "ghost"), []string{"Agent", `"ghost"`}},
		{"/etc/passwd as CA file", create("F", "--set", "store_url=shop.example", "--set", "ca_file="+passwd), []string{"CA file", "holds no PEM certificate"}},
		{"a missing CA file", create("G", "--set", "store_url=shop.example", "--set", "ca_file="+filepath.Join(t.TempDir(), "none.pem")), []string{"CA file", "does not exist"}},
		{"café decomposed", create("cafe\u0301", "--set", "store_url=shop.example"), []string{"Name", `"café" already exists`}},
		{"a zero-width space", create("sh\u200bop", "--set", "store_url=shop.example"), []string{"Name", "invisible", "U+200B"}},
		{"a Cyrillic look-alike", create("p\u0430ypal", "--set", "store_url=shop.example"), []string{"Name", `looks the same as a connection named "paypal"`}},
	} {
		code, out, stderr := b.run(e2eKey, c.args...)
		if code != ExitInvalid {
			t.Errorf("%s: exit %d, want %d (invalid input)\n%s%s", c.what, code, ExitInvalid, out, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", c.what, stderr, w)
			}
		}
	}
	if after := b.savedNames(); !slices.Equal(after, before) {
		t.Errorf("something new was saved: %q, was %q", after, before)
	}
}
