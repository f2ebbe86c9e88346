package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/prestashop"
	"storelink/engine"
	"storelink/setup"
	"storelink/vault"
)

// demo is a small platform for testing the command line itself: it sends
// its key in a header to a test server, which says yes or no.
type demo struct{}

func (demo) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	cfg.Step("Connecting...")
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: cfg.Values.String("url") + "/check",
		Header: http.Header{"X-Key": {cfg.Values["api_key"]}}})
	var r connectors.Result
	switch {
	case err != nil:
		r = connectors.FailFromError(err)
	case resp.Status == http.StatusUnauthorized:
		r = connectors.Fail(connectors.CodeAuthInvalid, "The key is wrong.", "Paste the right key.")
	default:
		r = connectors.Success("Demo answered.")
		r.Server = connectors.Server{Platform: "Demo", Version: "1"}
	}
	return r
}

func demoRegistry() *connectors.Registry {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{ID: "demo", Title: "Demo", Description: "A test platform", New: func() connectors.Connector { return demo{} },
		Fields: []connectors.Field{
			{Key: "url", Label: "URL", Kind: connectors.KindURL, Required: true, Help: "Where."},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true, Help: "The key."},
			{Key: "private_key", Label: "Private key", Kind: connectors.KindMultilineSecret, Help: "A PEM key."},
		}})
	return reg
}

const goodKey = "GOODKEY-0123456789-abcdefghijkl"

func demoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Key") != goodKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type harness struct {
	t    *testing.T
	home string
	mem  *vault.MemorySecrets
	reg  *connectors.Registry
	warm func() // Env.WarmKeychain
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, home: t.TempDir(), mem: vault.NewMemorySecrets(), reg: demoRegistry()}
}

func (h *harness) run(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Registry: h.reg,
		Setup: func(level string) (*engine.Engine, error) {
			return setup.Open(setup.Options{Home: h.home, LogLevel: level, Secrets: h.mem, Registry: h.reg})
		},
		WarmKeychain: h.warm,
	})
	return code, out.String(), errb.String()
}

func (h *harness) logText() string {
	data, _ := os.ReadFile(filepath.Join(h.home, "logs", "storelink.log"))
	return string(data)
}

func TestVersionAppsCodesAndEmptyList(t *testing.T) {
	h := newHarness(t)
	if code, out, _ := h.run("", "version"); code != 0 || out != "storelink "+connectors.Version+"\n" {
		t.Fatalf("version: %d %q", code, out)
	}
	code, out, _ := h.run("", "apps", "--json")
	var apps []map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &apps) != nil || len(apps) != 1 || apps[0]["id"] != "demo" {
		t.Fatalf("apps --json: %d %q", code, out)
	}
	if code, out, _ := h.run("", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("list --json on an empty home: %d %q", code, out)
	}
	code, out, _ = h.run("", "codes", "--json")
	var codes []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &codes) != nil || len(codes) != len(connectors.AllCodes) {
		t.Fatalf("codes --json: %d %q", code, out)
	}
}

func TestUsageErrorsExitTwoAndNameTheProblem(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	cases := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"", []string{"create", "--name", "x"}, "--app is required"},
		{"", []string{"create", "--app", "nope", "--name", "x"}, `--app: unknown application "nope"`},
		{"", []string{"create", "--app", "demo", "--name", "x", "--set", "colour=red"}, `Demo has no field "colour"`},
		{"", []string{"create", "--app", "demo", "--name", "x", "--set", "api_key=" + goodKey}, "api_key: API key is a secret"},
		{"", []string{"create", "--app", "demo", "--name", "x", "--set", "url=" + srv.URL}, "API key: required"},
		{"", []string{"create", "--app", "demo", "--set", "url=" + srv.URL}, "Name: required"},
		{"{\"api_key\": \"" + goodKey + "\"", []string{"create", "--app", "demo", "--name", "x", "--set", "url=" + srv.URL, "--secrets-stdin"}, "syntax error"},
		{`{"url": "x"}`, []string{"create", "--app", "demo", "--name", "x", "--secrets-stdin"}, `"url" is not a secret field of Demo`},
		{"", []string{"create", "--app", "demo", "--name", "x", "--mode", "moon", "--set", "url=" + srv.URL}, "Mode: choose one of cloud, on-premise"},
		{"", []string{"create", "--app", "demo", "--name", "x", "--mode", "on-premise", "--set", "url=" + srv.URL}, "Agent: required"},
		{"", []string{"create", "--app", "demo", "--name", "x", "--set", "concurrency_level=30"}, "Concurrency level: enter a number from 1 to 25"},
		{"", []string{"test"}, "connection names or --all"},
		{"", []string{"test", "ghost"}, `no saved connection is called "ghost"`},
		{"", []string{"test", "--all", "--timeout", "-1s"}, "--timeout must be"},
		{"", []string{"delete", "ghost"}, `no saved connection is called "ghost"`},
		{"", []string{"--log-level", "loud", "list"}, "log level:"},
	}
	for _, c := range cases {
		code, _, stderr := h.run(c.stdin, c.args...)
		if code != ExitInvalid || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Contains(stderr, goodKey) {
			t.Errorf("%v: a secret was echoed: %q", c.args, stderr)
		}
	}
	if len(h.mem.Keys()) != 0 {
		t.Fatalf("invalid input stored secrets: %v", h.mem.Keys())
	}
}

