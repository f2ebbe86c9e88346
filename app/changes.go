package app

// changes.go: screens hear about changes from the engine's announcements
// (engine.Listen), whoever made them (a pane, another screen, the engine
// directly), and update themselves instead of calling each other.

import (
	"context"
	"sync/atomic"

	"storelink/engine"
)

// changes is what a screen needs to hear about changes.
type changes interface {
	Listen(fn func(engine.Change)) (stop func())
}

// listen calls onChange on the UI goroutine (do) for every change until ctx ends.
func listen(ctx context.Context, c changes, do func(func()), onChange func(engine.Change)) {
	stop := c.Listen(func(ch engine.Change) { do(func() { onChange(ch) }) })
	context.AfterFunc(ctx, stop)
}

// reloader runs a screen's Reload once for the changes that arrive before
// it runs: a hundred outcomes recorded at once read the list once, not a
// hundred times.
type reloader struct {
	pending atomic.Bool
	do      func(func())
	reload  func()
}

// soon asks for a reload on the UI goroutine; safe from any goroutine.
func (r *reloader) soon() {
	if r.pending.Swap(true) {
		return
	}
	r.do(func() {
		r.pending.Store(false)
		r.reload()
	})
}
