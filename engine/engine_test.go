package engine_test

// engine_test.go: every operation on saved connections, against a test
// server and a real vault over an in-memory keychain.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

const (
	goodKey  = "GOOD-KEY-0123456789"
	otherKey = "OTHER-KEY-9876543210"
)

// shop is a store that accepts goodKey in X-Key and answers anything else
// with a 401 page that echoes the key it got, as careless servers do.
type shop struct {
	*httptest.Server
	requests, inFlight, maxInFlight atomic.Int64
	delay                           time.Duration
	accept                          atomic.Value // string
	throttleAbove                   int64        // > 0: answer 429 past this many at once
	stripsHeaders                   atomic.Bool  // pass with a warning
}

func newShop(t *testing.T) *shop {
	s := &shop{}
	s.accept.Store(goodKey)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for {
			m := s.maxInFlight.Load()
			if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		if s.throttleAbove > 0 && n > s.throttleAbove {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.Header.Get("X-Key") != s.accept.Load().(string) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("unknown key " + r.Header.Get("X-Key")))
			return
		}
		if s.stripsHeaders.Load() { // the key got through, but only in the address
			_, _ = w.Write([]byte("ok, key in the address"))
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(s.Close)
	return s
}

// demo sends its key to the shop and quotes what a refusal said.
type demo struct{}

func (demo) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	cfg.Step("Asking the shop...")
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: cfg.Values.String("url") + "/check",
		Header: http.Header{"X-Key": {cfg.Values["api_key"]}}})
	switch {
	case err != nil:
		return connectors.FailFromError(err)
	case resp.Status == http.StatusUnauthorized:
		return connectors.Fail(connectors.CodeAuthInvalid, "The shop said: "+string(resp.Body), "Paste the right key.")
	case resp.Status == http.StatusTooManyRequests:
		return connectors.Fail(connectors.CodeRateLimited, "Too many requests.", "Wait.")
	}
	r := connectors.Success("The shop answered.")
	if string(resp.Body) == "ok, key in the address" {
		r.Warn(connectors.CodeAuthHeaderStripped, "The key only got through in the address, where it can end up in server logs.")
	}
	return r
}

func registry() *connectors.Registry {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{ID: "demo", Title: "Demo", Description: "A test platform",
		New: func() connectors.Connector { return demo{} },
		Fields: []connectors.Field{
			{Key: "url", Label: "URL", Kind: connectors.KindURL, Required: true, Help: "Where.", Address: true,
				Normalize: func(v string) (string, string) {
					if t := strings.TrimSuffix(v, "/"); t != v {
						return t, "removed the trailing slash"
					}
					return v, ""
				}},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true, Help: "The key."},
			{Key: "note", Label: "Note", Kind: connectors.KindText, Help: "Anything."},
		}})
	reg.Register(connectors.Info{ID: "other", Title: "Other", New: func() connectors.Connector { return demo{} },
		Fields: []connectors.Field{{Key: "url", Label: "URL", Kind: connectors.KindURL, Required: true, Help: "Where."}}})
	return reg
}

type fixture struct {
	t       *testing.T
	eng     *engine.Engine
	store   *vault.Vault
	secrets *vault.MemorySecrets
	shop    *shop
}

func newFixture(t *testing.T, parallel int) *fixture {
	t.Helper()
	secrets := vault.NewMemorySecrets()
	store, err := vault.Open(t.TempDir(), secrets)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: store, secrets: secrets, shop: newShop(t)}
	f.eng = engine.New(engine.Deps{Store: store, Registry: registry(), Parallel: parallel})
	return f
}

func (f *fixture) draft(name, key string) engine.Draft {
	return engine.Draft{App: "demo", Values: connectors.Values{"name": name, "url": f.shop.URL + "/", "api_key": key}}
}

// create saves name with goodKey, verified.
func (f *fixture) create(name string) vault.Connection {
	f.t.Helper()
	out, err := f.eng.Create(context.Background(), f.draft(name, goodKey), engine.SaveOptions{})
	if err != nil || !out.Saved {
		f.t.Fatalf("create %s: %v %+v", name, err, out.Result)
	}
	return out.Connection
}

