package engine

// changes.go: the engine announces every committed change of a saved
// connection or agent (created, saved, renamed, deleted, tested) to whoever
// listens, so a window's screens update themselves instead of calling each
// other.

import "sync"

// ChangeOp says what happened to a saved resource.
type ChangeOp string

// The changes announced.
const (
	Created ChangeOp = "created"
	Saved   ChangeOp = "saved"
	Renamed ChangeOp = "renamed"
	Deleted ChangeOp = "deleted"
	// TestRecorded is the brief's "Tested": the name is taken by the type
	// TestSaved returns.
	TestRecorded ChangeOp = "tested"
)

// The kinds of saved resource a Change names.
const (
	KindConnection = "connection"
	KindAgent      = "agent"
)

// Change is one committed change: Kind is "connection" or "agent"; OldName
// is the name before a rename (also a save that renamed), else "".
type Change struct {
	Kind    string
	Op      ChangeOp
	Name    string
	OldName string
}

// listeners are the functions Listen registered, by a key Listen's stop removes.
type listeners struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(Change)
}

// Listen calls fn after every committed change, from the goroutine that
// made it; fn must not block. stop ends the calls.
func (e *Engine) Listen(fn func(Change)) (stop func()) {
	l := &e.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fns == nil {
		l.fns = map[int]func(Change){}
	}
	id := l.next
	l.next++
	l.fns[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.fns, id)
		l.mu.Unlock()
	}
}

// announce tells every listener about c.
func (e *Engine) announce(c Change) {
	l := &e.changes
	l.mu.Lock()
	fns := make([]func(Change), 0, len(l.fns))
	for _, fn := range l.fns {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// saveChange is the change a save made: Created without editing, Saved
// otherwise, naming the old name when the save renamed.
func saveChange(kind, editing, name string) Change {
	switch {
	case editing == "":
		return Change{Kind: kind, Op: Created, Name: name}
	case editing != name:
		return Change{Kind: kind, Op: Saved, Name: name, OldName: editing}
	default:
		return Change{Kind: kind, Op: Saved, Name: name}
	}
}
