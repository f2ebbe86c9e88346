package engine_test

// history_bench_test.go: what keeping a history adds to recording tests.

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"storelink/engine"
	"storelink/vault"
)

// BenchmarkRecordWithHistory tests 1,000 saved connections with full
// histories (vault.HistoryCap tests each) against a store that answers at
// once, with and without the history, in turns; x-without is the time with
// the history over the time without (target: at most 1.2).
func BenchmarkRecordWithHistory(b *testing.B) {
	const n = 1000
	t := &testing.T{}
	f := newFixture(t, 0)
	f.t = t
	var names []string
	for i := range n {
		name := fmt.Sprintf("Shop %03d", i)
		f.createWith(name, nil)
		names = append(names, name)
	}
	h := vault.History{Dir: filepath.Join(b.TempDir(), "history")}
	without := engine.New(engine.Deps{Store: f.store, Registry: registry()})
	with := engine.New(engine.Deps{Store: f.store, Registry: registry(), History: h})
	saved, err := f.store.List()
	if err != nil {
		b.Fatal(err)
	}
	var full []vault.HistoryItem // full histories first
	for _, c := range saved {
		for i := range vault.HistoryCap {
			full = append(full, vault.HistoryItem{Kind: engine.KindConnection, ID: c.ID, Entry: vault.HistoryEntry{
				Time: time.Unix(int64(i), 0), Outcome: vault.OutcomePassed, Code: "ok", Trigger: "cli"}})
		}
	}
	if err := h.Append(full...); err != nil {
		b.Fatal(err)
	}
	run := func(e *engine.Engine) time.Duration {
		start := time.Now()
		for _, o := range e.TestMany(context.Background(), names, engine.TestOptions{}, nil) {
			if !o.Result.OK {
				b.Fatalf("%s: %s", o.Name, o.Result.Message)
			}
		}
		return time.Since(start)
	}
	var plain, kept time.Duration
	b.ResetTimer()
	for range b.N {
		plain += run(without)
		kept += run(with)
	}
	b.ReportMetric(float64(kept)/float64(plain), "x-without")
}
