//go:build e2e

package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors/prestashop/pstest"
)

// A shop that takes the key, then refuses it (revoked), then takes it
// again: three tests, three lines of history in order with their codes.
func TestE2EHistoryOfThreeTests(t *testing.T) {
	b := newBinary(t)
	good := pstest.Handler(pstest.Options{})
	revoked := pstest.Handler(pstest.Options{Key: "REVOKEDREVOKEDREVOKEDREVOKED1234"})
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() {
			revoked.ServeHTTP(w, r)
			return
		}
		good.ServeHTTP(w, r)
	}))
	defer srv.Close()
	if code, _, errs := b.run(`{"api_key":"`+pstest.DefaultKey+`"}`, "create", "--app", "prestashop", "--name", "Shop",
		"--set", "store_url="+hostPort(t, srv.URL), "--set", "use_https=false", "--secrets-stdin", "--no-verify"); code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	for i, want := range []int{0, 1, 0} {
		refuse.Store(i == 1)
		if code, out, errs := b.run("", "test", "Shop"); code != want {
			t.Fatalf("test %d: exit %d, want %d\n%s%s", i+1, code, want, out, errs)
		}
	}

	code, out, errs := b.run("", "history", "Shop", "--json")
	if code != 0 {
		t.Fatalf("history: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("history --json printed %d lines, want 3:\n%s", len(lines), out)
	}
	var got []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("history line %q: %v", l, err)
		}
		if len(m) != 5 || m["time"] == nil || m["outcome"] == nil || m["code"] == nil || m["duration_ms"] == nil || m["trigger"] != "cli" {
			t.Fatalf("history line %q: want exactly time outcome code duration_ms trigger=cli", l)
		}
		got = append(got, m)
	}
	want := [][2]string{{"passed", "ok"}, {"failed", "auth_invalid"}, {"passed", "ok"}}
	for i, w := range want {
		if got[i]["outcome"] != w[0] || got[i]["code"] != w[1] {
			t.Errorf("test %d: %v %v, want %s %s", i+1, got[i]["outcome"], got[i]["code"], w[0], w[1])
		}
	}
	if code, out, _ := b.run("", "history", "Shop", "--limit", "1", "--json"); code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"outcome":"passed"`) {
		t.Errorf("history --limit 1: %d %q", code, out)
	}
	if code, out, _ := b.run("", "history", "Shop"); code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, "auth_invalid") {
		t.Errorf("history in words: %d %q", code, out)
	}

	// status_since: the pass after the failure began the current state.
	code, out, errs = b.run("", "list", "--json")
	if code != 0 {
		t.Fatalf("list --json: %d %s", code, errs)
	}
	var list []struct {
		Name        string     `json:"name"`
		StatusSince *time.Time `json:"status_since"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].StatusSince == nil {
		t.Fatalf("list --json: %v %s", err, out)
	}
	third, _ := time.Parse(time.RFC3339Nano, got[2]["time"].(string))
	if !list[0].StatusSince.Equal(third) {
		t.Errorf("status_since %v, want the third test's time %v", list[0].StatusSince, third)
	}

	// The history follows a rename and goes with a delete.
	if code, _, errs := b.run("", "edit", "Shop", "--rename", "Outlet", "--no-verify"); code != 0 {
		t.Fatalf("rename: %d %s", code, errs)
	}
	if code, out, _ := b.run("", "history", "Outlet", "--json"); code != 0 || strings.Count(out, "\n") != 3 {
		t.Errorf("history after the rename: %d %q, want the three tests", code, out)
	}
	if code, _, errs := b.run("", "delete", "Outlet"); code != 0 {
		t.Fatalf("delete: %d %s", code, errs)
	}
	if files, _ := filepath.Glob(filepath.Join(b.home, "state", "history", "*.jsonl")); len(files) != 0 {
		t.Errorf("the history outlived its connection: %v", files)
	}
	if code, _, errs := b.run("", "history", "nobody"); code != 2 || !strings.Contains(errs, "nobody") {
		t.Errorf("history of an unknown name: %d %s", code, errs)
	}
}
