package app

// harness_test.go: the tests' event loop, a scripted connector and a UI
// wired to a real vault with in-memory secrets.

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/engine"
	"storelink/redact"
	"storelink/vault"
)

// loop stands in for Fyne's main loop: goroutines post with do, and only
// the test goroutine runs what they posted, as only the main goroutine
// touches widgets in the real driver (the test driver's fyne.Do would run
// them on the posting goroutine and race with the test).
type loop struct {
	mu   sync.Mutex
	q    []func()
	wake chan struct{}
}

func newLoop() *loop { return &loop{wake: make(chan struct{}, 1)} }

func (l *loop) do(f func()) {
	l.mu.Lock()
	l.q = append(l.q, f)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// runPending runs what was posted so far: one "frame".
func (l *loop) runPending() {
	for {
		l.mu.Lock()
		q := l.q
		l.q = nil
		l.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// until runs posted functions until cond holds; the deadline only guards
// against a hang, nothing is timed by it.
func (l *loop) until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		l.runPending()
		if cond() {
			return
		}
		select {
		case <-l.wake:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// script is a connector whose behaviour each test sets.
type script struct {
	mu    sync.Mutex
	fn    func(ctx context.Context, cfg connectors.Config) connectors.Result
	calls []connectors.Config
}

func (s *script) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	s.mu.Lock()
	s.calls = append(s.calls, cfg)
	fn := s.fn
	s.mu.Unlock()
	if fn == nil {
		return connectors.Success("Connected.")
	}
	return fn(ctx, cfg)
}

func (s *script) set(fn func(ctx context.Context, cfg connectors.Config) connectors.Result) {
	s.mu.Lock()
	s.fn = fn
	s.mu.Unlock()
}

func (s *script) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func (s *script) lastCall() connectors.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[len(s.calls)-1]
}

// testRegistry holds "testshop": a secret, a choice with a condition, a
// multi-line secret shown only for RSA, advanced fields and an importer.
func testRegistry(conn *script) *connectors.Registry {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{
		ID: "testshop", Title: "Test Shop", Description: "A shop that answers as each test says.", Icon: "prestashop.svg",
		New: func() connectors.Connector { return conn },
		Fields: []connectors.Field{
			{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true, Help: "The shop's address."},
			{Key: "method", Label: "Signature method", Kind: connectors.KindChoice, Required: true, Default: "hmac",
				Choices: []connectors.Choice{{Value: "hmac", Label: "HMAC-SHA256"}, {Value: "rsa", Label: "RSA-SHA256"}, {Value: "plain", Label: "PLAINTEXT"}, {Value: "hmac1", Label: "HMAC-SHA1"}}},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true},
			{Key: "private_key", Label: "Private key", Kind: connectors.KindMultilineSecret,
				VisibleWhen:  []connectors.Condition{{Field: "method", Values: []string{"rsa"}}},
				RequiredWhen: []connectors.Condition{{Field: "method", Values: []string{"rsa"}}}},
			{Key: "timeout", Label: "Timeout", Kind: connectors.KindNumber, Default: "30", Min: 1, Max: 300, Advanced: true},
		},
		Importer: &connectors.Importer{
			Label:  "Import request...",
			Params: []connectors.Field{{Key: "token", Label: "Token", Kind: connectors.KindSecret, Required: true}},
			Import: func(_ context.Context, data []byte, params connectors.Values, env connectors.ImportEnv) (connectors.Values, error) {
				if env.Client.Dial == nil || filepath.Base(env.CacheDir) != "cache" {
					return nil, errors.New("the window gave no cache folder or not the shared client")
				}
				if params["token"] != "t0ken" {
					return nil, errors.New("the signature does not match the token")
				}
				return connectors.Values{"store_url": string(data), "api_key": "imported-key"}, nil
			},
		},
	})
	return reg
}

