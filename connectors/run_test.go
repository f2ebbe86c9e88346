// Tests of Run, the wrapper every test of a connection goes through.
package connectors_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
)

func infoWith(fn func(ctx context.Context, cfg connectors.Config) connectors.Result) (connectors.Info, *atomic.Int32) {
	calls := new(atomic.Int32)
	info := connectors.Info{ID: "stub", Title: "Stub", New: func() connectors.Connector {
		return stubConnector{fn: func(ctx context.Context, cfg connectors.Config) connectors.Result {
			calls.Add(1)
			return fn(ctx, cfg)
		}}
	}}
	return info, calls
}

func cloudConfig() connectors.Config {
	return connectors.Config{Name: "My shop", Values: connectors.Values{"name": "My shop", "mode": "cloud", "store_url": "https://shop.example"}}
}

func TestRunPassesConfigAndTimes(t *testing.T) {
	info, calls := infoWith(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		if cfg.Values.String("store_url") != "https://shop.example" || cfg.Name != "My shop" {
			return connectors.Fail(connectors.CodeInvalidInput, "config not passed", "")
		}
		time.Sleep(2 * time.Millisecond)
		r := connectors.Success("Connected.")
		r.Requests = 3
		return r
	})
	r := connectors.Run(t.Context(), info, cloudConfig())
	if !r.OK || r.Code != connectors.CodeOK || r.Message != "Connected." || r.Requests != 3 || calls.Load() != 1 {
		t.Fatalf("Run = %+v after %d calls", r, calls.Load())
	}
	if r.Duration < 2*time.Millisecond || r.Duration > 5*time.Second {
		t.Errorf("Duration = %v, want the time the test took", r.Duration)
	}
}

func TestRunTurnsPanicIntoFailure(t *testing.T) {
	info, _ := infoWith(func(context.Context, connectors.Config) connectors.Result {
		var m map[string]int
		m["boom"]++ // a nil-map panic, as a real bug would
		return connectors.Success("unreachable")
	})
	r := connectors.Run(t.Context(), info, cloudConfig())
	if r.OK || r.Code != connectors.CodeInternalError {
		t.Fatalf("Run after a panic = %+v, want internal_error: the store is not to blame", r)
	}
	if !strings.Contains(r.Message, "nil map") || r.Hint == "" || r.Duration <= 0 {
		t.Errorf("message %q, hint %q, duration %v: want the panic named, a hint and a duration", r.Message, r.Hint, r.Duration)
	}
	if len(r.Checks) != 1 || !strings.Contains(r.Checks[0].Detail, "run_test.go") {
		t.Errorf("checks %+v: want the stack in the technical details", r.Checks)
	}
	if f := r.LogFields(); f["code"] != "internal_error" || f["message"] != r.Message || f["stack"] != r.Checks[0].Detail {
		t.Errorf("log fields %v: want the code, the message and the stack", f)
	}
	if f := connectors.Success("fine").LogFields(); f["code"] != "ok" || f["message"] != nil {
		t.Errorf("a success logs %v: want its code and no message", f)
	}
	if r.Warnings == nil || r.Checks == nil || r.Permissions == nil {
		t.Error("a failed result after a panic must still have empty lists, not nil")
	}
}

func TestRunCanceledBeforeStart(t *testing.T) {
	info, calls := infoWith(func(context.Context, connectors.Config) connectors.Result { return connectors.Success("") })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := connectors.Run(ctx, info, cloudConfig())
	if r.OK || r.Code != connectors.CodeCanceled || calls.Load() != 0 {
		t.Errorf("Run with a cancelled context = %+v after %d calls, want canceled without calling Test", r, calls.Load())
	}
}

func TestRunCanceledDuringTest(t *testing.T) {
	started := make(chan struct{})
	info, _ := infoWith(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		close(started)
		<-ctx.Done()
		// A connector sees its request fail; Run says why.
		r := connectors.Fail(connectors.CodeUnreachable, "The connection failed.", "")
		r.Requests = 2
		r.AddCheck("Root listing", false, "no answer")
		return r
	})
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-started; cancel() }()
	r := connectors.Run(ctx, info, cloudConfig())
	if r.OK || r.Code != connectors.CodeCanceled || r.Message != "The test was cancelled." {
		t.Fatalf("Run = %+v, want canceled", r)
	}
	if r.Requests != 2 || len(r.Checks) != 1 || r.Checks[0].Name != "Root listing" {
		t.Errorf("requests %d, checks %+v: want the work done before the cancel kept", r.Requests, r.Checks)
	}
}

func TestRunDeadlineIsTimeout(t *testing.T) {
	info, _ := infoWith(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		<-ctx.Done()
		return connectors.Fail(connectors.CodeUnreachable, "The connection failed.", "")
	})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	r := connectors.Run(ctx, info, cloudConfig())
	if r.OK || r.Code != connectors.CodeTimeout || r.Hint == "" {
		t.Errorf("Run past its deadline = %+v, want timeout with a hint", r)
	}

	// A deadline already past when Run starts.
	ctx2, cancel2 := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel2()
	if r := connectors.Run(ctx2, info, cloudConfig()); r.Code != connectors.CodeTimeout {
		t.Errorf("Run with an expired deadline = %s, want timeout", r.Code)
	}
}

