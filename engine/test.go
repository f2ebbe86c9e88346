package engine

// test.go: testing saved connections, one or many, and recording how each
// test went on the connection.

import (
	"context"
	"errors"
	"strings"
	"sync"

	"storelink/connectors"
	"storelink/vault"
)

// Tested is a finished test of a saved connection.
type Tested struct {
	Name   string
	App    string
	Result connectors.Result
}

// TestSaved tests the saved connection name with its secrets from the
// keychain and records the outcome on it (a cancelled test is not
// recorded). At most Deps.Parallel saved connections are tested at once.
func (e *Engine) TestSaved(ctx context.Context, name string, o TestOptions) Tested {
	c, err := e.d.Store.Get(name)
	if err != nil {
		code, hint := connectors.CodeInternalError, ""
		if errors.Is(err, vault.ErrNotFound) {
			code, hint = connectors.CodeInvalidInput, "See the saved connections with `storelink list`."
		}
		return Tested{Name: name, Result: e.failed(code, err, hint)}
	}
	return Tested{Name: c.Name, App: c.App, Result: e.testConnection(ctx, c, o, e.slots, nil, nil)}
}

// testConnection waits for a slot, tells started (when set), tests c and
// records the outcome; the slot is free again while the outcome is written.
func (e *Engine) testConnection(ctx context.Context, c vault.Connection, o TestOptions, slots chan struct{}, started func(), pre *vault.SecretsRead) connectors.Result {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		r, _ := connectors.FromContext(ctx)
		return r
	}
	if started != nil {
		started()
	}
	r := e.testWithSecrets(ctx, c, o, pre)
	<-slots
	if r.Code != connectors.CodeCanceled {
		e.remember(c, r)
		if err := e.record(c.Name, e.verdict(r)); err != nil {
			e.d.Log.WithError(err).WithField("connection", c.Name).Warn("could not record the test result")
		} else {
			e.announce(Change{Kind: KindConnection, Op: TestRecorded, Name: c.Name})
		}
	}
	return r
}

// testWithSecrets reads c's secrets from the keychain (or takes what pre
// read already) and tests it; a keychain that fails is a failed test in
// words, recorded like any other.
func (e *Engine) testWithSecrets(ctx context.Context, c vault.Connection, o TestOptions, pre *vault.SecretsRead) connectors.Result {
	info, err := e.Lookup(c.App)
	if err != nil {
		return e.failed(connectors.CodeInvalidInput, err, "")
	}
	var secrets connectors.Values
	if pre != nil {
		secrets, err = pre.Values, pre.Err
	} else {
		secrets, err = e.d.Store.Secrets(c)
	}
	if err != nil {
		return e.failed(connectors.CodeKeychain, err, "Unlock the keychain and test again, or edit the connection and enter its secrets again.")
	}
	values := c.Values.Clone()
	for k, v := range secrets {
		values[k] = v
	}
	return e.run(ctx, info, c.ID, c.Name, values, o)
}

// failed is a result for a test that could not start; the message is masked.
func (e *Engine) failed(code connectors.Code, err error, hint string) connectors.Result {
	r := connectors.Fail(code, e.Redact(err.Error()), hint)
	r.Warnings, r.Checks, r.Permissions = []connectors.Warning{}, []connectors.Check{}, []connectors.Permission{}
	return r
}

// Event tells a front end that a test of TestMany started or finished.
type Event struct {
	Index   int // in the names given
	Name    string
	Started bool   // false: Tested holds the outcome
	Tested  Tested // when finished
}

// TestMany tests the saved connections names side by side, as many at once
// as o.Parallel (or Deps.Parallel) allows and each connection's concurrency
// level lets its requests through, and returns the outcomes in the order
// given.
// report, when set, is told each start and end from the tests' goroutines.
func (e *Engine) TestMany(ctx context.Context, names []string, o TestOptions, report func(Event)) []Tested {
	out := make([]Tested, len(names))
	slots := e.slots
	if o.Parallel > 0 {
		slots = make(chan struct{}, o.Parallel)
	}
	saved := map[string]vault.Connection{}
	if all, err := e.d.Store.List(); err == nil {
		for _, c := range all {
			saved[strings.ToLower(c.Name)] = c
		}
	}
	reads := e.readAhead(ctx, names, saved, cap(slots))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, ok := saved[strings.ToLower(name)]
			if !ok {
				out[i] = e.TestSaved(ctx, name, o) // says why in a result
			} else {
				var read *vault.SecretsRead
				if ch, ok := reads[c.ID]; ok {
					select {
					case got := <-ch:
						read = &got
					case <-ctx.Done(): // the test itself says it was cancelled
					}
				}
				out[i] = Tested{Name: c.Name, App: c.App, Result: e.testConnection(ctx, c, o, slots, func() {
					if report != nil {
						report(Event{Index: i, Name: c.Name, Started: true})
					}
				}, read)}
			}
			if report != nil {
				report(Event{Index: i, Name: out[i].Name, Tested: out[i]})
			}
		}()
	}
	wg.Wait()
	return out
}

// recorder writes test outcomes to the store in groups: while one write is
// under way the outcomes that finish meanwhile wait and go in the next one,
// so 100 tests side by side do not queue up 100 locked, synced writes.
type recorder struct {
	mu       sync.Mutex
	pending  map[string]vault.Verification
	waiters  []chan error
	flushing bool
}

// record stores ver on the connection name and returns once it is written.
func (e *Engine) record(name string, ver vault.Verification) error {
	r := &e.rec
	done := make(chan error, 1)
	r.mu.Lock()
	if r.pending == nil {
		r.pending = map[string]vault.Verification{}
	}
	r.pending[name] = ver
	r.waiters = append(r.waiters, done)
	if r.flushing {
		r.mu.Unlock()
		return <-done
	}
	r.flushing = true
	for len(r.pending) > 0 {
		batch, waiters := r.pending, r.waiters
		r.pending, r.waiters = map[string]vault.Verification{}, nil
		r.mu.Unlock()
		err := e.d.Store.RecordMany(batch)
		for _, w := range waiters {
			w <- err
		}
		r.mu.Lock()
	}
	r.flushing = false
	r.mu.Unlock()
	return <-done
}

// readAhead reads the secrets of the connections to test in batches as
// large as the parallel limit, one batch after the other, while the tests of
// the batches before already run: the keyring daemon answers one call at a
// time, so a hundred reads one by one (or all before the first test) would
// keep the tests waiting. Each connection's secrets arrive on its channel;
// nil when the store reads only one connection at a time.
func (e *Engine) readAhead(ctx context.Context, names []string, saved map[string]vault.Connection, size int) map[string]chan vault.SecretsRead {
	batch, ok := e.d.Store.(interface {
		SecretsMany([]vault.Connection) map[string]vault.SecretsRead
	})
	if !ok || len(names) < 2 {
		return nil
	}
	var cs []vault.Connection
	reads := map[string]chan vault.SecretsRead{}
	for _, n := range names {
		if c, ok := saved[strings.ToLower(n)]; ok && reads[c.ID] == nil {
			cs = append(cs, c)
			reads[c.ID] = make(chan vault.SecretsRead, 1)
		}
	}
	go func() {
		for start := 0; start < len(cs) && ctx.Err() == nil; start += size {
			part := cs[start:min(start+size, len(cs))]
			got := batch.SecretsMany(part)
			for _, c := range part {
				reads[c.ID] <- got[c.ID]
			}
		}
	}()
	return reads
}
