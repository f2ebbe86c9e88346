package engine

// test.go: testing resources of any kind, a draft or saved ones, one or
// many side by side, and recording how each test went on the resource in
// batched writes; each recorded outcome is announced.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"storelink/connectors"
	"storelink/vault"
)

// Tested is a finished test of a saved resource.
type Tested struct {
	Name   string
	App    string
	Result connectors.Result
	// Detail is the kind's own account of the test (agents: AgentDetail).
	Detail any
	// Skipped, for a scheduled test, says why it did not run (the same
	// resource was being tested by hand); Result is then empty.
	Skipped string
}

// Test tests checked values without saving anything.
func (r Resources) Test(ctx context.Context, c Checked, o TestOptions) Trial {
	return r.trial(ctx, TestRun{Checked: c, Options: o})
}

// trial runs the kind's test within the timeout, logs it and masks every
// secret the engine knows in its result.
func (r Resources) trial(ctx context.Context, run TestRun) Trial {
	if run.Options.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, run.Options.Timeout)
		defer cancel()
	}
	e := r.e
	e.addSecretsOf(run.Info, run.Values)
	log := e.d.Log.WithFields(logrus.Fields{r.k.ID: run.Name, "app": run.Info.ID})
	log.Debug("test started")
	progress := run.Options.Progress
	run.Options.Progress = func(step string) {
		log.Debug(step)
		if progress != nil {
			progress(step)
		}
	}
	run.Client = e.d.Client
	t := r.k.Test(ctx, run)
	e.mask(&t.Result)
	for _, ex := range t.Result.Exchanges {
		log.WithField("status", ex.Status).WithField("error", ex.Error).Debug(ex.Request)
	}
	log.WithFields(t.Result.LogFields()).Info("test finished")
	return t
}

// TestSaved tests the saved resource name with its secrets from the
// keychain and records the outcome on it (a cancelled test is not
// recorded). At most Deps.Parallel saved resources are tested at once. A
// name nothing has is a failed result that says where to look.
func (r Resources) TestSaved(ctx context.Context, name string, o TestOptions) Tested {
	t, err := r.testSaved(ctx, name, o)
	if err != nil {
		code, hint := connectors.CodeInternalError, ""
		if errors.Is(err, r.k.NotFound) {
			code, hint = connectors.CodeInvalidInput, r.k.ListHint
		}
		return Tested{Name: name, Result: r.e.failed(code, err, hint)}
	}
	return t
}

// testSaved is TestSaved with the store's error when name is not saved.
func (r Resources) testSaved(ctx context.Context, name string, o TestOptions) (Tested, error) {
	c, err := r.k.Store.Get(name)
	if err != nil {
		return Tested{}, err
	}
	return r.testOne(ctx, testJob{c: c, o: o, slots: r.e.slots}), nil
}

// testJob is one saved resource to test.
type testJob struct {
	c       vault.Connection
	o       TestOptions
	slots   chan struct{}      // taken while the test runs
	started func()             // told once the test has its slot; may be nil
	pre     *vault.SecretsRead // its secrets, when read ahead
}

// testOne waits for a slot, tells started, tests j.c and records the
// outcome; the slot is free again while the outcome is written.
func (r Resources) testOne(ctx context.Context, j testJob) Tested {
	out := Tested{Name: j.c.Name, App: j.c.App}
	if !r.e.claim(r.k.ID+"/"+j.c.ID, j.o.Trigger == TriggerSchedule) {
		out.Skipped = fmt.Sprintf("%s %q is being tested right now; the schedule leaves it to that test.", capitalize(r.k.Noun), j.c.Name)
		return out
	}
	defer r.e.release(r.k.ID + "/" + j.c.ID)
	select {
	case j.slots <- struct{}{}:
	case <-ctx.Done():
		out.Result, _ = connectors.FromContext(ctx)
		return out
	}
	if j.started != nil {
		j.started()
	}
	rec := r.e.rec[r.k.ID]
	rec.begin()
	t := r.testWithSecrets(ctx, j)
	<-j.slots
	rec.end()
	out.Result, out.Detail = t.Result, t.Detail
	at := r.e.d.Now().UTC()
	var ver *vault.Verification
	if t.Result.Code != connectors.CodeCanceled {
		r.remember(j.c, t.Result)
		v := r.e.verdict(t.Result)
		ver, at = &v, v.At // the state's start and its history entry agree
	}
	item := &vault.HistoryItem{Kind: r.k.ID, ID: j.c.ID, Entry: historyEntry(at, t.Result, j.o.Trigger)}
	if err := r.recordWith(j.c.Name, ver, item); err != nil {
		r.e.d.Log.WithError(err).WithField(r.k.ID, j.c.Name).Warn("could not record the test result")
	}
	return out
}