type env struct {
	t       testing.TB
	ui      *UI
	eng     *engine.Engine
	loop    *loop
	store   *vault.Vault
	secrets *vault.MemorySecrets
	conn    *script
	dials   *atomic.Int64
	red     *redact.Redactor
}

func newEnv(t testing.TB, reg *connectors.Registry, conn *script) *env {
	t.Helper()
	return newEnvDialing(t, reg, conn, nil)
}

// newEnvDialing is newEnv with a dialer; nil refuses and counts every dial,
// so nothing leaves the machine.
func newEnvDialing(t testing.TB, reg *connectors.Registry, conn *script, dial connectors.DialFunc) *env {
	t.Helper()
	return newEnvWith(t, reg, conn, envExtras{dial: dial})
}

// envExtras are what a test adds to the engine: a dialer, more kinds.
type envExtras struct {
	dial  connectors.DialFunc
	kinds []engine.Kind
	// keychain gives Doctor the env's keychain to check.
	keychain bool
	// history keeps every test's history under the home, as setup does.
	history bool
}

func newEnvWith(t testing.TB, reg *connectors.Registry, conn *script, x envExtras) *env {
	t.Helper()
	dial := x.dial
	t.Setenv("LANG", "C.UTF-8")
	a := test.NewTempApp(t)
	dir := t.TempDir()
	secrets := vault.NewMemorySecrets()
	store, err := vault.Open(dir, secrets)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, loop: newLoop(), store: store, secrets: secrets, conn: conn, dials: &atomic.Int64{}, red: redact.New()}
	if dial == nil {
		dial = func(context.Context, string, string) (net.Conn, error) {
			e.dials.Add(1)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}
	}
	deps := engine.Deps{
		Store: store, Registry: reg, Redactor: e.red,
		Paths: engine.Paths{Home: dir, Connections: store.Path(), Logs: filepath.Join(dir, "logs", "storelink.log"), Keychain: "an in-memory keychain"},
		// Nothing leaves the machine: every dial is refused and counted.
		Client: connectors.ClientOptions{Dial: dial},
		State:  vault.StateDir{Dir: filepath.Join(dir, "state")},
		Kinds:  x.kinds,
	}
	if x.keychain {
		deps.Keychain = secrets
	}
	if x.history {
		deps.History = vault.History{Dir: filepath.Join(dir, "state", "history")}
	}
	e.eng = engine.New(deps)
	e.ui = newUI(a, e.eng, e.loop.do)
	e.ui.Connections.Reload()
	e.ui.Window.Show()
	t.Cleanup(func() {
		closed := e.ui.ctx.Err() != nil // the test driver panics on a second Close
		e.ui.stop()
		if !closed {
			e.ui.Window.Close()
		}
	})
	return e
}

// open picks the application in the picker and returns the new pane.
func (e *env) open(id string) *Pane {
	e.t.Helper()
	n := len(e.ui.Panes)
	e.ui.CreateConnection()
	test.Tap(e.ui.Picker.buttons[id])
	if len(e.ui.Panes) != n+1 {
		e.t.Fatalf("choosing %s opened no pane", id)
	}
	return e.ui.Panes[n]
}

// idle waits until the pane's test or save is over.
func (e *env) idle(p *Pane) {
	e.t.Helper()
	e.loop.until(e.t, "the pane to finish", func() bool { return !p.busy() })
}

func (e *env) saved() []vault.Connection {
	e.t.Helper()
	cs, err := e.store.List()
	if err != nil {
		e.t.Fatal(err)
	}
	return cs
}

func typeInto(p *Pane, key, text string) {
	test.Type(p.Form.Input(key).Focusable(), text)
}

func fillTestShop(p *Pane, name string) {
	typeInto(p, "name", name)
	typeInto(p, "store_url", "shop.example")
	typeInto(p, "api_key", "SECRETKEY-123")
}

func selectLabel(in fyne.CanvasObject, label string) {
	switch w := in.(type) {
	case interface{ SetSelected(string) }:
		w.SetSelected(label)
	}
}
