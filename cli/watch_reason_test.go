package cli

// watch_reason_test.go: `storelink watch` prints a failure whose reason
// changed (the key refused, then the shop unreachable) as a change.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestWatchPrintsAFailureThatChangesItsReason(t *testing.T) {
	h := newHarness(t)
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() || r.Header.Get("X-Key") != goodKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	if code, _, errs := h.run(`{"api_key": "`+goodKey+`"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin"); code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	watch := func() map[string]any {
		t.Helper()
		code, out, errs := h.run("", "watch", "--once", "--json", "--every", "1ms")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var got map[string]any
		if code != 1 || len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &got) != nil {
			t.Fatalf("want exit 1 and one change: %d %q %s", code, out, errs)
		}
		return got
	}
	refuse.Store(true)
	if got := watch(); got["from"] != "verified" || got["to"] != "failed" || got["code"] != "auth_invalid" {
		t.Fatalf("the key refused: %v", got)
	}
	srv.Close() // now it fails for another reason
	got := watch()
	if got["from"] != "failed" || got["to"] != "failed" || got["code"] != "unreachable" || got["from_code"] != "auth_invalid" {
		t.Fatalf("the new reason: %v", got)
	}
	if code, out, _ := h.run("", "watch", "--once", "--every", "1ms"); code != 1 || out != "" {
		t.Errorf("the same reason again is no change: %d %q", code, out)
	}
}