// A result that passed stays passed even if the context ends just after.
func TestRunKeepsSuccessWhenContextEndsAfter(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	info, _ := infoWith(func(context.Context, connectors.Config) connectors.Result {
		cancel()
		return connectors.Success("Connected.")
	})
	if r := connectors.Run(ctx, info, cloudConfig()); !r.OK || r.Code != connectors.CodeOK {
		t.Errorf("Run = %+v, want the success kept", r)
	}
}

func TestRunOnPremiseNeedsAnAgent(t *testing.T) {
	info, calls := infoWith(func(context.Context, connectors.Config) connectors.Result { return connectors.Success("") })
	cfg := cloudConfig()
	cfg.Values["mode"], cfg.Values["agent"] = "on-premise", "warehouse-agent"
	r := connectors.Run(t.Context(), info, cfg)
	if r.OK || r.Code != connectors.CodeAgentUnavailable || calls.Load() != 0 {
		t.Fatalf("Run on-premise = %+v after %d calls, want agent_unavailable without a direct connection", r, calls.Load())
	}
	if !strings.Contains(r.Message, "warehouse-agent") || !strings.Contains(r.Hint, "Cloud") {
		t.Errorf("message %q / hint %q: want the agent named and Mode: Cloud suggested", r.Message, r.Hint)
	}
}

