//go:build e2e

package cli

// e2e_watch_test.go: `storelink watch --once` through the real binary and
// keychain: a connection verified, then refused, shows as one change of
// state and exit status 1; a second round with nothing changed prints
// nothing.

import (
	"encoding/json"
	"strings"
	"testing"

	"storelink/connectors/upgates/upgatestest"
)

func TestE2EWatchOncePrintsTheChange(t *testing.T) {
	b := newBinary(t)
	up := upgatestest.New(t, upgatestest.Options{})
	v := up.Values()
	code, _, errs := b.run(secretsJSON(t, map[string]string{"api_key": v["api_key"]}), "create", "--app", "upgates", "--name", "Eshop",
		"--set", "api_url="+v["api_url"], "--set", "api_user="+v["api_user"], "--set", "language=cs", "--secrets-stdin")
	if code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	if code, out, errs := b.run("", "watch", "--once", "--json"); code != 0 || out != "" {
		t.Errorf("nothing is due within the hour: exit %d, %q %s", code, out, errs)
	}
	up.Update(func(o *upgatestest.Options) { o.Key = "ANOTHER-KEY-123456789" }) // the key was revoked

	code, out, errs := b.run("", "watch", "--once", "--json", "--every", "1ms")
	if code != 1 {
		t.Errorf("a connection is failing: exit %d, want 1 (%s)", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one change, got %q (%s)", out, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatalf("not JSON: %q", lines[0])
	}
	for key, want := range map[string]string{"name": "Eshop", "kind": "connection", "from": "verified", "to": "failed", "code": "auth_invalid"} {
		if got[key] != want {
			t.Errorf("%s = %v, want %s (%s)", key, got[key], want, lines[0])
		}
	}
	if s, _ := got["time"].(string); s == "" {
		t.Errorf("no time: %s", lines[0])
	}
	b.assertNoLeak(v["api_key"], out, errs)

	sent := up.Requests()
	code, out, errs = b.run("", "watch", "--once", "--json", "--every", "1ms")
	if code != 1 || out != "" {
		t.Errorf("nothing changed: exit %d, printed %q", code, out)
	}
	if up.Requests() != sent || !strings.Contains(errs, "failed on its login") {
		t.Errorf("the login Upgates refused was retried (%d requests) or not explained: %s", up.Requests()-sent, errs)
	}
}
