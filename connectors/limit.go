package connectors

// limit.go: concurrency levels. A connection's concurrency_level bounds how
// many requests Storelink has in flight to its store at once, across the
// window and every command; connections that borrow another's level share
// one group. Within a process a semaphore per group holds the level; across
// processes (the window's Test all and a `storelink api` script) each
// request also holds one of the group's level lock files.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// Limiter holds a semaphore per group. Safe for concurrent use; one per
// process (the engine's).
type Limiter struct {
	mu     sync.Mutex
	groups map[string]*limitGroup
	// dir, when set, holds the lock files that carry levels across
	// processes.
	dir string
}

type limitGroup struct {
	level    int
	slots    chan struct{}
	inFlight int // for tests and the probe
	peak     int
}

// NewLimiter returns an empty limiter that bounds this process only.
func NewLimiter() *Limiter { return &Limiter{groups: map[string]*limitGroup{}} }

// NewSharedLimiter returns a limiter whose levels also hold across every
// process that shares dir (Storelink's state folder).
func NewSharedLimiter(dir string) *Limiter {
	return &Limiter{groups: map[string]*limitGroup{}, dir: dir}
}

// Slot names the group a test's requests count against and its level.
type Slot struct {
	Limiter *Limiter
	Group   string // the connection's ID, or its root lender's
	Level   int    // 1..MaxConcurrencyLevel
}

// Acquire waits for a free place in the slot's group, or for ctx to end. A
// zero Slot never waits.
func (s Slot) Acquire(ctx context.Context) (release func(), err error) {
	if s.Limiter == nil || s.Group == "" {
		return func() {}, nil
	}
	g := s.Limiter.group(s.Group, s.Level)
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	unlock, err := s.Limiter.lockFile(ctx, s.Group, g.level)
	if err != nil {
		<-g.slots
		return nil, err
	}
	s.Limiter.mu.Lock()
	g.inFlight++
	g.peak = max(g.peak, g.inFlight)
	s.Limiter.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.Limiter.mu.Lock()
			g.inFlight--
			s.Limiter.mu.Unlock()
			unlock()
			<-g.slots
		})
	}, nil
}

// Waits between looks for a free level lock file held by another process.
const (
	firstLockWait = 2 * time.Millisecond
	lastLockWait  = 25 * time.Millisecond
)

// lockFile takes one of the group's level lock files, waiting while other
// processes hold all of them. The lock goes with the process: a killed
// Storelink holds nothing. A folder that cannot be used bounds this
// process only rather than stop every request: the level is a courtesy to
// the store, not a guard of the user's data.
func (l *Limiter) lockFile(ctx context.Context, group string, level int) (unlock func(), err error) {
	if l.dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return func() {}, nil
	}
	sum := sha256.Sum256([]byte(group))
	name := hex.EncodeToString(sum[:8])
	locks := make([]*flock.Flock, level)
	for i := range locks {
		locks[i] = flock.New(filepath.Join(l.dir, name+"."+string(rune('a'+i))+".lock"))
	}
	wait := firstLockWait
	for {
		usable := false
		for _, f := range locks {
			ok, err := f.TryLock()
			if err != nil {
				continue
			}
			usable = true
			if ok {
				return func() { _ = f.Unlock() }, nil
			}
		}
		if !usable {
			return func() {}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
		wait = min(wait*2, lastLockWait)
	}
}

// group returns the group, made anew when its level changed (an edited
// connection): requests already in flight finish in the old one.
func (l *Limiter) group(key string, level int) *limitGroup {
	level = min(max(level, 1), MaxConcurrencyLevel)
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.groups[key]
	if g == nil || g.level != level {
		g = &limitGroup{level: level, slots: make(chan struct{}, level)}
		l.groups[key] = g
	}
	return g
}

// Peak is the most requests the group has had in flight at once.
func (l *Limiter) Peak(group string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if g := l.groups[group]; g != nil {
		return g.peak
	}
	return 0
}
