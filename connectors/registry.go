package connectors

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Connector verifies a connection's credentials against its store.
type Connector interface {
	// Test must honour ctx and never panic; every failure is a Result.
	Test(ctx context.Context, cfg Config) Result
}

// StateStore keeps small non-secret state between runs (the Upgates lockout
// guard's failed logins, for instance). The vault provides one on disk.
type StateStore interface {
	Load(key string) ([]byte, error) // nil, nil when nothing is stored
	Store(key string, data []byte) error
}

// Config is everything a connector needs for one test.
type Config struct {
	Name   string
	Values Values // field values by key, secrets included
	Client ClientOptions
	// HTTP is set by Run: the client every request of the test goes
	// through, with the connection's request timeout and its secrets masked.
	// Run copies its requests and exchanges into the result.
	HTTP *Client
	// Progress reports the current step in words ("Connecting to shop.example...").
	Progress func(step string)
	State    StateStore
	// Force lets the user override a local safety guard (CLI --force).
	Force bool
	Now   func() time.Time
}

// Step reports progress if anyone listens.
func (c Config) Step(s string) {
	if c.Progress != nil {
		c.Progress(s)
	}
}

// Clock returns Now or the wall clock.
func (c Config) Clock() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Info describes one application (platform) that connections can be made to.
type Info struct {
	ID          string // stable, part of the public contract ("prestashop")
	Title       string // "PrestaShop"
	Description string // one line for the application picker
	Icon        string // file name in assets/
	// Fields are the platform's own fields; Register adds the common ones.
	Fields []Field
	New    func() Connector
	// MaxConcurrency caps concurrency_level below 25, with the reason shown.
	MaxConcurrency       int
	MaxConcurrencyReason string
	// Importer, when set, fills the form from a file or pasted text.
	Importer *Importer
	// Commands are the platform's own command-line commands.
	Commands []Command
	// PlainHTTP, when set, names the secret that would cross the network
	// unencrypted with these values, and the host it would go to; secret is
	// "" when nothing secret would. Run and saves warn with insecure_http
	// unless the host is local.
	PlainHTTP func(values Values) (host, secret string)
	// Words are the platform's own words for its results' terms.
	Words ResultWords
	// AdminURL, when set, is the store's back office for these values ("":
	// not known from them), for an "Open the store's admin" button. Nil where
	// the back office's address is chosen at install and kept secret
	// (PrestaShop's renamed admin folder, Magento's admin frontName).
	AdminURL func(values Values) string
	// API, when set, lets saved connections make requests of the store's
	// API (`storelink api`, Try a request); see api.go.
	API *API
	// EnvPrefix starts the names of the environment variables `storelink
	// exec` sets for this platform's fields ("MAGENTO"); "" means the ID in
	// upper case.
	EnvPrefix string
}

// Importer fills a connection form from data the platform hands over (the
// Upgates add-on installation request). Params are asked for alongside it.
type Importer struct {
	Label  string // "Import installation request..."
	Params []Field
	Import func(ctx context.Context, data []byte, params Values, env ImportEnv) (Values, error)
}

// ImportEnv is what the application hands an importer besides the user's
// input: where it may keep fetched data, and the shared client's options
// (dialer, timeouts) for anything it fetches.
type ImportEnv struct {
	CacheDir string // "" keeps fetched data in memory only
	Client   ClientOptions
}

// Field returns the field with key.
func (i Info) Field(key string) (Field, bool) {
	for _, f := range i.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Registry holds the applications, like database/sql's drivers.
type Registry struct {
	mu   sync.RWMutex
	apps map[string]Info
}

// NewRegistry returns an empty registry (tests use their own).
func NewRegistry() *Registry { return &Registry{apps: map[string]Info{}} }

// Default is the registry platform packages add themselves to in init().
var Default = NewRegistry()

// Register adds an application to Default.
func Register(info Info) { Default.Register(info) }

// Lookup finds an application in Default.
func Lookup(id string) (Info, bool) { return Default.Lookup(id) }

// All lists Default's applications sorted by title.
func All() []Info { return Default.All() }

// Register adds info with the common fields; it panics on a duplicate, an
// empty ID, a nil constructor or a field key declared twice, since those
// are programming errors.
func (r *Registry) Register(info Info) {
	if info.ID == "" || info.New == nil {
		panic("connectors: Register with empty ID or nil New")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.apps[info.ID]; dup {
		panic("connectors: Register called twice for " + info.ID)
	}
	seen := map[string]bool{}
	info.Fields = withCommonFields(info)
	for _, f := range info.Fields {
		if seen[f.Key] {
			panic(fmt.Sprintf("connectors: %s declares field %q twice", info.ID, f.Key))
		}
		seen[f.Key] = true
	}
	r.apps[info.ID] = info
}

// Lookup returns the application with id.
func (r *Registry) Lookup(id string) (Info, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	info, ok := r.apps[id]
	return info, ok
}

// All returns every application sorted by title.
func (r *Registry) All() []Info {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Info, 0, len(r.apps))
	for _, i := range r.apps {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Title < out[b].Title })
	return out
}