func TestCreateVerifiesThenSaves(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	code, out, stderr := h.run(`{"api_key": "`+goodKey+`"}`, "--log-level", "debug", "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin", "--json")
	if code != 0 {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["ok"] != true || res["code"] != "ok" {
		t.Fatalf("create --json printed %q", out)
	}
	raw, _ := os.ReadFile(filepath.Join(h.home, vault.FileName))
	if !strings.Contains(string(raw), `"Shop"`) || strings.Contains(string(raw), goodKey) {
		t.Fatalf("connections.json = %s", raw)
	}
	if len(h.mem.Keys()) != 1 {
		t.Fatalf("keychain items = %v", h.mem.Keys())
	}
	code, out, _ = h.run("", "list", "--json")
	var list []listed
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 {
		t.Fatalf("list: %d %q", code, out)
	}
	if l := list[0]; l.App != "demo" || l.Mode != "cloud" || !slices.Equal(l.SecretFields, []string{"api_key"}) || l.Last == nil || !l.Last.OK {
		t.Fatalf("listed = %+v", l)
	}
	if strings.Contains(out, goodKey) {
		t.Fatal("list printed a secret")
	}
	// Same name again: refused before any test runs.
	code, _, stderr = h.run(`{"api_key": "`+goodKey+`"}`, "create", "--app", "demo", "--name", "shop", "--set", "url="+srv.URL, "--secrets-stdin")
	if code != ExitInvalid || !strings.Contains(stderr, "Name: a connection named") {
		t.Fatalf("duplicate: %d %q", code, stderr)
	}
	if log := h.logText(); strings.Contains(log, goodKey) || !strings.Contains(log, "level=debug") {
		t.Fatalf("debug log leaks the secret or has no debug lines:\n%s", log)
	}
}

func TestCreateSavesNothingWhenTheTestFails(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	code, out, stderr := h.run(`{"api_key": "WRONG-KEY-0123456789"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin")
	if code != ExitFailed || !strings.Contains(out, "auth_invalid") || !strings.Contains(stderr, "not saved") {
		t.Fatalf("create with a wrong key: %d %q %q", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(h.home, vault.FileName)); err == nil {
		raw, _ := os.ReadFile(filepath.Join(h.home, vault.FileName))
		if strings.Contains(string(raw), "Shop") {
			t.Fatal("a failing connection was saved")
		}
	}
	if len(h.mem.Keys()) != 0 {
		t.Fatalf("keychain items = %v", h.mem.Keys())
	}
	// --no-verify saves it, marked unverified, without sending anything.
	code, _, stderr = h.run(`{"api_key": "WRONG-KEY-0123456789"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin", "--no-verify")
	if code != 0 {
		t.Fatalf("--no-verify: %d %q", code, stderr)
	}
	_, out, _ = h.run("", "list", "--json")
	var list []listed
	_ = json.Unmarshal([]byte(out), &list)
	if len(list) != 1 || list[0].Last == nil || !list[0].Last.Unverified {
		t.Fatalf("list = %s", out)
	}
}

func TestTestJSONHasTheDocumentedKeys(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	for _, c := range []struct{ name, key string }{{"Good", goodKey}, {"Bad", "WRONG-KEY-0123456789"}} {
		if code, _, stderr := h.run(`{"api_key": "`+c.key+`"}`, "create", "--app", "demo", "--name", c.name, "--set", "url="+srv.URL, "--secrets-stdin", "--no-verify"); code != 0 {
			t.Fatal(stderr)
		}
	}
	code, out, _ := h.run("", "test", "--all", "--json")
	if code != ExitFailed {
		t.Fatalf("one failing test must exit 1, got %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON line per connection, got %q", out)
	}
	want := []string{"app", "checks", "code", "duration_ms", "hint", "message", "name", "ok", "permissions", "requests", "server", "warnings"}
	byName := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		for _, k := range want {
			if _, ok := m[k]; !ok {
				t.Errorf("key %q missing in %s", k, l)
			}
		}
		byName[m["name"].(string)] = m
	}
	if byName["Good"]["code"] != "ok" || byName["Bad"]["code"] != "auth_invalid" || byName["Good"]["requests"] != float64(1) {
		t.Fatalf("results = %v", byName)
	}
	// The result for people comes too: a headline, and for a failure the
	// steps to take and the technical details.
	for _, k := range []string{"headline", "steps", "technical"} {
		if _, ok := byName["Bad"][k]; !ok {
			t.Errorf("key %q missing in the failed result %v", k, byName["Bad"])
		}
	}
	if h, _ := byName["Good"]["headline"].(string); h == "" {
		t.Errorf("the passing result has no headline: %v", byName["Good"])
	}
	if code, out, _ := h.run("", "test", "Good", "--json"); code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("test Good: %d %q", code, out)
	}
	// The last verification is recorded for the list and the window.
	_, out, _ = h.run("", "list", "--json")
	var list []listed
	_ = json.Unmarshal([]byte(out), &list)
	sort.Slice(list, func(a, b int) bool { return list[a].Name < list[b].Name })
	if list[0].Last == nil || list[0].Last.Code != connectors.CodeAuthInvalid || list[1].Last.Code != connectors.CodeOK {
		t.Fatalf("recorded = %s", out)
	}
	// Human output says what to do.
	_, out, _ = h.run("", "test", "Bad")
	if !strings.Contains(out, "FAILED Bad") || !strings.Contains(out, "What to do: Paste the right key.") {
		t.Fatalf("human output = %q", out)
	}
}

func TestDeleteRemovesTheKeychainItems(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	h.run(`{"api_key": "`+goodKey+`"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin")
	if code, _, stderr := h.run("", "delete", "Shop"); code != 0 {
		t.Fatal(stderr)
	}
	if len(h.mem.Keys()) != 0 {
		t.Fatalf("keychain items left: %v", h.mem.Keys())
	}
}

func TestKeychainFailureIsReportedWithItsCode(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	h.run(`{"api_key": "`+goodKey+`"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin")
	h.mem.Fail = func(op, key string) error {
		return &vault.KeychainError{Op: "read", Why: "the keychain did not answer", Hint: "Unlock it"}
	}
	code, out, _ := h.run("", "test", "Shop", "--json")
	if code != ExitFailed || !strings.Contains(out, `"code":"keychain"`) {
		t.Fatalf("%d %s", code, out)
	}
}

func TestWindowArgs(t *testing.T) {
	for _, c := range []struct {
		args   []string
		level  string
		window bool
	}{
		{nil, "", true},
		{[]string{"--log-level", "debug"}, "debug", true},
		{[]string{"--log-level=warn"}, "warn", true},
		{[]string{"list"}, "", false},
		{[]string{"--log-level", "debug", "list"}, "", false},
	} {
		level, window := WindowArgs(c.args)
		if level != c.level || window != c.window {
			t.Errorf("WindowArgs(%v) = %q, %v", c.args, level, window)
		}
	}
}

func TestPrestaShopGenkey(t *testing.T) {
	h := newHarness(t)
	h.reg.Register(prestashop.Info()) // its command comes with its Info
	code, out, _ := h.run("", "prestashop", "genkey")
	key := strings.TrimSpace(out)
	if code != 0 || len(key) != 32 {
		t.Fatalf("genkey: %d %q", code, out)
	}
	if _, again, _ := h.run("", "prestashop", "genkey"); strings.TrimSpace(again) == key {
		t.Fatal("two keys in a row are equal")
	}
	if code, _, _ := h.run("", "prestashop", "nope"); code != ExitInvalid {
		t.Fatalf("unknown subcommand: exit %d", code)
	}
}

func TestProbe(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	if code, out, stderr := h.run(`{"api_key":"`+goodKey+`"}`, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--set", "concurrency_level=3", "--secrets-stdin"); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	code, out, _ := h.run("", "probe", "Shop", "--json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("probe: %d %s", code, out)
	}
	for _, k := range []string{"name", "level", "sent", "succeeded", "throttled", "p50_ms", "p95_ms", "ok", "code", "message"} {
		if _, ok := got[k]; !ok {
			t.Errorf("probe --json lacks %q: %s", k, out)
		}
	}
	if got["level"] != 3.0 || got["succeeded"] != 3.0 || got["ok"] != true {
		t.Errorf("probe: %s", out)
	}
	if code, _, stderr := h.run("", "probe", "Shop", "--level", "30"); code != ExitInvalid || !strings.Contains(stderr, "Level") {
		t.Errorf("level 30: %d %s", code, stderr)
	}
	if code, _, _ := h.run("", "probe", "Nope"); code != ExitInvalid {
		t.Errorf("unknown name: %d", code)
	}
}

func TestSecretsInputIsStrict(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	create := func(stdin string) (int, string) {
		code, _, stderr := h.run(stdin, "create", "--app", "demo", "--name", "Shop", "--set", "url="+srv.URL, "--secrets-stdin")
		return code, stderr
	}
	if code, stderr := create(`{"api_key":"` + goodKey + `","api_key":"other-key-value"}`); code != ExitInvalid || !strings.Contains(stderr, `"api_key" is given twice`) || strings.Contains(stderr, goodKey) {
		t.Errorf("a duplicate key: %d %s", code, stderr)
	}
	big := `{"api_key":"` + goodKey + `","private_key":"` + strings.Repeat("A", 2<<20) + `"}`
	if code, stderr := create(big); code != ExitInvalid || !strings.Contains(stderr, "1 MiB") {
		t.Errorf("2 MiB of valid JSON: %d %s", code, stderr)
	}
}

func TestNamesWithControlCharactersAreRefusedAndNeverPrintedRaw(t *testing.T) {
	h := newHarness(t)
	srv := demoServer(t)
	for _, name := range []string{"Shop\x1b[31mRED", "Shop\nfake row", "Shop\u202Egnp.exe", "Shop\xff"} {
		code, _, stderr := h.run(`{"api_key":"`+goodKey+`"}`, "create", "--app", "demo", "--name", name, "--set", "url="+srv.URL, "--secrets-stdin", "--no-verify")
		if code != ExitInvalid || !strings.Contains(stderr, "Name:") || strings.ContainsAny(stderr, "\x1b\u202e") {
			t.Errorf("name %q: %d %q", name, code, stderr)
		}
	}
	// A name saved by an older Storelink is escaped in list's words.
	v, err := vault.Open(h.home, h.mem)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Save(vault.Connection{Name: "Old\x1b[2Jname", App: "demo", Values: connectors.Values{"url": srv.URL}}, nil, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	_, out, _ := h.run("", "list")
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `Old\u001b[2Jname`) {
		t.Errorf("list printed a raw escape: %q", out)
	}
}

func TestDoctor(t *testing.T) {
	h := newHarness(t)
	code, out, stderr := h.run("", "doctor", "--json")
	if code != 0 {
		t.Fatalf("doctor: %d %s %s", code, out, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("six checks: %q", out)
	}
	for _, l := range lines {
		var d map[string]any
		if json.Unmarshal([]byte(l), &d) != nil || d["ok"] != true || d["check"] == "" || d["message"] == "" {
			t.Errorf("check: %s", l)
		}
	}
	h.mem.Fail = func(op, _ string) error {
		if op == "get" {
			return &vault.KeychainError{Op: "read", Why: "locked"}
		}
		return nil
	}
	if code, out, _ := h.run("", "doctor"); code != ExitFailed || !strings.Contains(out, "PROBLEM keychain") || !strings.Contains(out, "What to do:") {
		t.Errorf("a failing keychain: %d %s", code, out)
	}
}
