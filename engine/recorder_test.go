package engine

import (
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/vault"
)

// countedVault counts the batched writes of test outcomes.
type countedVault struct {
	*vault.Vault
	writes atomic.Int64
	names  atomic.Int64
}

func (c *countedVault) RecordMany(vs map[string]vault.Verification, follow vault.Follow) error {
	c.writes.Add(1)
	c.names.Add(int64(len(vs)))
	return c.Vault.RecordMany(vs, follow)
}

func newCountedVault(t *testing.T, names ...string) *countedVault {
	t.Helper()
	v, err := vault.Open(t.TempDir(), vault.NewMemorySecrets())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		c := vault.Connection{Name: n, App: "demo", Values: connectors.Values{"url": "http://127.0.0.1/"}}
		if _, err := v.Save(c, nil, vault.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return &countedVault{Vault: v}
}

func passed() *vault.Verification {
	return &vault.Verification{At: time.Now().UTC(), OK: true, Code: connectors.CodeOK}
}

// An outcome that finishes while another test still runs waits for it, and
// the two go in one write once the last has ended: no timer involved.
func TestRecorderWaitsForTheTestsStillRunning(t *testing.T) {
	store := newCountedVault(t, "A", "B")
	r := &recorder{store: store, log: New(Deps{}).d.Log, wait: time.Hour}
	r.begin()
	r.begin()
	r.end()
	doneA := make(chan error, 1)
	go func() { doneA <- r.record("A", passed(), nil) }()
	for i := 0; ; i++ { // until A's outcome waits, or was written
		r.mu.Lock()
		waiting := len(r.waiters)
		r.mu.Unlock()
		if waiting == 1 || store.writes.Load() > 0 {
			break
		}
		if i == 10000 {
			t.Fatal("A's outcome never reached the recorder")
		}
		time.Sleep(time.Millisecond)
	}
	if n := store.writes.Load(); n != 0 {
		t.Fatalf("A was written at once (%d writes) while B still ran", n)
	}
	r.end()
	if err := r.record("B", passed(), nil); err != nil {
		t.Fatal(err)
	}
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if w, n := store.writes.Load(), store.names.Load(); w != 1 || n != 2 {
		t.Errorf("%d writes of %d outcomes, want 1 of 2", w, n)
	}
	for _, name := range []string{"A", "B"} {
		if c, err := store.Get(name); err != nil || c.Last == nil || !c.Last.OK {
			t.Errorf("%s: %v %+v", name, err, c.Last)
		}
	}
}

// A test alone (nothing else running) is written at once.
func TestRecorderWritesALoneTestAtOnce(t *testing.T) {
	store := newCountedVault(t, "A")
	r := &recorder{store: store, log: New(Deps{}).d.Log, wait: time.Hour}
	r.begin()
	r.end()
	if err := r.record("A", passed(), nil); err != nil {
		t.Fatal(err)
	}
	if c, err := store.Get("A"); err != nil || c.Last == nil || store.writes.Load() != 1 {
		t.Errorf("%v %+v, %d writes", err, c.Last, store.writes.Load())
	}
}

// A test that keeps running does not hold the others' outcomes for longer
// than the wait.
func TestRecorderWritesAfterTheWait(t *testing.T) {
	store := newCountedVault(t, "A", "B")
	r := &recorder{store: store, log: New(Deps{}).d.Log, wait: time.Millisecond}
	r.begin() // B: never ends here
	r.begin()
	r.end()
	if err := r.record("A", passed(), nil); err != nil {
		t.Fatal(err)
	}
	if c, err := store.Get("A"); err != nil || c.Last == nil {
		t.Errorf("%v %+v", err, c.Last)
	}
	r.end()
	if err := r.record("B", passed(), nil); err != nil {
		t.Fatal(err)
	}
	if w := store.writes.Load(); w != 2 {
		t.Errorf("%d writes, want 2", w)
	}
}
