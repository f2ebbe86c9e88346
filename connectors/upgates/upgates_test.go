package upgates_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

// info is a fresh Upgates application with the common fields added, as
// Register adds them: its turns per host and its key cache are its own, so
// tests share nothing through them.
func info(t *testing.T) connectors.Info {
	t.Helper()
	reg := connectors.NewRegistry()
	reg.Register(upgates.Info())
	i, ok := reg.Lookup(upgates.ID)
	if !ok {
		t.Fatal("upgates is not registered")
	}
	return i
}

// fixedClock is 13:20 UTC on a Monday.
func fixedClock() time.Time { return time.Date(2025, 3, 10, 13, 20, 0, 0, time.UTC) }

func local127(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func TestConformance(t *testing.T) {
	ok := upgatestest.New(t, upgatestest.Options{})
	inactive := upgatestest.New(t, upgatestest.Options{Inactive: true})
	limited := upgatestest.New(t, upgatestest.Options{Now: fixedClock, RateLimitedUntil: time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC)})
	movedTo := "https://myshop.admin.s21.upgates.com/api/v2"
	moved := upgatestest.New(t, upgatestest.Options{MovedTo: movedTo})
	movedBody := upgatestest.New(t, upgatestest.Options{MovedTo: movedTo, MovedInBody: true})
	blocked := upgatestest.New(t, upgatestest.Options{})
	for range upgates.LockoutAttempts { // another program on this address used up the logins
		req, _ := http.NewRequest(http.MethodGet, blocked.APIURL+"/status", nil)
		req.Header.Set("Authorization", upgatestest.BasicAuth("someone", "wrong"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	broken := local127(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"messages":[{"object":null,"property":null,"message":"Interní chyba","level":"fatal_error"}]}`))
	})
	webPage := local127(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Shop</body></html>"))
	})
	closed := local127(t, func(http.ResponseWriter, *http.Request) {})
	closedURL := closed.URL
	closed.Close()

	on := func(s *upgatestest.Server) connectors.Values { return s.Values() }
	with := func(v connectors.Values, kv ...string) connectors.Values {
		v = v.Clone()
		for i := 0; i < len(kv); i += 2 {
			v[kv[i]] = kv[i+1]
		}
		return v
	}

	connectortest.Run(t, connectortest.Suite{
		Info:   info(t),
		Decode: upgates.Decode,
		Sample: func(key string) string {
			if key == upgates.FieldAPIURL {
				return "https://other.admin.s2.upgates.com/api/v2"
			}
			return ""
		},
		Base: ok.Values(),
		Cases: connectortest.Presented(info(t), []connectortest.Case{
			{Name: "happy path", Want: connectors.CodeOK, Requests: 1, State: upgatestest.NewState(),
				Check: func(t *testing.T, r connectors.Result) {
					if len(r.Permissions) != 6 {
						t.Fatalf("permissions = %v, want the 6 services of the status list", r.Permissions)
					}
					got := map[string]string{}
					for _, p := range r.Permissions {
						got[p.Resource] = p.Privilege
					}
					if got["Objednávky"] != "all" || got["Produkty"] != "readonly" || got["Zákazníci"] != "deny" {
						t.Errorf("privileges = %v", got)
					}
					want := map[string]string{"rate_limit_hour": "50", "rate_limit_day": "600", "rate_limit_hour_remaining": "49",
						"rate_limit_day_remaining": "600", "rate_limit_total_remaining": "1799", "language": "cs"}
					for k, v := range want {
						if r.Server.Extra[k] != v {
							t.Errorf("Server.Extra[%q] = %q, want %q", k, r.Server.Extra[k], v)
						}
					}
					if !hasCheck(r, "Rate limit", "50 per hour") || !hasCheck(r, "Permissions", "2 full access, 2 read only, 2 denied") {
						t.Errorf("checks = %+v", r.Checks)
					}
					if r.Server.Platform != "Upgates" || r.Server.URL != ok.APIURL {
						t.Errorf("server = %+v", r.Server)
					}
				}},
			{Name: "API URL without /api/v2 is completed", Values: connectors.Values{upgates.FieldAPIURL: ok.URL + "/"},
				Want: connectors.CodeOK, Requests: 1, WantWarnings: []connectors.Code{connectors.CodeNormalized}},
			{Name: "wrong key", Values: connectors.Values{upgates.FieldAPIKey: "wrong-key-123456"}, State: upgatestest.NewState(),
				Want: connectors.CodeAuthInvalid, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, "1 failed login") {
						t.Errorf("message does not count the failed login: %s", r.Message)
					}
				}},
			{Name: "inactive API user", Values: on(inactive), Want: connectors.CodeForbidden, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, upgatestest.MessageInactive) {
						t.Errorf("message does not quote Upgates: %s", r.Message)
					}
				}},
			{Name: "address blocked by Upgates", Values: on(blocked), State: upgatestest.NewState(), Want: connectors.CodeLockedOut, Requests: 1},
			{Name: "rate limited", Values: on(limited), Now: fixedClock, Want: connectors.CodeRateLimited, Requests: 1,
				Check: func(t *testing.T, r connectors.Result) {
					if !strings.Contains(r.Message, "Try again after 14:00.") {
						t.Errorf("message = %s", r.Message)
					}
					if r.Server.Extra["rate_limit_hour"] != "50" {
						t.Errorf("rate-limit headers not reported on 429: %v", r.Server.Extra)
					}
				}},
			{Name: "moved, Location header", Values: on(moved), Want: connectors.CodeMoved, Requests: 1,
				Check: wantLocation(movedTo)},
			{Name: "moved, api_url in the body", Values: on(movedBody), Want: connectors.CodeMoved, Requests: 1,
				Check: wantLocation(movedTo)},
			{Name: "wrong path", Values: with(ok.Values(), upgates.FieldAPIURL, ok.URL+"/shop/api/v2"), Want: connectors.CodeNotAPI, Requests: 1},
			{Name: "a web page, not the API", Values: connectors.Values{upgates.FieldAPIURL: webPage.URL + "/api/v2"}, Want: connectors.CodeNotAPI, Requests: 1},
			{Name: "server error", Values: connectors.Values{upgates.FieldAPIURL: broken.URL + "/api/v2"}, Want: connectors.CodeServerError, Requests: 1},
			{Name: "nothing listening", Values: connectors.Values{upgates.FieldAPIURL: closedURL + "/api/v2"}, Want: connectors.CodeUnreachable},
			{Name: "missing key", Values: connectors.Values{upgates.FieldAPIKey: ""}, Want: connectors.CodeInvalidInput,
				Check: func(t *testing.T, r connectors.Result) {
					if r.Requests != 0 {
						t.Errorf("sent %d requests without a key", r.Requests)
					}
				}},
		}),
	})
}

func hasCheck(r connectors.Result, name, detail string) bool {
	for _, c := range r.Checks {
		if c.Name == name && strings.Contains(c.Detail, detail) {
			return true
		}
	}
	return false
}

func wantLocation(want string) func(*testing.T, connectors.Result) {
	return func(t *testing.T, r connectors.Result) {
		if r.Location != want || r.LocationField != upgates.FieldAPIURL {
			t.Errorf("location = %q in %q, want %q in api_url", r.Location, r.LocationField, want)
		}
		// The same address as a one-click fix, for front ends that offer fixes.
		if len(r.Fixes) != 1 || r.Fixes[0] != (connectors.Fix{Label: "Use the new address", Field: upgates.FieldAPIURL, Value: want}) {
			t.Errorf("fixes = %+v, want api_url = %q", r.Fixes, want)
		}
	}
}

func TestInfo(t *testing.T) {
	i, ok := connectors.Lookup(upgates.ID)
	if !ok {
		t.Fatal("upgates is not registered")
	}
	if i.MaxConcurrency != 3 || !strings.Contains(i.MaxConcurrencyReason, "3 concurrent") {
		t.Errorf("concurrency cap = %d (%q)", i.MaxConcurrency, i.MaxConcurrencyReason)
	}
	f, ok := i.Field(connectors.FieldConcurrency)
	if !ok || f.Max != 3 || !strings.Contains(f.Help, "3 concurrent") {
		t.Errorf("concurrency_level field = %+v", f)
	}
	if i.Importer == nil || i.Importer.Label != "Import installation request..." {
		t.Fatalf("importer = %+v", i.Importer)
	}
	for key, kind := range map[string]connectors.Kind{
		upgates.FieldAPIURL: connectors.KindURL, upgates.FieldAPIUser: connectors.KindText, upgates.FieldAPIKey: connectors.KindSecret,
		upgates.FieldLanguage: connectors.KindChoice, upgates.FieldRequestTimeout: connectors.KindNumber, upgates.FieldPublicKeyFile: connectors.KindFile,
	} {
		f, ok := i.Field(key)
		if !ok || f.Kind != kind {
			t.Errorf("field %q = %+v, want kind %s", key, f, kind)
		}
	}
	lang, _ := i.Field(upgates.FieldLanguage)
	if lang.Default != "cs" || strings.Join(lang.ChoiceValues(), ",") != "cs,sk,en" {
		t.Errorf("language field = %+v", lang)
	}
}

func TestNormalizeAPIURL(t *testing.T) {
	for _, c := range []struct {
		in, want string
		noted    bool
	}{
		{"https://shop.admin.s15.upgates.com/api/v2", "https://shop.admin.s15.upgates.com/api/v2", false},
		{"https://shop.admin.s15.upgates.com/api/v2/", "https://shop.admin.s15.upgates.com/api/v2", false},
		{"https://shop.admin.s15.upgates.com", "https://shop.admin.s15.upgates.com/api/v2", true},
		{"https://shop.admin.s15.upgates.com/", "https://shop.admin.s15.upgates.com/api/v2", true},
		{"shop.admin.s15.upgates.com/api/v2", "https://shop.admin.s15.upgates.com/api/v2", true},
		{"https://shop.admin.s15.upgates.com/api/v2/status", "https://shop.admin.s15.upgates.com/api/v2", true},
		{"  https://shop.admin.s15.upgates.com/api/v2?x=1  ", "https://shop.admin.s15.upgates.com/api/v2", false},
		{"https://login:p4ssw0rd@shop.admin.s15.upgates.com/api/v2", "https://shop.admin.s15.upgates.com/api/v2", true},
	} {
		got, note := upgates.NormalizeAPIURL(c.in)
		if got != c.want || (note != "") != c.noted {
			t.Errorf("NormalizeAPIURL(%q) = %q, note %q; want %q, noted %v", c.in, got, note, c.want, c.noted)
		}
	}
}

func TestForbiddenBodyForms(t *testing.T) {
	// The docs give 403 no body; the message decides, then remembered failures.
	for _, c := range []struct {
		name, body string
		failures   int
		want       connectors.Code
	}{
		{"message field speaks of attempts", `{"message":"Too many login attempts"}`, 0, connectors.CodeLockedOut},
		{"messages list, inactive user", `{"messages":[{"message":"API uživatel není aktivní.","level":"error"}]}`, 2, connectors.CodeForbidden},
		{"no body, failures remembered", ``, 1, connectors.CodeLockedOut},
		{"no body, no failures", ``, 0, connectors.CodeForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := local127(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(c.body))
			})
			state := upgatestest.NewState()
			now := fixedClock()
			seedFailures(t, state, strings.TrimPrefix(srv.URL, "http://"), c.failures, now)
			r := test(t, connectors.Values{upgates.FieldAPIURL: srv.URL, upgates.FieldAPIUser: "u", upgates.FieldAPIKey: "key-0123456789"}, state, now, false)
			if r.Code != c.want {
				t.Fatalf("code = %s, want %s: %s", r.Code, c.want, r.Message)
			}
		})
	}
}

func seedFailures(t *testing.T, state *upgatestest.State, host string, n int, now time.Time) {
	t.Helper()
	if n == 0 {
		return
	}
	times := make([]time.Time, n)
	for i := range times {
		times[i] = now.Add(-time.Duration(n-i) * time.Minute)
	}
	data, _ := json.Marshal(map[string]any{"hosts": map[string][]time.Time{host: times}})
	if err := state.Store(upgates.StateKey, data); err != nil {
		t.Fatal(err)
	}
}

func test(t *testing.T, v connectors.Values, state connectors.StateStore, now time.Time, force bool) connectors.Result {
	t.Helper()
	return connectors.Run(context.Background(), info(t), connectors.Config{
		Values: v, State: state, Force: force, Now: func() time.Time { return now },
	})
}

func TestRetryAfter(t *testing.T) {
	now := fixedClock()
	for _, c := range []struct{ in, want string }{
		{"Mon, 10 Mar 2025 14:00:00 GMT", "14:00"},
		{"120", "13:22"},
		{"Tue, 11 Mar 2025 01:00:00 GMT", "01:00 on Tue 11 Mar"},
	} {
		at, ok := upgates.ParseRetryAfter(c.in, now)
		if !ok || upgates.ClockTime(at, now) != c.want {
			t.Errorf("Retry-After %q -> %v %v, want %s", c.in, upgates.ClockTime(at, now), ok, c.want)
		}
	}
	if _, ok := upgates.ParseRetryAfter("soon", now); ok {
		t.Error("a malformed Retry-After was accepted")
	}
}