func (f *fixture) names() []string {
	f.t.Helper()
	cs, err := f.eng.List()
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestCreateTestsThenSavesSecretsApart(t *testing.T) {
	f := newFixture(t, 0)
	var steps []string
	out, err := f.eng.Create(context.Background(), f.draft("Shop", goodKey),
		engine.SaveOptions{Test: engine.TestOptions{Progress: func(s string) { steps = append(steps, s) }}})
	if err != nil || !out.Saved || out.Result == nil || !out.Result.OK {
		t.Fatalf("create: %v %+v", err, out)
	}
	if !slices.Contains(steps, "Asking the shop...") || steps[len(steps)-1] != "Saving (secrets go to the OS keychain)..." {
		t.Errorf("progress %q", steps)
	}
	c, err := f.store.Get("Shop")
	if err != nil {
		t.Fatal(err)
	}
	if c.Values["api_key"] != "" || !slices.Equal(c.SecretKeys, []string{"api_key"}) {
		t.Errorf("the key belongs in the keychain only: %+v", c)
	}
	if c.Values["url"] != f.shop.URL || len(out.Checked.Notes) != 1 {
		t.Errorf("the URL is tidied up with a note: %q %q", c.Values["url"], out.Checked.Notes)
	}
	if c.Last == nil || !c.Last.OK || c.Last.Code != connectors.CodeOK || c.Last.Unverified {
		t.Errorf("the passing test is recorded: %+v", c.Last)
	}
	if s, _ := f.store.Secrets(c); s["api_key"] != goodKey {
		t.Error("the key is in the keychain")
	}
}

func TestCreateWithAFailedTestSavesNothingAndMasksTheEcho(t *testing.T) {
	f := newFixture(t, 0)
	out, err := f.eng.Create(context.Background(), f.draft("Shop", otherKey), engine.SaveOptions{})
	if err != nil || out.Saved || out.Result == nil || out.Result.Code != connectors.CodeAuthInvalid {
		t.Fatalf("create: %v %+v", err, out)
	}
	if strings.Contains(out.Result.Message, otherKey) || !strings.Contains(out.Result.Message, "****") {
		t.Errorf("the key the server echoed is masked: %q", out.Result.Message)
	}
	for _, x := range out.Result.Exchanges {
		if strings.Contains(x.Request+x.Excerpt+x.Error, otherKey) {
			t.Errorf("exchange shows the key: %+v", x)
		}
	}
	if len(f.names()) != 0 || len(f.secrets.Keys()) != 0 {
		t.Errorf("nothing is saved: %v %v", f.names(), f.secrets.Keys())
	}
}

func TestCreateWithoutVerifyingSendsNothing(t *testing.T) {
	f := newFixture(t, 0)
	out, err := f.eng.Create(context.Background(), f.draft("Shop", otherKey), engine.SaveOptions{NoVerify: true, Reason: "saved by a test"})
	if err != nil || !out.Saved || out.Result != nil {
		t.Fatalf("create: %v %+v", err, out)
	}
	if f.shop.requests.Load() != 0 {
		t.Error("no request without verifying")
	}
	if l := out.Connection.Last; l == nil || !l.Unverified || l.Message != "saved by a test" {
		t.Errorf("marked unverified: %+v", l)
	}
}

func TestCheckNamesTheField(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	cases := []struct {
		d    engine.Draft
		key  string
		want string
	}{
		{engine.Draft{App: "demo", Values: connectors.Values{"name": "X", "api_key": goodKey}}, "url", "required"},
		{engine.Draft{App: "demo", Values: connectors.Values{"name": "X", "url": f.shop.URL}}, "api_key", "required"},
		{f.draft("shop", goodKey), "name", "already exists"},
		{engine.Draft{App: "nope", Values: connectors.Values{"name": "X"}}, "app", "unknown application"},
	}
	for _, c := range cases {
		_, err := f.eng.Check(c.d, "")
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Fields[0].Key != c.key || !strings.Contains(ie.Error(), c.want) {
			t.Errorf("%v: got %v", c.d.Values, err)
		}
	}
	if _, err := f.eng.Check(f.draft("shop", goodKey), "Shop"); err != nil {
		t.Errorf("its own name is free when editing: %v", err)
	}
}

func TestEditKeepsWhatTheScriptDidNotGive(t *testing.T) {
	f := newFixture(t, 0)
	old := f.create("Shop")
	out, err := f.eng.Edit(context.Background(), "Shop", engine.Draft{Values: connectors.Values{"note": "changed"}},
		engine.SaveOptions{KeepSaved: true})
	if err != nil || !out.Saved {
		t.Fatalf("edit: %v %+v", err, out.Result)
	}
	c := out.Connection
	if c.Values["note"] != "changed" || c.Values["url"] != f.shop.URL || c.ID != old.ID || c.Generation != old.Generation+1 {
		t.Errorf("edited: %+v", c)
	}
	if s, _ := f.store.Secrets(c); s["api_key"] != goodKey {
		t.Error("the saved key is kept and was tested")
	}
	if len(f.secrets.Keys()) != 1 {
		t.Errorf("the superseded item is gone: %v", f.secrets.Keys())
	}
	// A new key that fails its test changes nothing.
	out, err = f.eng.Edit(context.Background(), "Shop", engine.Draft{Values: connectors.Values{"api_key": otherKey, "note": "lost"}},
		engine.SaveOptions{KeepSaved: true})
	if err != nil || out.Saved {
		t.Fatalf("a failing edit is not saved: %v %+v", err, out)
	}
	if now, _ := f.store.Get("Shop"); now.Values["note"] != "changed" || now.Generation != c.Generation {
		t.Errorf("unchanged after a failed test: %+v", now)
	}
	// The window's edit asks for the secrets again.
	_, err = f.eng.Edit(context.Background(), "Shop", engine.Draft{App: "demo", Values: connectors.Values{"name": "Shop", "url": f.shop.URL}}, engine.SaveOptions{})
	var ie *engine.InputError
	if !errors.As(err, &ie) || ie.Fields[0].Key != "api_key" {
		t.Errorf("without KeepSaved the key is required: %v", err)
	}
	// The application stays.
	_, err = f.eng.Edit(context.Background(), "Shop", engine.Draft{App: "other", Values: connectors.Values{"url": f.shop.URL}}, engine.SaveOptions{KeepSaved: true})
	if !errors.As(err, &ie) || ie.Fields[0].Key != "app" {
		t.Errorf("the application cannot change: %v", err)
	}
	if _, err := f.eng.Edit(context.Background(), "Nope", engine.Draft{}, engine.SaveOptions{KeepSaved: true}); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("editing what is not saved: %v", err)
	}
}

