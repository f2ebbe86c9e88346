// Tests of Run, the wrapper every test of a connection goes through.
package connectors_test

import (
	"context"
	"encoding/json"
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
