package engine_test

// api_level_test.go: calls of a saved connection and Test all share its
// concurrency level within one process (the window, or one command).

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
	"storelink/engine"
)

func TestCallsAndTestAllHoldTheConcurrencyLevel(t *testing.T) {
	const level = 2
	ps := pstest.Handler(pstest.Options{Products: 6})
	var inFlight, peak atomic.Int32
	reached := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if n > level {
			once.Do(func() { close(reached) })
		}
		// Hold each request a while (or until the level is passed), so
		// the level's requests overlap and one more would show.
		select {
		case <-reached:
		case <-time.After(150 * time.Millisecond):
		}
		ps.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	h := newHome(t)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": srv.URL, "api_key": pstest.DefaultKey, "use_https": "false", "concurrency_level": "2"})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.eng.Call(context.Background(), "Shop", connectors.APIRequest{Path: "/products?limit=0,2"}, engine.CallOptions{Follow: true},
				func(connectors.APIRequest, *connectors.Response) error { return nil })
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, r := range h.eng.Of(engine.KindConnection).TestMany(context.Background(), []string{"Shop"}, engine.TestOptions{}, nil) {
			if !r.Result.OK {
				t.Errorf("test: %s", r.Result.Message)
			}
		}
	}()
	wg.Wait()
	if p := peak.Load(); p != level {
		t.Errorf("at most %d requests in flight at once, want exactly the level %d", p, level)
	}
}
