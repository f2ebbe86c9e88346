package app

// history_bench_test.go: what the histories add to showing the table of
// 1,000 connections ("Failed for 3 h, verified before" in every Status
// cell with a history): `make bench`.

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/engine"
	"storelink/vault"
)

// benchHistoryEngines are two engines over the same 1,000 saved
// connections: one keeps no history, the other has a full one
// (vault.HistoryCap tests) for every connection, whose newest tests agree
// with the state the connection shows: a verified one passed every test
// (the whole history is one run), a failed one fails its last 50. As the
// engine records them, their last verifications keep when that run began
// and the state before it.
func benchHistoryEngines(b *testing.B) (without, with *engine.Engine) {
	dir := b.TempDir()
	store, err := vault.Open(dir, vault.NewMemorySecrets())
	if err != nil {
		b.Fatal(err)
	}
	writeConnections(b, store, 1000)
	cs, err := store.List()
	if err != nil {
		b.Fatal(err)
	}
	h := vault.History{Dir: filepath.Join(dir, "state", "history")}
	start := time.Now().Add(-time.Duration(vault.HistoryCap) * time.Hour)
	var items []vault.HistoryItem
	lasts := map[string]vault.Verification{}
	for _, c := range cs {
		failing := c.Last != nil && !c.Last.OK
		if c.Last != nil && !c.Last.Unverified {
			l, since := *c.Last, start
			if failing {
				since, l.Before = start.Add(time.Duration(vault.HistoryCap-50)*time.Hour), string(engine.StateVerified)
			}
			l.Since = &since
			lasts[c.Name] = l
		}
		for i := range vault.HistoryCap {
			o := vault.OutcomePassed
			if failing && i >= vault.HistoryCap-50 {
				o = vault.OutcomeFailed
			}
			items = append(items, vault.HistoryItem{Kind: engine.KindConnection, ID: c.ID, Entry: vault.HistoryEntry{
				Time: start.Add(time.Duration(i) * time.Hour), Outcome: o, Code: "ok", DurationMS: 120, Trigger: engine.TriggerSchedule}})
		}
	}
	if err := h.Append(items...); err != nil {
		b.Fatal(err)
	}
	if err := store.RecordMany(lasts, nil); err != nil {
		b.Fatal(err)
	}
	reg := testRegistry(&script{})
	paths := engine.Paths{Home: dir, Connections: store.Path(), Logs: filepath.Join(dir, "storelink.log")}
	without = engine.New(engine.Deps{Store: store, Registry: reg, Paths: paths})
	with = engine.New(engine.Deps{Store: store, Registry: reg, Paths: paths, History: h})
	return without, with
}

// tableShown is starting the window up to the table of connections
// drawn with how long each state has lasted, read from the histories.
func tableShown(b *testing.B, a fyne.App, eng *engine.Engine, l *loop) (time.Duration, string) {
	begin := time.Now()
	u := newUI(a, eng, l.do)
	u.Window.Show()
	s := u.Connections
	l.until(b, "the list and its histories", func() bool { return !s.Loading() && s.lasted != nil })
	u.Window.Canvas().Capture()
	took := time.Since(begin)
	var status string
	for _, r := range s.rows {
		if r.c.Last != nil && !r.c.Last.Unverified {
			status, _ = s.status(r)
			break
		}
	}
	u.stop()
	u.Window.Close()
	return took, status
}

// BenchmarkTableWithHistory1000 shows the table of 1,000 connections with
// full histories and with none, in turns in one run; x-without is the
// median with the histories over the median without (target: at most 1.2).
func BenchmarkTableWithHistory1000(b *testing.B) {
	b.Setenv("LANG", "C.UTF-8")
	a := test.NewTempApp(b)
	l := newLoop()
	without, with := benchHistoryEngines(b)
	_, _ = tableShown(b, a, without, l) // warm caches (fonts, icons) for both
	if _, s := tableShown(b, a, with, l); !containsFor(s) {
		b.Fatalf("the Status cell says %q, not how long the state has lasted", s)
	}
	var plain, kept []time.Duration
	for b.Loop() {
		d, _ := tableShown(b, a, without, l)
		plain = append(plain, d)
		d, _ = tableShown(b, a, with, l)
		kept = append(kept, d)
	}
	b.ReportMetric(float64(median(plain))/float64(time.Millisecond), "ms-without")
	b.ReportMetric(float64(median(kept))/float64(time.Millisecond), "ms-with")
	b.ReportMetric(float64(median(kept))/float64(median(plain)), "x-without")
}

func containsFor(status string) bool {
	var state, rest string
	n, _ := fmt.Sscanf(status, "%s for %s", &state, &rest)
	return n == 2
}
