package vault

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Secrets is a keychain: the OS one in the program, a fake in tests.
type Secrets interface {
	Get(key string) (string, error) // ErrSecretNotFound when absent
	Set(key, value string) error
	Delete(key string) error // deleting an absent key is not an error
}

var (
	// ErrSecretNotFound: the keychain has no item for the key.
	ErrSecretNotFound = errors.New("secret not found in the keychain")
	// ErrNoBatch: the keychain reads items one by one only.
	ErrNoBatch = errors.New("this keychain reads items one at a time")
	// ErrKeychainUnavailable: no keychain service, locked, or access denied.
	ErrKeychainUnavailable = errors.New("the OS keychain is not available")
)

// KeychainError says in words what went wrong with the keychain and what to do.
type KeychainError struct {
	Op   string // "read", "store", "delete"
	Why  string
	Hint string
	Err  error
}

func (e *KeychainError) Error() string {
	s := "Could not " + e.Op + " a secret in the OS keychain: " + e.Why
	if e.Hint != "" {
		s += ". " + e.Hint
	}
	return s
}

func (e *KeychainError) Unwrap() []error { return []error{ErrKeychainUnavailable, e.Err} }

// DefaultKeychainTimeout bounds each keychain call: on Linux a locked
// keyring can wait for a prompt nobody answers.
const DefaultKeychainTimeout = 15 * time.Second

// Keychain stores secrets in the OS keychain through go-keyring: Secret
// Service on Linux, Keychain on macOS, Credential Manager on Windows.
type Keychain struct {
	Service string // the app ID
	Timeout time.Duration
	backend keyringBackend
	// checkBus replaces sessionBusProblem in tests.
	checkBus func() error
}

// busCheck is sessionBusProblem; tests swap it.
func (k *Keychain) busCheck() error {
	if k.checkBus != nil {
		return k.checkBus()
	}
	return sessionBusProblem()
}

// keyringBackend is go-keyring's API; tests swap in one that hangs or fails.
type keyringBackend struct {
	// getMany reads several items at once; nil where the system has no way.
	getMany func(service string, keys []string) (map[string]string, error)
	get     func(service, user string) (string, error)
	set     func(service, user, password string) error
	delete  func(service, user string) error
	// connect opens the connection the calls share, nil where there is none.
	connect func()
}

var goKeyring = keyringBackend{get: keyring.Get, set: keyring.Set, delete: keyring.Delete, getMany: secretServiceGetMany, connect: connectSecretService}

// NewKeychain returns the OS keychain for service.
func NewKeychain(service string) *Keychain {
	return &Keychain{Service: service, Timeout: DefaultKeychainTimeout, backend: goKeyring}
}

// Warm starts connecting to the keychain in the background, for a caller
// that reads a secret soon: on Linux the session bus handshake (five round
// trips) then overlaps the caller's other work. Without a session bus it
// does nothing, as no call starts one.
func (k *Keychain) Warm() {
	if k.backend.connect == nil || k.busCheck() != nil {
		return
	}
	go k.backend.connect()
}

