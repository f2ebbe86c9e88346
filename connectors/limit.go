package connectors

// limit.go: concurrency levels. A connection's concurrency_level bounds how
// many requests Storelink has in flight to its store at once, across the
// window and every command of one process; connections that borrow another's
// level share one group.

import (
	"context"
	"sync"
)

// Limiter holds a semaphore per group. Safe for concurrent use; one per
// process (the engine's).
type Limiter struct {
	mu     sync.Mutex
	groups map[string]*limitGroup
}

type limitGroup struct {
	level    int
	slots    chan struct{}
	inFlight int // for tests and the probe
	peak     int
}

// NewLimiter returns an empty limiter.
func NewLimiter() *Limiter { return &Limiter{groups: map[string]*limitGroup{}} }

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
			<-g.slots
		})
	}, nil
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
