// Package engine owns every operation on saved resources (connections,
// on-premise agents, and any kind Deps.Kinds adds): list, check, create,
// edit, clone, rename, delete, test one or many, and recording how a test
// went, announced to whoever listens. The window and the command line are
// thin front ends over it, so a rule about saving or recording lives here
// once. It imports no Fyne.
package engine

// engine.go: the engine's dependencies, its making and closing, and what
// every kind shares: masking secrets, the verdict a test leaves, drafts and
// their errors.

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"storelink/agents"
	"storelink/connectors"
	"storelink/names"
	"storelink/redact"
	"storelink/vault"
)

// Store is where connections and agents are kept; *vault.Vault implements
// it, and tests may wrap it to inject faults. Its Records are the
// connections; AgentStore holds the same operations for agents.
type Store interface {
	Records
	AgentStore
}

// Paths say where things live, for Help > About and `storelink doctor`.
type Paths struct {
	Home        string // STORELINK_HOME
	Connections string // connections.json
	Logs        string // the log file
	Keychain    string // a sentence naming the OS keychain and service
}

// Deps are the engine's effects; setup.Open builds the real ones.
type Deps struct {
	Store    Store
	Registry *connectors.Registry     // the platforms; nil: none
	Log      logrus.FieldLogger       // nil: nothing is logged
	Redactor *redact.Redactor         // nil: a new one
	State    connectors.StateStore    // connectors' small state (Upgates guard)
	Client   connectors.ClientOptions // the base of every test's HTTP client
	Now      func() time.Time         // nil: the wall clock
	Paths    Paths
	// Parallel bounds how many saved connections are tested at once
	// (TestSaved and TestMany); 0 means DefaultParallel.
	Parallel int
	// Limiter enforces concurrency levels; nil means a new one. One per
	// process, so the window and every command share it.
	Limiter *connectors.Limiter
	// Closer is closed by Close (the log file).
	Closer io.Closer
	// Keychain is where Store keeps secrets; Doctor checks it directly.
	Keychain vault.Secrets
	// Pool holds the agents' SSH clients; nil means a new one, closed by Close.
	Pool *agents.Pool
	// Kinds are resource kinds beside connections and agents (a test's
	// own, later a shop's store views); each goes through the same flow.
	Kinds []Kind
	// History keeps every test of a saved resource; the zero value keeps none.
	History vault.History
}

// DefaultParallel is how many saved connections are tested at once.
const DefaultParallel = 8

// Engine is the middle of Storelink. Safe for use by several goroutines.
type Engine struct {
	d     Deps
	slots chan struct{}

	kinds map[string]*Kind
	rec   map[string]*recorder // by kind
	ears  listeners

	mu   sync.Mutex
	last map[string]connectors.Result // this session's last test of each saved resource, by kind/ID

	busyMu sync.Mutex
	busy   map[string]int // saved resources being tested now, by kind/ID: how many tests
	// runs counts the runs of many tests under way (TestMany, RunSchedule).
	runs atomic.Int32
}

// New returns an engine over d.
func New(d Deps) *Engine {
	if d.Log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		d.Log = l
	}
	if d.Redactor == nil {
		d.Redactor = redact.New()
	}
	if d.Client.Redactor == nil {
		d.Client.Redactor = d.Redactor
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Parallel <= 0 {
		d.Parallel = DefaultParallel
	}
	if d.Limiter == nil {
		d.Limiter = connectors.NewLimiter()
	}
	if d.Registry == nil {
		d.Registry = connectors.NewRegistry()
	}
	if d.Pool == nil {
		d.Pool = agents.NewPool(agents.PoolOptions{})
	}
	e := &Engine{d: d, slots: make(chan struct{}, d.Parallel), last: map[string]connectors.Result{},
		kinds: map[string]*Kind{}, rec: map[string]*recorder{}}
	e.addKinds(append([]Kind{e.connectionKind(), e.agentKind()}, d.Kinds...)...)
	return e
}

// Close closes the agents' SSH clients (Deps.Pool, even one the caller
// gave) and Deps.Closer (the log file); the store stays open.
func (e *Engine) Close() error {
	e.d.Pool.Close()
	if e.d.Closer != nil {
		return e.d.Closer.Close()
	}
	return nil
}

// Registry is the applications connections can be made to.
func (e *Engine) Registry() *connectors.Registry { return e.d.Registry }

// Log is Storelink's logger; secrets are masked before anything is written.
func (e *Engine) Log() logrus.FieldLogger { return e.d.Log }

// Paths say where settings, logs and secrets live.
func (e *Engine) Paths() Paths { return e.d.Paths }

