package vault

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
)

// frozenKeyring is a go-keyring backend that, while frozen, never answers
// (a stopped keyring daemon, a prompt nobody sees): each call it holds is
// one timeout the caller waited for.
type frozenKeyring struct {
	mu     sync.Mutex
	items  map[string]string
	frozen chan struct{} // nil: answering
	waited atomic.Int32
}

func (f *frozenKeyring) wait() bool {
	f.mu.Lock()
	ch := f.frozen
	f.mu.Unlock()
	if ch == nil {
		return false
	}
	f.waited.Add(1)
	<-ch
	return true
}

func (f *frozenKeyring) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.frozen = make(chan struct{})
}

func (f *frozenKeyring) thaw() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.frozen)
	f.frozen = nil
}

func (f *frozenKeyring) backend() keyringBackend {
	errLate := errors.New("answered after the caller gave up")
	return keyringBackend{
		get: func(_, key string) (string, error) {
			if f.wait() {
				return "", errLate
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			v, ok := f.items[key]
			if !ok {
				return "", ErrSecretNotFound
			}
			return v, nil
		},
		getMany: func(_ string, keys []string) (map[string]string, error) {
			if f.wait() {
				return nil, errLate
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			out := map[string]string{}
			for _, k := range keys {
				if v, ok := f.items[k]; ok {
					out[k] = v
				}
			}
			return out, nil
		},
		set: func(_, key, value string) error {
			if f.wait() {
				return errLate
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			f.items[key] = value
			return nil
		},
		delete: func(_, key string) error {
			if f.wait() {
				return errLate
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			delete(f.items, key)
			return nil
		},
	}
}

func TestAFrozenKeychainCostsOneTimeoutPerOperation(t *testing.T) {
	ring := &frozenKeyring{items: map[string]string{}}
	t.Cleanup(func() {
		if ring.frozen != nil {
			ring.thaw()
		}
	})
	k := &Keychain{Service: "io.storelink.test", Timeout: 20 * time.Millisecond, checkBus: noBusCheck, backend: ring.backend()}
	v, err := Open(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	secrets := connectors.Values{"api_key": "key-one", "password": "pass-two", "token": "token-three"}
	c, err := v.Save(conn("Shop"), secrets, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var orphans []string
	v.OnOrphans = func(_ string, fields []string) { orphans = fields }

	ring.freeze()
	operations := []struct {
		what string
		run  func() error
	}{
		{"a save that keeps the stored secrets", func() error {
			_, err := v.Save(conn("Shop"), connectors.Values{"token": "new"}, SaveOptions{Replace: "Shop", KeepSecrets: true})
			return err
		}},
		{"a save with new secrets", func() error {
			_, err := v.Save(conn("Other"), secrets, SaveOptions{})
			return err
		}},
		{"a read of the secrets", func() error { _, err := v.Secrets(c); return err }},
		{"a read of several connections' secrets", func() error {
			for _, r := range v.SecretsMany([]Connection{c, c}) {
				return r.Err
			}
			return nil
		}},
		{"a clean-up of the journal", func() error { _, _, err := v.Clean(); return err }},
	}
	for _, op := range operations {
		before := ring.waited.Load()
		err := op.run()
		if waited := ring.waited.Load() - before; waited != 1 {
			t.Errorf("%s waited for %d timeouts, want 1", op.what, waited)
		}
		var ke *KeychainError
		if op.what == "a clean-up of the journal" && err == nil {
			continue // nothing was pending: no call, nothing to wait for
		}
		if !errors.As(err, &ke) || !errors.Is(err, ErrKeychainNotAnswering) {
			t.Fatalf("%s: %v", op.what, err)
		}
		for _, want := range []string{"not answering", "unlock it", "keyring daemon", "storelink doctor"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: the message %q does not say %q", op.what, err, want)
			}
		}
	}
	// A delete changes the file first; the items it could not remove stay
	// in the journal, after one timeout.
	before := ring.waited.Load()
	if err := v.Delete("Shop"); err != nil {
		t.Fatal(err)
	}
	if waited := ring.waited.Load() - before; waited != 1 || len(orphans) != 3 {
		t.Errorf("a delete waited for %d timeouts (want 1); orphans %v", waited, orphans)
	}

	// The keychain comes back: the next operation asks again and works, and
	// cleans what the frozen ones left.
	ring.thaw()
	if _, err := v.Save(conn("Back"), secrets, SaveOptions{}); err != nil {
		t.Fatalf("after the keychain came back: %v", err)
	}
	if removed, pending, err := v.Clean(); err != nil || pending != 0 {
		t.Errorf("clean after the thaw: removed %d, pending %d, %v", removed, pending, err)
	}
	ring.mu.Lock()
	n := len(ring.items)
	ring.mu.Unlock()
	if n != len(secrets) {
		t.Errorf("the keychain holds %d items, want the %d of Back", n, len(secrets))
	}
}
