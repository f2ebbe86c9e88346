// Package testkind is a throw-away third kind of saved resource that only
// tests use: webhooks, each a URL and a token, that may forward to another
// webhook. It proves what adding a kind takes: one descriptor handed to
// engine.Deps.Kinds; nothing in the engine's flow changes. Tests of app/
// and cli/ add it the same way:
//
//	store := testkind.NewStore()
//	eng := engine.New(engine.Deps{..., Kinds: []engine.Kind{testkind.Kind(store)}})
package testkind

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/names"
	"storelink/vault"
)

// ID is the kind's identifier, as engine.Of and Change.Kind name it.
const ID = "webhook"

// Token is the one token the test server accepts.
const Token = "HOOK-TOKEN-0123456789abcdef"

// The webhook's fields.
const (
	FieldURL     = "url"
	FieldToken   = "token"
	FieldForward = "forward"
)

// ErrNotFound: no saved webhook has that name.
var ErrNotFound = errors.New("no saved webhook has that name")

// Form is the webhook form.
func Form() connectors.Info {
	return connectors.Info{ID: ID, Title: "Webhook", Description: "A URL that hears of changes; exists only in tests.",
		Fields: []connectors.Field{
			{Key: connectors.FieldName, Label: "Name", Kind: connectors.KindText, Required: true, Help: "What to call it."},
			{Key: FieldURL, Label: "URL", Kind: connectors.KindURL, Required: true, Help: "Where to send, like http://127.0.0.1:8080."},
			{Key: FieldToken, Label: "Token", Kind: connectors.KindSecret, Required: true, Help: "The token the receiver wants."},
			{Key: FieldForward, Label: "Forward to", Kind: connectors.KindText, Help: "Another webhook that gets the same."},
		},
		New: func() connectors.Connector { return hook{} },
	}
}

// Kind is the webhook descriptor over store.
func Kind(store *Store) engine.Kind {
	return engine.Kind{ID: ID, Noun: "webhook", Form: Form(), Store: store, NotFound: ErrNotFound,
		Test: func(ctx context.Context, run engine.TestRun) engine.Trial {
			return engine.Trial{Result: connectors.Run(ctx, run.Info, connectors.Config{Name: run.Name, Values: run.Values,
				Client: run.Client, Now: time.Now, Progress: run.Options.Progress})}
		},
		Refs: []engine.Ref{{Field: FieldForward, To: ID, Follow: true, Circle: "forwarding would go round in a circle ({chain})"}},
	}
}

type hook struct{}

func (hook) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	cfg.Step("Calling the webhook...")
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: cfg.Values.String(FieldURL),
		Header: http.Header{"X-Token": {cfg.Values[FieldToken]}}})
	switch {
	case err != nil:
		return connectors.FailFromError(err)
	case resp.Status == http.StatusUnauthorized:
		// Echoes the token it got, as careless receivers do: the engine masks it.
		return connectors.Fail(connectors.CodeAuthInvalid, "The webhook said: "+string(resp.Body), "Copy the token again.")
	}
	return connectors.Success("The webhook answered.")
}

// NewServer is a webhook receiver on loopback that accepts Token.
func NewServer(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("X-Token"); got != Token {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("unknown token " + got))
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Draft is a webhook draft to url with token.
func Draft(name, url, token string) engine.Draft {
	return engine.Draft{Values: connectors.Values{connectors.FieldName: name, FieldURL: url, FieldToken: token}}
}

// Store keeps webhooks in memory, with the vault's naming rules; it
// implements engine.Records. Safe for use by several goroutines.
type Store struct {
	mu      sync.Mutex
	hooks   []vault.Connection
	secrets map[string]connectors.Values // by ID
	next    int
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{secrets: map[string]connectors.Values{}} }

var _ engine.Records = (*Store)(nil)

func (s *Store) find(name string) int {
	for i, h := range s.hooks {
		if names.Equal(h.Name, name) {
			return i
		}
	}
	return -1
}

func (s *Store) List() ([]vault.Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]vault.Connection(nil), s.hooks...), nil
}

func (s *Store) Get(name string) (vault.Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.find(name); i >= 0 {
		return s.hooks[i], nil
	}
	return vault.Connection{}, fmt.Errorf("%q: %w", name, ErrNotFound)
}

// Save stores c and its secrets as the vault does: Replace names the one
// edited, KeepSecrets keeps the secrets not given, and Check sees the list
// as the save leaves it before anything changes.
func (s *Store) Save(c vault.Connection, secrets connectors.Values, o vault.SaveOptions) (vault.Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := -1
	if o.Replace != "" {
		if old = s.find(o.Replace); old < 0 {
			return vault.Connection{}, fmt.Errorf("%q: %w", o.Replace, ErrNotFound)
		}
	}
	for i, h := range s.hooks {
		if i != old && names.LookAlike(h.Name, c.Name) {
			return vault.Connection{}, &vault.NameError{Name: h.Name, Given: c.Name, Kind: "webhook", Err: vault.ErrDuplicateName}
		}
	}
	hooks := append([]vault.Connection(nil), s.hooks...)
	all := connectors.Values{}
	now := time.Now().UTC()
	if old >= 0 {
		was := hooks[old]
		c.ID, c.Created, c.Generation = was.ID, was.Created, was.Generation+1
		if c.Last == nil {
			c.Last = was.Last
		}
		if o.KeepSecrets {
			all = s.secrets[c.ID].Clone()
		}
		hooks = append(hooks[:old:old], hooks[old+1:]...)
	} else {
		s.next++
		c.ID, c.Created, c.Generation = fmt.Sprintf("webhook-%d", s.next), now, 1
	}
	for k, v := range secrets {
		all[k] = v
	}
	c.SecretKeys, c.Updated = sortedKeys(all), now
	hooks = append(hooks, c)
	sort.Slice(hooks, func(i, j int) bool { return strings.ToLower(hooks[i].Name) < strings.ToLower(hooks[j].Name) })
	if o.Check != nil {
		err := o.Check(func(name string) (vault.Connection, bool) {
			for _, h := range hooks {
				if names.Equal(h.Name, name) {
					return h, true
				}
			}
			return vault.Connection{}, false
		})
		if err != nil {
			return vault.Connection{}, err
		}
	}
	s.hooks, s.secrets[c.ID] = hooks, all
	return c, nil
}

func sortedKeys(v connectors.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *Store) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.find(name)
	if i < 0 {
		return fmt.Errorf("%q: %w", name, ErrNotFound)
	}
	delete(s.secrets, s.hooks[i].ID)
	s.hooks = append(s.hooks[:i:i], s.hooks[i+1:]...)
	return nil
}

func (s *Store) Secrets(c vault.Connection) (connectors.Values, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.secrets[c.ID]
	if !ok {
		return nil, vault.ErrSecretNotFound
	}
	return v.Clone(), nil
}

func (s *Store) SecretsMany(cs []vault.Connection) map[string]vault.SecretsRead {
	out := map[string]vault.SecretsRead{}
	for _, c := range cs {
		v, err := s.Secrets(c)
		out[c.ID] = vault.SecretsRead{Values: v, Err: err}
	}
	return out
}

func (s *Store) RecordMany(vs map[string]vault.Verification, follow vault.Follow) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, v := range vs {
		if i := s.find(name); i >= 0 {
			if follow != nil {
				v = follow(s.hooks[i].Last, v)
			}
			s.hooks[i].Last = &v
		}
	}
	return nil
}