// Keys of the fields every connector has.
const (
	FieldName           = "name"
	FieldMode           = "mode"
	FieldAgent          = "agent"
	FieldConcurrency    = "concurrency_level"
	FieldBorrowFrom     = "borrow_concurrency_from"
	FieldRequestTimeout = "request_timeout"
	ModeCloud           = "cloud"
	ModeOnPremise       = "on-premise"
	MaxConcurrencyLevel = 25
	MaxRequestTimeout   = 300 // seconds
)

func withCommonFields(info Info) []Field {
	maxConc := MaxConcurrencyLevel
	concHelp := "How many requests may run against this store at once. Up to 25 allowed; 1 is the safe default."
	if info.MaxConcurrency > 0 && info.MaxConcurrency < maxConc {
		maxConc = info.MaxConcurrency
		concHelp = "How many requests may run against this store at once. At most " + strconv.Itoa(maxConc) + " here: " + info.MaxConcurrencyReason
	}
	top := []Field{
		{Key: FieldName, Label: "Name", Kind: KindText, Required: true,
			Help: "A clear, unique name to pick this connection by later. It is shown in the connections list and used on the command line."},
		{Key: FieldMode, Label: "Mode", Kind: KindChoice, Required: true, Default: ModeCloud,
			Choices: []Choice{
				{Value: ModeCloud, Label: "Cloud",
					Help: "Storelink connects to the store directly from this computer: right for a store on the internet, on your local network or on this computer. " +
						"Choose On-premise only when the store sits behind a firewall this computer cannot pass."},
				{Value: ModeOnPremise, Label: "On-premise",
					Help: "For a store behind a firewall, reached through an agent (an SSH server next to the store) that you add under Resources > Agents. " +
						"All its traffic goes through the agent, never directly; a store this computer can reach, even on the local network or localhost, needs none: choose Cloud."},
			},
			Help: "Cloud for a store this computer can reach directly (on the internet, the local network or localhost). On-premise for a store behind a firewall, reached through an agent."},
		{Key: FieldAgent, Label: "Agent", Kind: KindChoice, ChoicesFrom: ChoicesAgents,
			VisibleWhen:  []Condition{{FieldMode, []string{ModeOnPremise}}},
			RequiredWhen: []Condition{{FieldMode, []string{ModeOnPremise}}},
			Help:         "The agent that reaches the store behind its firewall. One agent can serve many connections."},
	}
	advanced := []Field{
		{Key: FieldRequestTimeout, Label: "Request timeout (seconds)", Kind: KindNumber,
			Default: strconv.Itoa(int(DefaultTimeout / time.Second)), Min: 1, Max: MaxRequestTimeout, Advanced: true,
			Help: "How long to wait for the store to answer one request, from 1 to 300 seconds. Raise it for a slow or busy server."},
		{Key: FieldConcurrency, Label: "Concurrency level", Kind: KindNumber, Default: "1",
			Min: 1, Max: maxConc, Advanced: true, Help: concHelp},
		{Key: FieldBorrowFrom, Label: "Borrow concurrency from", Kind: KindChoice,
			ChoicesFrom: ChoicesConnections, Advanced: true,
			Help: "Share another saved connection's concurrency limit, when both reach the same store."},
	}
	out := append([]Field{}, top...)
	out = append(out, info.Fields...)
	out = append(out, advanced...)
	return append(out, trustFields()...)
}