// Redact masks every secret the engine has handled in s.
func (e *Engine) Redact(s string) string { return e.d.Redactor.String(s) }

// addSecretsOf makes the redactor mask a connection's secrets in every form
// a server may echo them: plain, URL-encoded, base64, and base64 of
// "user:secret" for each of its text values (HTTP Basic: a login).
func (e *Engine) addSecretsOf(info connectors.Info, values connectors.Values) {
	for _, f := range info.Fields {
		secret := values[f.Key]
		if !f.IsSecret() || secret == "" {
			continue
		}
		e.d.Redactor.Add(secret)
		for _, g := range info.Fields {
			if u := values.String(g.Key); g.Kind == connectors.KindText && u != "" && len(u) < 256 {
				e.d.Redactor.AddPair(u, secret)
			}
		}
	}
}

// AddSecrets makes the redactor mask values from now on.
func (e *Engine) AddSecrets(values ...string) { e.d.Redactor.Add(values...) }

// ImportEnv is what importers get: the cache folder shared by the window and
// the command line, and the shared client's options.
func (e *Engine) ImportEnv() connectors.ImportEnv {
	env := connectors.ImportEnv{Client: e.d.Client}
	if e.d.Paths.Home != "" {
		env.CacheDir = filepath.Join(e.d.Paths.Home, "cache")
	}
	return env
}

// Agents lists the configured on-premise agents.
func (e *Engine) Agents() ([]string, error) { return e.Of(KindAgent).Names() }

// Choices fills a field's run-time choices (connectors.ChoicesFrom): saved
// connections other than exclude, or agents.
func (e *Engine) Choices(source, exclude string) []string {
	switch source {
	case connectors.ChoicesAgents:
		agents, err := e.Agents()
		if err != nil {
			e.d.Log.WithError(err).Warn("cannot list agents")
		}
		return agents
	case connectors.ChoicesConnections:
		cs, err := e.d.Store.List()
		if err != nil {
			e.d.Log.WithError(err).Warn("cannot list connections")
		}
		var others []string
		for _, c := range cs {
			if !names.Equal(c.Name, exclude) {
				others = append(others, c.Name)
			}
		}
		return others
	}
	return nil
}

// Draft is a connection as the user typed it.
type Draft struct {
	App    string
	Values connectors.Values // name and secrets included
}

// InputError says why a draft cannot be tested or saved, field by field.
type InputError struct{ Fields []connectors.FieldError }

func (e *InputError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "\n")
}

// Checked is a draft that passed every check, ready to test and save.
type Checked struct {
	Info   connectors.Info
	Name   string
	Values connectors.Values // defaults filled in, tidied up, secrets included
	// Notes say what tidying up changed ("Store URL: removed https://").
	Notes []string
	// Warnings are about values that are accepted but risky.
	Warnings []connectors.FieldError
}

// TestOptions say how a test runs.
type TestOptions struct {
	// Force lets the user override a local safety guard (the lockout guard).
	Force bool
	// Timeout bounds the whole test; 0 leaves it to each request's timeout.
	Timeout time.Duration
	// Progress is told each step in words, from the test's goroutine.
	Progress func(step string)
	// Parallel, for TestMany, bounds how many tests run at once; 0 means
	// Deps.Parallel.
	Parallel int
	// Trigger says what started the test, for its history: "window", "test-all", "cli", "schedule".
	Trigger string
}

// mask passes every string of a result through the redactor, so a secret a
// server echoed back is never shown, printed or stored. It walks the value
// by reflection: a field added later is masked too.
func (e *Engine) mask(r *connectors.Result) { e.d.Redactor.Walk(r) }

// verdict is what a test leaves on the saved connection, its warnings
// included: a pass with warnings stays one across saves and restarts.
func (e *Engine) verdict(r connectors.Result) vault.Verification {
	v := vault.Verification{At: e.d.Now().UTC(), OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
		Warnings: slices.Clone(r.Warnings), RetryAt: retryAt(r, e.d.Now())}
	e.d.Redactor.Walk(&v)
	return v
}

// unverified is what a save without a test leaves: why, and the failed
// test the owner saved despite, when there was one.
func (e *Engine) unverified(reason string, failed *connectors.Result) vault.Verification {
	if reason == "" {
		reason = "saved without verifying"
	}
	v := vault.Verification{At: e.d.Now().UTC(), Unverified: true, Message: reason, Reason: reason}
	if failed != nil {
		v.Code, v.Message, v.Hint, v.Warnings = failed.Code, failed.Message, failed.Hint, slices.Clone(failed.Warnings)
	}
	e.d.Redactor.Walk(&v)
	return v
}
