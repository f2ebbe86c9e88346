// Package engine owns every operation on saved connections: list, check,
// create, edit, clone, rename, delete, test one or many, and recording how a
// test went. The window and the command line are thin front ends over it,
// so a rule about saving or recording lives here once. It imports no Fyne.
package engine

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"storelink/agents"
	"storelink/connectors"
	"storelink/names"
	"storelink/redact"
	"storelink/vault"
)

// Store is where connections are kept; *vault.Vault implements it, and
// tests may wrap it to inject faults.
type Store interface {
	List() ([]vault.Connection, error)
	Get(name string) (vault.Connection, error)
	// Save stores c and its secrets all-or-nothing and returns what was saved.
	Save(c vault.Connection, secrets connectors.Values, opts vault.SaveOptions) (vault.Connection, error)
	Delete(name string) error
	// Secrets reads c's secrets from the keychain.
	Secrets(c vault.Connection) (connectors.Values, error)
	// Record stores the outcome of a test of the saved connection name.
	Record(name string, v vault.Verification) error
	// RecordMany stores several outcomes in one write; names no longer
	// saved are skipped.
	RecordMany(vs map[string]vault.Verification) error
	// Agents lists the configured on-premise agents.
	Agents() ([]string, error)
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
	Registry *connectors.Registry
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
}

// DefaultParallel is how many saved connections are tested at once.
const DefaultParallel = 8

// Engine is the middle of Storelink. Safe for use by several goroutines.
type Engine struct {
	d     Deps
	slots chan struct{}

	mu   sync.Mutex
	last map[string]connectors.Result // this session's last test of each saved connection, by ID
	rec  recorder

	changes listeners
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
	if d.Pool == nil {
		d.Pool = agents.NewPool(agents.PoolOptions{})
	}
	return &Engine{d: d, slots: make(chan struct{}, d.Parallel), last: map[string]connectors.Result{}}
}

// Close releases what the engine holds (the log file).
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

// List returns the saved connections sorted by name.
func (e *Engine) List() ([]vault.Connection, error) { return e.d.Store.List() }

// Get returns the saved connection called name (vault.ErrNotFound if none).
func (e *Engine) Get(name string) (vault.Connection, error) { return e.d.Store.Get(name) }

// Agents lists the configured on-premise agents.
func (e *Engine) Agents() ([]string, error) { return e.d.Store.Agents() }

// Choices fills a field's run-time choices (connectors.ChoicesFrom): saved
// connections other than exclude, or agents.
func (e *Engine) Choices(source, exclude string) []string {
	switch source {
	case connectors.ChoicesAgents:
		agents, err := e.d.Store.Agents()
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

// Lookup finds the application of a saved connection, with a message a
// person can act on when this Storelink does not know it.
func (e *Engine) Lookup(app string) (connectors.Info, error) {
	info, ok := e.d.Registry.Lookup(app)
	if !ok {
		return connectors.Info{}, fmt.Errorf("this version of Storelink does not know the application %q; update Storelink, or delete the connection", app)
	}
	return info, nil
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

// Check fills in defaults, tidies pasted values up and validates them; the
// name must not belong to another saved connection than editing.
func (e *Engine) Check(d Draft, editing string) (Checked, error) {
	info, ok := e.d.Registry.Lookup(d.App)
	if !ok {
		return Checked{}, &InputError{[]connectors.FieldError{{Key: "app", Label: "Application",
			Message: fmt.Sprintf("unknown application %q; choose one of %s", d.App, strings.Join(e.appIDs(), ", "))}}}
	}
	values := info.Defaults(d.Values)
	values, notes := info.Normalize(values)
	if errs := info.Validate(values); len(errs) > 0 {
		return Checked{}, &InputError{errs}
	}
	name := names.Tidy(values[connectors.FieldName])
	values[connectors.FieldName] = name
	if msg := connectors.CheckName(name); msg != "" {
		return Checked{}, &InputError{[]connectors.FieldError{{Key: connectors.FieldName, Label: "Name", Message: msg}}}
	}
	if err := e.checkLender(info, name, values.String(connectors.FieldBorrowFrom)); err != nil {
		return Checked{}, err
	}
	if err := e.checkAgent(values); err != nil {
		return Checked{}, err
	}
	saved, err := e.d.Store.List()
	if err != nil {
		return Checked{}, err
	}
	if existing, taken := takenName(connectionNames(saved), name, editing); taken {
		return Checked{}, nameTaken("a connection", existing, name)
	}
	e.addSecretsOf(info, values)
	return Checked{Info: info, Name: name, Values: values, Notes: notes, Warnings: info.Warnings(values)}, nil
}

func (e *Engine) appIDs() []string {
	var ids []string
	for _, i := range e.d.Registry.All() {
		ids = append(ids, i.ID)
	}
	return ids
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
}

// Test tests checked values without saving anything.
func (e *Engine) Test(ctx context.Context, c Checked, o TestOptions) connectors.Result {
	return e.run(ctx, c.Info, "", c.Name, c.Values, o)
}

// run tests values; id is the saved connection's, "" for a draft.
func (e *Engine) run(ctx context.Context, info connectors.Info, id, name string, values connectors.Values, o TestOptions) connectors.Result {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	e.addSecretsOf(info, values)
	log := e.d.Log.WithFields(logrus.Fields{"connection": name, "app": info.ID})
	log.Debug("test started")
	client := e.d.Client
	if r := e.throughAgent(values, &client); r != nil {
		e.mask(r)
		log.WithFields(r.LogFields()).Info("test finished")
		return *r
	}
	slot, note := e.slot(id, name, values)
	client.Slot = slot
	r := connectors.Run(ctx, info, connectors.Config{
		Name: name, Values: values, Client: client, State: e.d.State, Force: o.Force, Now: e.d.Now,
		Progress: func(step string) {
			log.Debug(step)
			if o.Progress != nil {
				o.Progress(step)
			}
		},
	})
	if note != "" {
		r.Warn(connectors.CodeConcurrencyFallback, note)
	}
	e.mask(&r)
	for _, ex := range r.Exchanges {
		log.WithField("status", ex.Status).WithField("error", ex.Error).Debug(ex.Request)
	}
	log.WithFields(r.LogFields()).Info("test finished")
	return r
}

// mask passes every string of a result through the redactor, so a secret a
// server echoed back is never shown, printed or stored. It walks the value
// by reflection: a field added later is masked too.
func (e *Engine) mask(r *connectors.Result) { e.d.Redactor.Walk(r) }

// verdict is what a test leaves on the saved connection.
func (e *Engine) verdict(r connectors.Result) vault.Verification {
	v := vault.Verification{At: e.d.Now().UTC(), OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint}
	e.d.Redactor.Walk(&v)
	return v
}

func (e *Engine) unverified(reason string) vault.Verification {
	if reason == "" {
		reason = "saved without verifying"
	}
	v := vault.Verification{At: e.d.Now().UTC(), Unverified: true, Message: reason}
	e.d.Redactor.Walk(&v)
	return v
}

// LastResult is the whole result of the last test of the saved connection c
// in this session (checks, warnings, requests); false when it has not been
// tested since Storelink started: c.Last then holds what was recorded.
func (e *Engine) LastResult(c vault.Connection) (connectors.Result, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.last[c.ID]
	return r, ok
}

func (e *Engine) remember(c vault.Connection, r connectors.Result) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.last[c.ID] = r
}