// Triggers the engine fills in when TestOptions.Trigger is empty: a test
// of one saved resource is the window's, TestMany's is the window's Test all.
const (
	TriggerWindow  = "window"
	TriggerTestAll = "test-all"
)

// testWithSecrets reads j.c's secrets from the keychain (or takes what was
// read ahead) and tests it; a keychain that fails is a failed test in
// words, recorded like any other.
func (r Resources) testWithSecrets(ctx context.Context, j testJob) Trial {
	info, err := r.Form(j.c.App)
	if err != nil {
		return Trial{Result: r.e.failed(connectors.CodeInvalidInput, err, "")}
	}
	values, err := r.withSecrets(j.c, j.pre)
	if err != nil {
		return Trial{Result: r.e.failed(connectors.CodeKeychain, err,
			fmt.Sprintf("Unlock the keychain and test again, or edit the %s and enter its secrets again.", r.k.Noun))}
	}
	return r.trial(ctx, TestRun{Checked: Checked{Info: info, Name: j.c.Name, Values: values}, ID: j.c.ID, Options: j.o})
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

// TestMany tests the saved resources names side by side, as many at once
// as o.Parallel (or Deps.Parallel) allows and each connection's concurrency
// level lets its requests through, and returns the outcomes in the order
// given.
// report, when set, is told each start and end from the tests' goroutines.
func (r Resources) TestMany(ctx context.Context, names []string, o TestOptions, report func(Event)) []Tested {
	r.e.runs.Add(1)
	defer r.e.runs.Add(-1)
	o.Trigger = cmp.Or(o.Trigger, TriggerTestAll)
	out := make([]Tested, len(names))
	slots := r.e.slots
	if o.Parallel > 0 {
		slots = make(chan struct{}, o.Parallel)
	}
	saved := map[string]vault.Connection{}
	if all, err := r.k.Store.List(); err == nil {
		for _, c := range all {
			saved[strings.ToLower(c.Name)] = c
		}
	}
	var wanted []vault.Connection
	for _, n := range names {
		if c, ok := saved[strings.ToLower(n)]; ok {
			wanted = append(wanted, c)
		}
	}
	reads := r.readAhead(ctx, wanted, cap(slots))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, ok := saved[strings.ToLower(name)]
			if !ok {
				out[i] = r.TestSaved(ctx, name, o) // says why in a result
			} else {
				j := testJob{c: c, o: o, slots: slots, started: func() {
					if report != nil {
						report(Event{Index: i, Name: c.Name, Started: true})
					}
				}}
				if a, ok := reads[c.ID]; ok {
					select {
					case <-a.done:
						got := a.got
						j.pre = &got
					case <-ctx.Done(): // the test itself says it was cancelled
					}
				}
				out[i] = r.testOne(ctx, j)
			}
			if report != nil {
				report(Event{Index: i, Name: out[i].Name, Tested: out[i]})
			}
		}()
	}
	wg.Wait()
	return out
}

// Record stores v as the outcome of a test of the saved resource name, in
// the next batched write, and announces it.
func (r Resources) Record(name string, v vault.Verification) error {
	r.e.d.Redactor.Walk(&v)
	return r.record(name, v)
}

func (r Resources) record(name string, v vault.Verification) error {
	return r.recordWith(name, &v, nil)
}

// recordWith stores v (when set) on the resource name and adds item (when
// set) to its history, in the next batched write; a recorded v is announced.
func (r Resources) recordWith(name string, v *vault.Verification, item *vault.HistoryItem) error {
	if err := r.e.rec[r.k.ID].record(name, v, item); err != nil {
		return err
	}
	if v == nil {
		return nil
	}
	r.e.announce(Change{Kind: r.k.ID, Op: Recorded, Name: name})
	return nil
}