func (k *Keychain) call(op string, fn func() error) error {
	if err := k.busCheck(); err != nil {
		return &KeychainError{Op: op, Err: errors.Join(ErrKeychainUnavailable, err), Why: noBusWhy, Hint: noBusHint}
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	timeout := k.Timeout
	if timeout == 0 {
		timeout = DefaultKeychainTimeout
	}
	select {
	case err := <-done:
		return translate(op, err)
	case <-time.After(timeout):
		return &KeychainError{Op: op, Err: ErrKeychainNotAnswering,
			Why:  fmt.Sprintf("the keychain is not answering (no reply within %s)", timeout),
			Hint: notAnsweringHint}
	}
}

// notAnsweringHint is what to do about a keychain that does not answer.
const notAnsweringHint = "It is probably locked and waiting for a password: unlock it in your system's keyring app " +
	"(Passwords and Keys, KWallet, Keychain Access), check that the keyring daemon (gnome-keyring-daemon, KeePassXC) is running, " +
	"then try again; `storelink doctor` checks the keychain"

func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrSecretNotFound
	}
	msg := err.Error()
	ke := &KeychainError{Op: op, Err: err, Why: msg}
	switch {
	case errors.Is(err, keyring.ErrSetDataTooBig):
		ke.Why, ke.Hint = "the value is larger than this keychain accepts", "Report this: Storelink should have split it"
	case strings.Contains(msg, "org.freedesktop.secrets") || strings.Contains(msg, "ServiceUnknown"):
		ke.Why = "no Secret Service is running (org.freedesktop.secrets)"
		ke.Hint = "Install and start a keyring such as GNOME Keyring (package gnome-keyring) or KeePassXC with Secret Service enabled, then try again. Storelink never stores secrets in plain files"
	case strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS") || strings.Contains(msg, "dbus"):
		ke.Why = "there is no desktop session bus (D-Bus) to reach the keychain through"
		ke.Hint = "Run Storelink inside your desktop session, or start one with dbus-run-session and an unlocked gnome-keyring"
	case strings.Contains(strings.ToLower(msg), "dismiss") || strings.Contains(strings.ToLower(msg), "denied") || strings.Contains(strings.ToLower(msg), "locked"):
		ke.Why = "access was refused or the keyring stayed locked"
		ke.Hint = "Unlock the keyring and allow Storelink access when asked, then try again"
	default:
		ke.Hint = "Check that your OS keychain works (for example with the Passwords and Keys application) and try again"
	}
	return ke
}

// Get reads one item.
func (k *Keychain) Get(key string) (string, error) {
	var v string
	err := k.call("read", func() (err error) {
		v, err = k.backend.get(k.Service, key)
		return err
	})
	return v, err
}

// GetMany reads several items at once; keys not in the keychain are absent
// from the map. ErrNoBatch when this keychain reads items one by one.
func (k *Keychain) GetMany(keys []string) (map[string]string, error) {
	if k.backend.getMany == nil {
		return nil, ErrNoBatch
	}
	var out map[string]string
	err := k.call("read", func() (err error) {
		out, err = k.backend.getMany(k.Service, keys)
		return err
	})
	return out, err
}

// Set writes one item.
func (k *Keychain) Set(key, value string) error {
	return k.call("store", func() error { return k.backend.set(k.Service, key, value) })
}

// Delete removes one item; an absent one is fine.
func (k *Keychain) Delete(key string) error {
	err := k.call("delete", func() error { return k.backend.delete(k.Service, key) })
	if errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	return err
}

// MemorySecrets is an in-memory keychain for tests, safe under -race. Fail,
// when set, is asked before every operation and can inject a fault.
type MemorySecrets struct {
	mu    sync.Mutex
	items map[string]string
	Fail  func(op, key string) error
	calls int
}

// NewMemorySecrets returns an empty in-memory keychain.
func NewMemorySecrets() *MemorySecrets { return &MemorySecrets{items: map[string]string{}} }

func (m *MemorySecrets) fault(op, key string) error {
	m.calls++
	if m.Fail != nil {
		return m.Fail(op, key)
	}
	return nil
}

// Get implements Secrets.
func (m *MemorySecrets) Get(key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("get", key); err != nil {
		return "", err
	}
	v, ok := m.items[key]
	if !ok {
		return "", ErrSecretNotFound
	}
	return v, nil
}

// Set implements Secrets.
func (m *MemorySecrets) Set(key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("set", key); err != nil {
		return err
	}
	m.items[key] = value
	return nil
}

// Delete implements Secrets.
func (m *MemorySecrets) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("delete", key); err != nil {
		return err
	}
	delete(m.items, key)
	return nil
}

// GetMany implements the batch read, like the Secret Service's, as one call.
func (m *MemorySecrets) GetMany(keys []string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("getmany", ""); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := m.items[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

// Keys lists the stored item keys (tests check for orphans).
func (m *MemorySecrets) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.items))
	for k := range m.items {
		out = append(out, k)
	}
	return out
}

// Calls counts operations so far, faults included.
func (m *MemorySecrets) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}
