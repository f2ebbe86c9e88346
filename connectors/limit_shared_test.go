package connectors_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
)

// Two limiters over one folder stand for two processes (a lock file's
// lock belongs to its open file, so they exclude each other as processes
// do): together they never exceed the level, and reach it.
func TestSharedLimitersHoldOneLevel(t *testing.T) {
	dir := t.TempDir()
	limiters := []*connectors.Limiter{connectors.NewSharedLimiter(dir), connectors.NewSharedLimiter(dir)}
	const level = 2
	var inFlight, peak atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slot := connectors.Slot{Limiter: limiters[i%2], Group: "shop-1", Level: level}
			release, err := slot.Acquire(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			n := inFlight.Add(1)
			for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
			}
			time.Sleep(5 * time.Millisecond)
			inFlight.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != level {
		t.Errorf("peak %d across two limiters, want the level %d", p, level)
	}
}

// A wait for another process's lock ends with the context, and the place
// it waited for is taken by nobody.
func TestSharedLimiterWaitEndsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	a, b := connectors.NewSharedLimiter(dir), connectors.NewSharedLimiter(dir)
	held, err := connectors.Slot{Limiter: a, Group: "g", Level: 1}.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := (connectors.Slot{Limiter: b, Group: "g", Level: 1}).Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v while the other process holds the only place, want the deadline", err)
	}
	held()
	release, err := connectors.Slot{Limiter: b, Group: "g", Level: 1}.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
}

// A folder that cannot hold lock files (here: a file in its way) bounds
// this process only; requests still go.
func TestSharedLimiterWithAnUnusableFolderStillBoundsTheProcess(t *testing.T) {
	l := connectors.NewSharedLimiter("/dev/null/slots")
	release, err := connectors.Slot{Limiter: l, Group: "g", Level: 1}.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := (connectors.Slot{Limiter: l, Group: "g", Level: 1}).Acquire(ctx); err == nil {
		t.Error("a second request of the process got a place at level 1")
	}
	release()
}
