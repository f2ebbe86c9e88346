package vault

// operation.go: one wait for a frozen keychain per operation. A keychain
// that did not answer once (locked behind a prompt nobody sees, a stopped
// daemon) will not answer the next call of the same save or read either:
// the operation's remaining calls fail at once instead of waiting again.
// The next operation asks again, so a keychain that comes back works.

import (
	"errors"
	"sync"
)

// ErrKeychainNotAnswering: a keychain call got no answer within its timeout.
var ErrKeychainNotAnswering = errors.New("the OS keychain is not answering")

// Operation returns s for one operation (a save, a delete, a read of a
// connection's secrets): after one call found the keychain not answering,
// the others fail at once with the same advice.
func Operation(s Secrets) Secrets {
	if _, ok := s.(*operation); ok {
		return s
	}
	return &operation{s: s}
}

type operation struct {
	s Secrets

	mu     sync.Mutex
	frozen *KeychainError // the timeout this operation already waited for
}

// failFast is the error of a call not made because the keychain did not
// answer an earlier one.
func (o *operation) failFast(op string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.frozen == nil {
		return nil
	}
	e := *o.frozen
	e.Op = op
	return &e
}

func (o *operation) note(err error) error {
	var ke *KeychainError
	if errors.Is(err, ErrKeychainNotAnswering) && errors.As(err, &ke) {
		o.mu.Lock()
		if o.frozen == nil {
			o.frozen = ke
		}
		o.mu.Unlock()
	}
	return err
}

func (o *operation) Get(key string) (string, error) {
	if err := o.failFast("read"); err != nil {
		return "", err
	}
	v, err := o.s.Get(key)
	return v, o.note(err)
}

func (o *operation) Set(key, value string) error {
	if err := o.failFast("store"); err != nil {
		return err
	}
	return o.note(o.s.Set(key, value))
}

func (o *operation) Delete(key string) error {
	if err := o.failFast("delete"); err != nil {
		return err
	}
	return o.note(o.s.Delete(key))
}

// GetMany passes the batch read through, where the keychain has one.
func (o *operation) GetMany(keys []string) (map[string]string, error) {
	batch, ok := o.s.(interface {
		GetMany(keys []string) (map[string]string, error)
	})
	if !ok {
		return nil, ErrNoBatch
	}
	if err := o.failFast("read"); err != nil {
		return nil, err
	}
	m, err := batch.GetMany(keys)
	return m, o.note(err)
}
