package connectors_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
)

// TestLimiterBoundsRequestsInFlight: at most Level requests of one group
// reach the store at once, and groups do not wait for each other.
func TestLimiterBoundsRequestsInFlight(t *testing.T) {
	var inFlight, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	lim := connectors.NewLimiter()
	run := func(group string, level, requests int) {
		var wg sync.WaitGroup
		for range requests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := connectors.NewClient(connectors.ClientOptions{Slot: connectors.Slot{Limiter: lim, Group: group, Level: level}})
				if _, err := c.Do(context.Background(), connectors.Request{URL: srv.URL}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	run("shop", 3, 12)
	if got := lim.Peak("shop"); got != 3 || peak.Load() != 3 {
		t.Errorf("level 3: limiter peak %d, server peak %d", got, peak.Load())
	}
	peak.Store(0)
	var wg sync.WaitGroup
	for _, g := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() { defer wg.Done(); run(g, 1, 4) }()
	}
	wg.Wait()
	for _, g := range []string{"a", "b", "c"} {
		if lim.Peak(g) != 1 {
			t.Errorf("group %s peak %d", g, lim.Peak(g))
		}
	}
	if peak.Load() < 2 {
		t.Errorf("independent groups run side by side: server peak %d", peak.Load())
	}
	// A wait that is cancelled ends at once.
	hold, _ := connectors.Slot{Limiter: lim, Group: "busy", Level: 1}.Acquire(context.Background())
	defer hold()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	c := connectors.NewClient(connectors.ClientOptions{Slot: connectors.Slot{Limiter: lim, Group: "busy", Level: 1}})
	if _, err := c.Do(ctx, connectors.Request{URL: srv.URL}); err == nil {
		t.Error("waiting past the context is an error")
	}
}