func TestRenameKeepsSecretsAndTheLastTest(t *testing.T) {
	f := newFixture(t, 0)
	old := f.create("Shop")
	f.create("Taken")
	c, err := f.eng.Rename("shop", "Renamed")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Renamed" || c.Values["name"] != "Renamed" || c.ID != old.ID || c.Last == nil || !c.Last.OK {
		t.Errorf("renamed: %+v", c)
	}
	if s, _ := f.store.Secrets(c); s["api_key"] != goodKey {
		t.Error("secrets follow the rename")
	}
	if f.shop.requests.Load() != 2 {
		t.Errorf("a rename sends nothing: %d requests", f.shop.requests.Load())
	}
	var ie *engine.InputError
	if _, err := f.eng.Rename("Renamed", "taken"); !errors.As(err, &ie) || ie.Fields[0].Key != "name" {
		t.Errorf("a taken name: %v", err)
	}
	if _, err := f.eng.Rename("Renamed", "  "); !errors.As(err, &ie) {
		t.Errorf("an empty name: %v", err)
	}
	if !slices.Equal(f.names(), []string{"Renamed", "Taken"}) {
		t.Errorf("names %v", f.names())
	}
}

func TestCloneCopiesSettingsNotSecrets(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	d, err := f.eng.Clone("Shop")
	if err != nil || d.App != "demo" || d.Values["name"] != "Shop (copy)" || d.Values["api_key"] != "" || d.Values["url"] != f.shop.URL {
		t.Fatalf("clone: %v %+v", err, d)
	}
	f.create("Shop (copy)")
	if d, _ := f.eng.Clone("Shop"); d.Values["name"] != "Shop (copy) 2" {
		t.Errorf("a free name: %q", d.Values["name"])
	}
}

func TestDeleteRemovesTheSecrets(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	if err := f.eng.Delete("SHOP"); err != nil {
		t.Fatal(err)
	}
	if len(f.names()) != 0 || len(f.secrets.Keys()) != 0 {
		t.Errorf("left: %v %v", f.names(), f.secrets.Keys())
	}
	if err := f.eng.Delete("Shop"); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("twice: %v", err)
	}
}

