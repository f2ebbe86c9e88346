package engine_test

// bench_test.go: what testing a hundred saved connections at once costs.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"storelink/engine"
)

// BenchmarkTestAll100 tests 100 saved connections (one request each, level
// 1, all their own) against a store that answers after 20 ms, 8 at a time:
// the ideal is ceil(100/8) rounds of 20 ms. x-ideal is the measured time
// over that ideal (target: at most 1.5).
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
	start := time.Now()
	for range b.N {
		for _, o := range f.eng.TestMany(context.Background(), names, engine.TestOptions{}, nil) {
			if !o.Result.OK {
				b.Fatalf("%s: %s", o.Name, o.Result.Message)
			}
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(per.Milliseconds()), "ms/run")
}
