package main

import (
	"math"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
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

// A terminating signal the window does not end on ends it after the grace
// time; a second signal ends it at once.
func TestQuitWatchdogEndsAStuckWindow(t *testing.T) {
	ended := make(chan string, 1)
	signals := make(chan os.Signal, 2)
	quitWatchdog(signals, 20*time.Millisecond, func(why string) { ended <- why })
	select {
	case why := <-ended:
		t.Fatalf("ended before any signal: %s", why)
	case <-time.After(50 * time.Millisecond):
	}
	signals <- syscall.SIGTERM
	if why := <-ended; !strings.Contains(why, "after terminated") {
		t.Errorf("after the grace time: %q", why)
	}

	signals = make(chan os.Signal, 2)
	quitWatchdog(signals, time.Hour, func(why string) { ended <- why })
	signals <- syscall.SIGTERM
	signals <- syscall.SIGINT
	select {
	case why := <-ended:
		if !strings.Contains(why, "second interrupt") {
			t.Errorf("at a second signal: %q", why)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second signal did not end it")
	}
}
