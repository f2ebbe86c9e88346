//go:build !windows

package cli

import (
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/magento2"
	"storelink/connectors/prestashop"
	"storelink/connectors/prestashop/pstest"
)

// execHarness has PrestaShop registered and one saved connection, its key
// in the (memory) keychain.
func execHarness(t *testing.T) *harness {
	h := newHarness(t)
	h.reg = connectors.NewRegistry()
	h.reg.Register(prestashop.Info())
	h.reg.Register(magento2.Info())
	h.save("Shop", "127.0.0.1:8080", pstest.DefaultKey)
	return h
}

func (h *harness) save(name, address, key string) {
	h.t.Helper()
	code, _, stderr := h.run(`{"api_key":"`+key+`"}`, "create", "--app", "prestashop", "--name", name,
		"--set", "store_url="+address, "--set", "use_https=false", "--secrets-stdin", "--no-verify")
	if code != 0 {
		h.t.Fatalf("create %s: %d %s", name, code, stderr)
	}
}

const printVars = `printf '%s|%s|%s|%s|%s\n' "$STORELINK_NAME" "$STORELINK_APP" "$STORELINK_URL" "$STORELINK_API_URL" "$PRESTASHOP_API_KEY"`

// The program sees the connection's variables; its output shows the key
// masked, or with --no-masking as it is; the log names the variables and
// never holds a value.
func TestExecHandsTheVariablesAndMasksTheOutput(t *testing.T) {
	h := execHarness(t)
	code, out, stderr := h.run("", "exec", "Shop", "--", "sh", "-c", printVars+`; printf '%s' "$PRESTASHOP_API_KEY" >&2`)
	if code != 0 || out != "Shop|prestashop|http://127.0.0.1:8080|http://127.0.0.1:8080/api|****\n" || stderr != "****" {
		t.Fatalf("exec: %d %q %q", code, out, stderr)
	}
	code, out, _ = h.run("", "exec", "--no-masking", "Shop", "--", "sh", "-c", printVars)
	if code != 0 || !strings.HasSuffix(out, "|"+pstest.DefaultKey+"\n") {
		t.Fatalf("exec --no-masking: %d %q", code, out)
	}
	// Storelink's own settings are not handed over; the user's environment is.
	t.Setenv("STORELINK_TEST_OUTSIDE", "kept")
	_, out, _ = h.run("", "exec", "Shop", "--", "sh", "-c", "env")
	if !strings.Contains(out, "STORELINK_TEST_OUTSIDE=kept") || strings.Contains(out, "PRESTASHOP_MODE") || strings.Contains(out, "PRESTASHOP_CONCURRENCY_LEVEL") {
		t.Errorf("environment: %s", out)
	}
	log := h.logText()
	if !strings.Contains(log, "PRESTASHOP_API_KEY") || strings.Contains(log, pstest.DefaultKey[:8]) {
		t.Errorf("the log should name the variables and hold no key:\n%s", log)
	}
	// stdin passes through.
	if code, out, _ := h.run("typed\n", "exec", "Shop", "--", "sh", "-c", "read line; echo got $line"); code != 0 || out != "got typed\n" {
		t.Errorf("stdin: %d %q", code, out)
	}
}

// The exit status is the program's; a program killed by a signal gives
// 128 + the signal, as a shell says.
func TestExecExitStatus(t *testing.T) {
	h := execHarness(t)
	for cmd, want := range map[string]int{"exit 0": 0, "exit 3": 3, "kill -TERM $$": 128 + 15, "kill -KILL $$": 128 + 9} {
		if code, _, stderr := h.run("", "exec", "Shop", "--", "sh", "-c", cmd); code != want {
			t.Errorf("%s: status %d, want %d (%s)", cmd, code, want, stderr)
		}
	}
	if code, _, stderr := h.run("", "exec", "Shop", "--", "no-such-program-storelink"); code != ExitNotFound || !strings.Contains(stderr, `"no-such-program-storelink" was not found`) {
		t.Errorf("a missing program: %d %s", code, stderr)
	}
}

// Several connections: every variable carries its connection's name.
func TestExecSeveralConnections(t *testing.T) {
	h := execHarness(t)
	other := "OTHERKEY0123456789ABCDEFGHIJKLMN"
	h.save("shop.cz", "cz.example", other)
	code, out, stderr := h.run("", "exec", "--no-masking", "Shop", "shop.cz", "--", "sh", "-c", `printf '%s %s %s' "$SHOP_PRESTASHOP_API_KEY" "$SHOP_CZ_PRESTASHOP_API_KEY" "$SHOP_CZ_STORELINK_URL"`)
	if code != 0 || out != pstest.DefaultKey+" "+other+" http://cz.example" {
		t.Fatalf("%d %q %s", code, out, stderr)
	}
	code, out, _ = h.run("", "exec", "--list", "Shop", "shop.cz")
	if code != 0 || !strings.Contains(out, "SHOP_CZ_PRESTASHOP_API_KEY\n") || strings.Contains(out, other) || strings.Contains(out, pstest.DefaultKey) {
		t.Errorf("--list: %d %q", code, out)
	}
}

// Usage errors name what is missing and exit 2; help exec lists the
// documented variable names of every platform.
func TestExecUsage(t *testing.T) {
	h := execHarness(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"exec"}, "needs the name of a saved connection"},
		{[]string{"exec", "Shop"}, "needs the command to run after --"},
		{[]string{"exec", "Shop", "--"}, "needs the command to run after --"},
		{[]string{"exec", "Nobody", "--", "true"}, `no saved connection is named "Nobody"`},
		{[]string{"exec", "--list", "Shop", "--", "true"}, "runs nothing"},
		{[]string{"exec", "--bogus", "Shop", "--", "true"}, "-bogus"},
	} {
		if code, _, stderr := h.run("", c.args...); code != ExitInvalid || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	code, out, _ := h.run("", "help", "exec")
	for _, want := range []string{"STORELINK_URL", "PRESTASHOP_API_KEY", "MAGENTO_CONSUMER_KEY", "--no-masking"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help exec lacks %s", want)
		}
	}
}
