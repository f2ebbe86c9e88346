package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// The collector is off from the start until the window shows, under a
// memory limit, and then back as it was.
func TestCollectionWaitsForTheWindow(t *testing.T) {
	percent := debug.SetGCPercent(150)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })

	later := deferCollection()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("during start-up the collector's percent is %d, want -1 (off)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != startupMemoryLimit {
		t.Errorf("during start-up the memory limit is %d, want %d", got, startupMemoryLimit)
	}
	later()
	later() // the window's started event may come again: nothing more happens
	if got := debug.SetGCPercent(-1); got != 150 {
		t.Errorf("after start-up the collector's percent is %d, want 150 as before", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after start-up the memory limit is %d, want none as before", got)
	}
}
