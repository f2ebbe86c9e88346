package engine_test

// bench_test.go: what testing a hundred saved connections at once costs.

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"storelink/engine"
)

// BenchmarkTestAll100 tests 100 saved connections (one request each, level
// 1, all their own) against a store that answers after 20 ms, 8 at a time:
// the ideal is ceil(100/8) rounds of 20 ms. x-ideal is the measured time
// over that ideal (target: at most 1.2). In turns with each run, the same
// 100 requests go out with bare net/http (a new client each, 8 at a time):
// floor-x-ideal is what the machine allows at its current load.
func BenchmarkTestAll100(b *testing.B) {
	const n, parallel, latency = 100, 8, 20 * time.Millisecond
	t := &testing.T{}
	f := newFixture(t, parallel)
	f.t = t
	var names []string
	for i := range n {
		name := fmt.Sprintf("Shop %03d", i)
		f.createWith(name, nil)
		names = append(names, name)
	}
	f.shop.delay = latency
	ideal := time.Duration((n+parallel-1)/parallel) * latency
	b.ResetTimer()
	var took, floor time.Duration
	for range b.N {
		start := time.Now()
		for _, o := range f.eng.TestMany(context.Background(), names, engine.TestOptions{}, nil) {
			if !o.Result.OK {
				b.Fatalf("%s: %s", o.Name, o.Result.Message)
			}
		}
		took += time.Since(start)
		b.StopTimer()
		start = time.Now()
		bareRequests(b, f.shop.URL+"/check", n, parallel)
		floor += time.Since(start)
		b.StartTimer()
	}
	per := took / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(floor)/float64(b.N)/float64(ideal), "floor-x-ideal")
	b.ReportMetric(float64(per.Milliseconds()), "ms/run")
}

// bareRequests sends n requests to url, parallel at a time, each with a new
// client and connection, as each test of Test all does.
func bareRequests(b *testing.B, url string, n, parallel int) {
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			transport := &http.Transport{}
			defer transport.CloseIdleConnections()
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("X-Key", goodKey)
			resp, err := (&http.Client{Transport: transport}).Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("bare request: %s", resp.Status)
			}
		}()
	}
	wg.Wait()
}