func TestTestSavedRecordsEveryOutcomeButACancel(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	f.shop.accept.Store(otherKey) // the key was revoked in the back office
	got := f.eng.TestSaved(context.Background(), "shop", engine.TestOptions{})
	if got.Name != "Shop" || got.App != "demo" || got.Result.Code != connectors.CodeAuthInvalid {
		t.Fatalf("tested: %+v", got)
	}
	c, _ := f.store.Get("Shop")
	if c.Last == nil || c.Last.Code != connectors.CodeAuthInvalid || strings.Contains(c.Last.Message, goodKey) || c.Last.Hint != "Paste the right key." {
		t.Errorf("recorded, masked: %+v", c.Last)
	}
	if r, ok := f.eng.LastResult(c); !ok || r.Code != connectors.CodeAuthInvalid || r.Requests != 1 {
		t.Errorf("the whole result is kept for this session: %v %+v", ok, r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := f.eng.TestSaved(ctx, "Shop", engine.TestOptions{}).Result; r.Code != connectors.CodeCanceled {
		t.Errorf("cancelled: %s", r.Code)
	}
	if c, _ := f.store.Get("Shop"); c.Last.Code != connectors.CodeAuthInvalid {
		t.Errorf("a cancel is not recorded: %+v", c.Last)
	}
	for _, k := range f.secrets.Keys() {
		_ = f.secrets.Delete(k)
	}
	if r := f.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{}).Result; r.Code != connectors.CodeKeychain || r.Hint == "" {
		t.Errorf("a secret gone from the keychain: %+v", r)
	}
	if c, _ := f.store.Get("Shop"); c.Last.Code != connectors.CodeKeychain {
		t.Errorf("the keychain failure is recorded: %+v", c.Last)
	}
	if r := f.eng.TestSaved(context.Background(), "Nope", engine.TestOptions{}).Result; r.Code != connectors.CodeInvalidInput {
		t.Errorf("an unknown name: %+v", r)
	}
}

func TestTestManyRunsSideBySideWithinTheLimit(t *testing.T) {
	f := newFixture(t, 2)
	names := []string{"A", "B", "C", "D", "E"}
	for _, n := range names {
		f.create(n)
	}
	f.shop.maxInFlight.Store(0)
	f.shop.delay = 50 * time.Millisecond
	var mu sync.Mutex
	started := map[string]bool{}
	var order []string
	out := f.eng.TestMany(context.Background(), append(names, "Missing"), engine.TestOptions{}, func(ev engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Started {
			started[ev.Name] = true
			return
		}
		if ev.Name != "Missing" && !started[ev.Name] {
			t.Errorf("%s ended before it started", ev.Name)
		}
		order = append(order, ev.Name)
	})
	if len(out) != 6 || out[0].Name != "A" || out[5].Result.Code != connectors.CodeInvalidInput {
		t.Fatalf("outcomes in the order given: %+v", out)
	}
	for _, o := range out[:5] {
		if !o.Result.OK {
			t.Errorf("%s: %s", o.Name, o.Result.Code)
		}
	}
	if len(order) != 6 {
		t.Errorf("every end is reported: %v", order)
	}
	if m := f.shop.maxInFlight.Load(); m != 2 {
		t.Errorf("at most and at least 2 tests at once: %d", m)
	}
}

func TestSaveReplacesOnlyWhatItAccepts(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	d := f.draft("Shop", goodKey)
	d.Values["note"] = "resent"
	o := engine.SaveOptions{NoVerify: true, Replaces: func(saved connectors.Values) bool { return saved["url"] == f.shop.URL }}
	if out, err := f.eng.Create(context.Background(), d, o); err != nil || !out.Saved || out.Connection.Values["note"] != "resent" {
		t.Fatalf("replace: %v %+v", err, out)
	}
	o.Replaces = func(connectors.Values) bool { return false }
	var ie *engine.InputError
	if _, err := f.eng.Create(context.Background(), d, o); !errors.As(err, &ie) || ie.Fields[0].Key != "name" {
		t.Errorf("a different connection of that name stays: %v", err)
	}
}

// A name given twice is tested twice; the secrets read ahead serve both
// (the second test used to wait for ever for a value the first had taken).
func TestTestManyWithANameTwice(t *testing.T) {
	f := newFixture(t, 0)
	f.create("Shop")
	f.create("Other")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := f.eng.TestMany(ctx, []string{"Shop", "Shop", "Other"}, engine.TestOptions{}, nil)
	if ctx.Err() != nil {
		t.Fatal("TestMany did not end with a name given twice")
	}
	for _, o := range out {
		if !o.Result.OK {
			t.Errorf("%s: %s %s", o.Name, o.Result.Code, o.Result.Message)
		}
	}
}
