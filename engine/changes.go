package engine

// changes.go: the engine announces every committed change to saved
// resources, of every kind, so the screens that show them update
// themselves instead of calling each other.

import (
	"sync"
	"sync/atomic"
)

// ChangeOp is what happened to a saved resource.
type ChangeOp string

// The changes the engine announces. A test's recorded outcome is Recorded,
// not Tested: that name is taken by the type of a finished test.
const (
	Created  ChangeOp = "created"
	Saved    ChangeOp = "saved" // an edit, or a create that replaced
	Renamed  ChangeOp = "renamed"
	Deleted  ChangeOp = "deleted"
	Recorded ChangeOp = "recorded" // a test's outcome (or Record's) was written
	// Reloaded: another process changed the saved resources of the kind
	// (Watch); Name is "", read the list again.
	Reloaded ChangeOp = "reloaded"
)

// Change is one committed change. OldName is the name before, when the
// change renamed (Renamed, or Saved by an edit that renamed); else "".
type Change struct {
	Kind          string // KindConnection, KindAgent, ...
	Op            ChangeOp
	Name, OldName string
}

type listener struct {
	fn      func(Change)
	stopped atomic.Bool
}

type listeners struct {
	mu   sync.Mutex
	list []*listener
}

// Listen calls fn with every change from now on, after it is committed,
// from the goroutine that made it (a test of many: from each test's), in
// the order listeners were added. fn must not block: a window hands the
// work to its own goroutine. stop may be called at any time, from any
// goroutine (fn's own included), and never waits; a change announced at
// that very moment may still reach fn once.
func (e *Engine) Listen(fn func(Change)) (stop func()) {
	l := &listener{fn: fn}
	e.ears.mu.Lock()
	e.ears.list = append(e.ears.list, l)
	e.ears.mu.Unlock()
	return func() {
		if l.stopped.Swap(true) {
			return
		}
		e.ears.mu.Lock()
		defer e.ears.mu.Unlock()
		for i, got := range e.ears.list {
			if got == l {
				e.ears.list = append(e.ears.list[:i:i], e.ears.list[i+1:]...)
				break
			}
		}
	}
}

// announce tells every listener of c.
func (e *Engine) announce(c Change) {
	e.ears.mu.Lock()
	list := e.ears.list
	e.ears.mu.Unlock()
	for _, l := range list {
		if !l.stopped.Load() {
			l.fn(c)
		}
	}
}
