package app

// verify.go: the window's work that may be slow (tests, keychain writes)
// runs here, in a goroutine with a cancellable context; progress, elapsed
// time and the outcome come back to the UI goroutine through the runner's
// post, so the window never waits for a store or the keychain.

import (
	"context"
	"time"
)

// AppID is the Fyne application ID, the same as in FyneApp.toml; it also
// names the keychain service.
const AppID = "io.storelink.desktop"

// job is what the UI goroutine captures before background work starts.
type job[T any] struct {
	// work runs in the background; step reports progress in words.
	work     func(ctx context.Context, step func(string)) T
	progress func(step string)           // UI goroutine
	tick     func(elapsed time.Duration) // UI goroutine, every 100 ms
	// finish gets the outcome on the UI goroutine, once; abandoned says
	// Cancel was pressed meanwhile (the outcome may still matter: a save
	// that had begun is done).
	finish func(out T, abandoned bool)
}

// verification is background work under way.
type verification struct {
	cancel  context.CancelFunc
	done    chan struct{} // closed once the outcome was handled
	started time.Time
	// UI goroutine only.
	abandoned, finished bool
}

// abandon is Cancel: the context is cancelled so the work stops.
func (v *verification) abandon() {
	v.abandoned = true
	v.cancel()
}

// runner is what background work needs of the window: a context that ends
// with it, and a way onto the UI goroutine.
type runner interface {
	runContext() context.Context
	post(f func())
}

// start runs j in the background.
func start[T any](r runner, j job[T]) *verification {
	ctx, cancel := context.WithCancel(r.runContext())
	v := &verification{cancel: cancel, done: make(chan struct{}), started: time.Now()}
	live := func() bool { return !v.abandoned && !v.finished }
	step := func(s string) {
		r.post(func() {
			if live() && j.progress != nil {
				j.progress(s)
			}
		})
	}
	stopTicks := make(chan struct{})
	if j.tick != nil {
		go func() {
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopTicks:
					return
				case <-t.C:
					r.post(func() {
						if live() {
							j.tick(time.Since(v.started))
						}
					})
				}
			}
		}()
	}
	go func() {
		defer close(stopTicks)
		out := j.work(ctx, step)
		cancel()
		r.post(func() {
			defer close(v.done)
			v.finished = true
			j.finish(out, v.abandoned)
		})
	}()
	return v
}
