//go:build e2e

package cli

// e2e_api_level_test.go: a connection's concurrency level holds across
// processes: `storelink api --paginate` in one and `storelink test --all`
// in others, at once, never have more requests in flight to the store than
// the level allows.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors/prestashop/pstest"
)

func TestE2EAPILevelHoldsAcrossProcesses(t *testing.T) {
	b := newBinary(t)
	ps := pstest.Handler(pstest.Options{Products: 12})
	var inFlight, peak, total atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		total.Add(1)
		for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
		}
		time.Sleep(40 * time.Millisecond) // long enough for the processes to overlap
		ps.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	b.psCreate("Shop", host, "use_https=false", "concurrency_level=1")
	b.psCreate("Twin", host, "use_https=false", "borrow_concurrency_from=Shop")

	var wg sync.WaitGroup
	results := make([]string, 3)
	run := func(i int, args ...string) {
		defer wg.Done()
		code, out, errs := b.run("", args...)
		if code != 0 {
			results[i] = strings.Join(args, " ") + ": " + out + errs
		}
	}
	wg.Add(3)
	go run(0, "api", "Shop", "/products?limit=0,1", "--paginate")
	go run(1, "test", "--all")
	go run(2, "api", "Twin", "/products?limit=0,2", "--paginate")
	wg.Wait()
	for _, r := range results {
		if r != "" {
			t.Errorf("failed: %s", r)
		}
	}
	if total.Load() < 20 {
		t.Fatalf("only %d requests reached the store; the processes cannot have overlapped", total.Load())
	}
	if p := peak.Load(); p != 1 {
		t.Errorf("%d requests were in flight at once to a store whose level is 1 (across %d requests)", p, total.Load())
	}
}