// recorder writes one kind's test outcomes to its store in groups: while
// one write is under way the outcomes that finish meanwhile wait and go in
// the next one, and while other tests of the kind still run an outcome
// waits for theirs (at most recordWait), so 100 tests side by side do not
// queue up dozens of locked, synced writes. The last test to finish writes
// at once: a run's end is never delayed.
type recorder struct {
	store    Records
	history  vault.History
	log      logrus.FieldLogger
	mu       sync.Mutex
	pending  map[string]vault.Verification
	items    []vault.HistoryItem
	waiters  []chan error
	flushing bool
	// running counts the tests between begin and end: their outcomes are
	// on the way.
	running int
	due     *time.Timer   // the write wait after the oldest waiting outcome
	dueGen  int           // tells a stopped timer's late call from the armed one's
	wait    time.Duration // 0: recordWait
}

// recordWait bounds how long an outcome waits for those of the tests still
// running before it is written: short enough that no one sees it, long
// enough that Test all writes a few times a second instead of every test.
const recordWait = 50 * time.Millisecond

// begin tells the recorder that a test started: its outcome will come.
func (r *recorder) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running++
}

// end tells the recorder that a test begun is over; record follows.
func (r *recorder) end() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
}

// record stores ver (when set) on the resource name and appends item (when
// set) to the history, and returns once both are written. A history that
// cannot be written is logged, never the test's error.
func (r *recorder) record(name string, ver *vault.Verification, item *vault.HistoryItem) error {
	done := make(chan error, 1)
	r.mu.Lock()
	if r.pending == nil {
		r.pending = map[string]vault.Verification{}
	}
	if ver != nil {
		r.pending[name] = *ver
	}
	if item != nil {
		r.items = append(r.items, *item)
	}
	r.waiters = append(r.waiters, done)
	switch {
	case r.flushing: // goes in the write after this one
	case r.running > 0:
		r.armLocked()
	default:
		r.flushLocked()
	}
	r.mu.Unlock()
	return <-done
}

// armLocked makes sure a write happens r.wait from now at the latest.
func (r *recorder) armLocked() {
	if r.due != nil {
		return
	}
	r.dueGen++
	gen := r.dueGen
	r.due = time.AfterFunc(cmp.Or(r.wait, recordWait), func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.due == nil || r.dueGen != gen || r.flushing {
			return // stopped, or a write under way takes the waiting outcomes
		}
		r.flushLocked()
	})
}

// flushLocked writes what waits, again and again while more comes in
// meanwhile, unless tests still run: then the next write is armed. r.mu is
// held, and released during each write.
func (r *recorder) flushLocked() {
	r.flushing = true
	for len(r.waiters) > 0 {
		if r.due != nil {
			r.due.Stop()
			r.due = nil
		}
		batch, items, waiters := r.pending, r.items, r.waiters
		r.pending, r.items, r.waiters = map[string]vault.Verification{}, nil, nil
		r.mu.Unlock()
		var err error
		if len(batch) > 0 {
			err = r.store.RecordMany(batch, followLast)
		}
		if herr := r.history.Append(items...); herr != nil {
			r.log.WithError(herr).Warn("could not add tests to their history")
		}
		for _, w := range waiters {
			w <- err
		}
		r.mu.Lock()
		if r.running > 0 && len(r.waiters) > 0 {
			r.armLocked()
			break
		}
	}
	r.flushing = false
}

// readAhead reads the secrets of the resources to test in batches as large
// as the parallel limit, one batch after the other, while the tests of the
// batches before already run: the keyring daemon answers one call at a
// time, so a hundred reads one by one (or all before the first test) would
// keep the tests waiting. Each resource's secrets arrive on its channel.
func (r Resources) readAhead(ctx context.Context, cs []vault.Connection, size int) map[string]*secretsAhead {
	if len(cs) < 2 {
		return nil
	}
	reads := map[string]*secretsAhead{}
	var unique []vault.Connection
	for _, c := range cs {
		if reads[c.ID] == nil {
			unique = append(unique, c)
			reads[c.ID] = &secretsAhead{done: make(chan struct{})}
		}
	}
	go func() {
		for start := 0; start < len(unique) && ctx.Err() == nil; start += size {
			part := unique[start:min(start+size, len(unique))]
			got := r.k.Store.SecretsMany(part)
			for _, c := range part {
				a := reads[c.ID]
				a.got = got[c.ID]
				close(a.done)
			}
		}
	}()
	return reads
}

// secretsAhead is one resource's secrets read ahead: got is set before done
// closes, so every test of it (a name given twice) can take them.
type secretsAhead struct {
	done chan struct{}
	got  vault.SecretsRead
}