func TestRunGivesJSONArraysNotNull(t *testing.T) {
	for _, res := range []connectors.Result{
		connectors.Success("Connected."),
		connectors.Fail(connectors.CodeAuthInvalid, "The key is wrong.", "Check it."),
	} {
		info, _ := infoWith(func(context.Context, connectors.Config) connectors.Result { return res })
		r := connectors.Run(t.Context(), info, cloudConfig())
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"warnings":[]`, `"checks":[]`, `"permissions":[]`} {
			if !strings.Contains(string(data), key) {
				t.Errorf("JSON %s: want %s", data, key)
			}
		}
		if strings.Contains(string(data), "null") {
			t.Errorf("JSON %s has a null", data)
		}
	}

	// Lists the connector filled are kept as they are.
	info, _ := infoWith(func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Success("Connected.")
		r.Warn(connectors.CodeInsecureHTTP, "Plain HTTP.")
		r.Permissions = []connectors.Permission{{Resource: "products", Methods: []string{"GET"}}}
		return r
	})
	r := connectors.Run(t.Context(), info, cloudConfig())
	if len(r.Warnings) != 1 || len(r.Permissions) != 1 || r.Checks == nil {
		t.Errorf("Run = %+v, want the connector's warning and permission kept", r)
	}
}

func TestConfigStepAndClock(t *testing.T) {
	var steps []string
	cfg := connectors.Config{Progress: func(s string) { steps = append(steps, s) }}
	cfg.Step("Connecting to shop.example...")
	connectors.Config{}.Step("nobody listens") // must not panic
	if len(steps) != 1 || steps[0] != "Connecting to shop.example..." {
		t.Errorf("steps = %q", steps)
	}
	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cfg.Now = func() time.Time { return fixed }
	if !cfg.Clock().Equal(fixed) {
		t.Errorf("Clock() = %v, want Now's %v", cfg.Clock(), fixed)
	}
	if d := time.Since(connectors.Config{}.Clock()); d < 0 || d > time.Minute {
		t.Errorf("Clock() without Now is %v away from the wall clock", d)
	}
}

// webInfo is a throw-away platform with a secret field that sends one GET
// through cfg.HTTP, the key in the query as some stores want it.
func webInfo(plain func(connectors.Values) (host, secret string)) connectors.Info {
	return connectors.Info{ID: "web", Title: "Web", PlainHTTP: plain,
		Fields: []connectors.Field{
			{Key: "url", Label: "URL", Kind: connectors.KindURL},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret},
		},
		New: func() connectors.Connector {
			return stubConnector{fn: func(ctx context.Context, cfg connectors.Config) connectors.Result {
				resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: cfg.Values.String("url") + "/api?key=" + cfg.Values.String("api_key")})
				if err != nil {
					return connectors.FailFromError(err)
				}
				return connectors.Success("Answered " + resp.StatusText + ".")
			}}
		}}
}

func webValues(url string) connectors.Values {
	return connectors.Values{"url": url, "api_key": " sekret-0123456789 "}
}

// A store that takes longer than the header timeout to answer, but less
// than the request timeout the user set, passes: the header timeout never
// cuts a test shorter. (Seconds stand in for the 22 s a real store took.)
func TestRunHeaderTimeoutNeverCutsTheRequestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(400 * time.Millisecond)
	}))
	defer srv.Close()
	v := webValues(srv.URL)
	v[connectors.FieldRequestTimeout] = "2"
	cfg := connectors.Config{Values: v, Client: connectors.ClientOptions{HeaderTimeout: 100 * time.Millisecond}}
	if r := connectors.Run(t.Context(), webInfo(nil), cfg); !r.OK {
		t.Fatalf("Run = %s: %s; want the slow answer within the request timeout accepted", r.Code, r.Message)
	}
}

func TestRunFinishesTheSharedClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	}))
	defer srv.Close()
	r := connectors.Run(t.Context(), webInfo(nil), connectors.Config{Values: webValues(srv.URL)})
	if !r.OK || r.Requests != 1 || len(r.Exchanges) != 1 {
		t.Fatalf("Run = %+v; want one request and its exchange recorded", r)
	}
	if ex := r.Exchanges[0]; !strings.HasPrefix(ex.Request, "GET "+srv.URL+"/api") || !strings.Contains(ex.Status, "200") || ex.Excerpt != "hello" {
		t.Errorf("exchange = %+v", ex)
	}

	// Counts the connector made itself are added to, not replaced.
	info, _ := infoWith(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		if _, err := cfg.HTTP.Do(ctx, connectors.Request{URL: srv.URL}); err != nil {
			return connectors.FailFromError(err)
		}
		r := connectors.Success("")
		r.Requests, r.Exchanges = 1, []connectors.Exchange{{Request: "GET elsewhere"}}
		return r
	})
	if r := connectors.Run(t.Context(), info, cloudConfig()); r.Requests != 2 || len(r.Exchanges) != 2 || r.Exchanges[0].Request != "GET elsewhere" {
		t.Errorf("requests %d, exchanges %+v; want the connector's and the shared client's", r.Requests, r.Exchanges)
	}
}

func TestRunMasksSecretsInExchanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("your key is " + r.URL.Query().Get("key")))
	}))
	defer srv.Close()
	r := connectors.Run(t.Context(), webInfo(nil), connectors.Config{Values: webValues(srv.URL)})
	if !r.OK || len(r.Exchanges) != 1 {
		t.Fatalf("Run = %+v", r)
	}
	dump, _ := json.Marshal(r.Exchanges)
	if strings.Contains(string(dump), "sekret") || !strings.Contains(string(dump), "****") {
		t.Errorf("exchanges %s: want the key masked in the address and the excerpt", dump)
	}
}

func TestRunWarnsOnceAboutPlainHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	plainTo := func(host string) func(connectors.Values) (string, string) {
		return func(connectors.Values) (string, string) { return host, "API key" }
	}
	count := func(r connectors.Result) int {
		n := 0
		for _, w := range r.Warnings {
			if w.Code == connectors.CodeInsecureHTTP {
				n++
			}
		}
		return n
	}

	r := connectors.Run(t.Context(), webInfo(plainTo("shop.example")), connectors.Config{Values: webValues(srv.URL)})
	want := "The API key travels unencrypted over plain HTTP to shop.example; anyone on the way can read it. Use HTTPS."
	if count(r) != 1 || r.Warnings[0].Message != want {
		t.Errorf("warnings %+v; want one: %s", r.Warnings, want)
	}
	for _, host := range []string{"127.0.0.1:8080", "localhost", "192.168.1.20"} {
		if r := connectors.Run(t.Context(), webInfo(plainTo(host)), connectors.Config{Values: webValues(srv.URL)}); count(r) != 0 {
			t.Errorf("plain HTTP to %s warned: %+v", host, r.Warnings)
		}
	}
	noSecret := func(connectors.Values) (string, string) { return "shop.example", "" }
	if r := connectors.Run(t.Context(), webInfo(noSecret), connectors.Config{Values: webValues(srv.URL)}); count(r) != 0 {
		t.Errorf("nothing secret over plain HTTP warned: %+v", r.Warnings)
	}

	// A connector that warned already is not repeated; values that could
	// not be tested earn no warning.
	for _, tc := range []struct {
		name string
		res  connectors.Result
		want int
	}{
		{"already warned", func() connectors.Result {
			r := connectors.Success("")
			r.Warn(connectors.CodeInsecureHTTP, "Its own words.")
			return r
		}(), 1},
		{"invalid input", connectors.Fail(connectors.CodeInvalidInput, "API key is empty.", "Paste it."), 0},
		{"failed", connectors.Fail(connectors.CodeAuthInvalid, "The key is wrong.", "Paste it again."), 1},
	} {
		info, _ := infoWith(func(context.Context, connectors.Config) connectors.Result { return tc.res })
		info.PlainHTTP = plainTo("shop.example")
		if r := connectors.Run(t.Context(), info, cloudConfig()); count(r) != tc.want {
			t.Errorf("%s: warnings %+v, want %d insecure_http", tc.name, r.Warnings, tc.want)
		}
	}

	if got := connectors.PlainHTTPWarning("consumer secret and token secret", "shop.example"); !strings.Contains(got, "secret travel unencrypted") || !strings.Contains(got, "read them") {
		t.Errorf("two secrets read %q", got)
	}
}
