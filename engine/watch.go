package engine

// watch.go: the saved resources can change behind the engine's back (a
// second window, the command line, a cron job writing the same settings
// file); Watch notices and announces it like any other change, so a list on
// screen follows without a refresh button.

import (
	"sync"
	"time"
)

// changeNoticer is a store that notices another process's writes
// (*vault.Vault: one stat of its file).
type changeNoticer interface {
	Changed() (bool, error)
}

// watched is one store to look at and the kinds kept in it.
type watched struct {
	store changeNoticer
	kinds []string
}

// Watch looks every `every` (at least 10 ms) whether another process changed
// the saved resources, and then announces Change{Kind: k, Op: Reloaded} for
// each kind k kept where it changed. The engine's own saves are not
// announced again. A store that cannot tell is not watched. stop ends the
// watching; it never waits (a listener may call it), so a change noticed
// at that very moment may still be announced once. Calling it again does
// nothing.
func (e *Engine) Watch(every time.Duration) (stop func()) {
	every = max(every, 10*time.Millisecond)
	var stores []watched
	if s, ok := e.d.Store.(changeNoticer); ok {
		stores = append(stores, watched{s, []string{KindConnection, KindAgent}})
	}
	for _, id := range e.KindIDs() {
		if id == KindConnection || id == KindAgent {
			continue
		}
		if s, ok := e.kinds[id].Store.(changeNoticer); ok {
			stores = append(stores, watched{s, []string{id}})
		}
	}
	done := make(chan struct{})
	go func() {
		for _, w := range stores {
			_, _ = w.store.Changed() // the file as it is now is the starting point
		}
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			for _, w := range stores {
				changed, err := w.store.Changed()
				if err != nil {
					e.d.Log.WithError(err).Debug("cannot tell whether the saved resources changed")
					continue
				}
				if !changed {
					continue
				}
				e.d.Log.Debug("the saved resources changed in another process")
				for _, k := range w.kinds {
					e.announce(Change{Kind: k, Op: Reloaded})
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}
