package upgates_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

// The acceptance test: 4 failed attempts, then the 5th is refused
// locally; the server sees only 4.
func TestLockoutGuard(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }})
	state := upgatestest.NewState()
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"

	for i := 1; i <= 4; i++ {
		r := test(t, bad, state, now, false)
		if r.Code != connectors.CodeAuthInvalid || r.Requests != 1 {
			t.Fatalf("attempt %d: code %s after %d requests, want auth_invalid after 1 (never retried): %s", i, r.Code, r.Requests, r.Message)
		}
		now = now.Add(5 * time.Minute)
	}
	if srv.Requests() != 4 {
		t.Fatalf("server saw %d requests after 4 attempts", srv.Requests())
	}

	r := test(t, bad, state, now, false)
	if r.Code != connectors.CodeLockedOut || !r.Forceable || r.Requests != 0 {
		t.Fatalf("5th attempt: code %s forceable %v requests %d, want a local locked_out refusal", r.Code, r.Forceable, r.Requests)
	}
	if srv.Requests() != 4 {
		t.Fatalf("the refused attempt reached the server (%d requests)", srv.Requests())
	}
	// The first failure was at 13:20; the floating hour frees a slot at 14:20.
	for _, want := range []string{"4 failed logins", "Upgates blocks", "14:20"} {
		if !strings.Contains(r.Message, want) {
			t.Errorf("refusal does not say %q: %s", want, r.Message)
		}
	}
	if !strings.Contains(r.Hint, "--force") {
		t.Errorf("hint does not offer to force: %s", r.Hint)
	}
	// The good key is refused too: the guard cannot tell it is good.
	if r := test(t, srv.Values(), state, now, false); r.Code != connectors.CodeLockedOut {
		t.Errorf("good key: %s, want the guard to refuse", r.Code)
	}

	// Confirming sends it; Upgates' answer counts as usual.
	r = test(t, bad, state, now, true)
	if r.Code != connectors.CodeAuthInvalid || srv.Requests() != 5 {
		t.Fatalf("forced attempt: code %s, server requests %d; want auth_invalid and 5", r.Code, srv.Requests())
	}
	// Now Upgates itself has blocked the address.
	r = test(t, srv.Values(), state, now, true)
	if r.Code != connectors.CodeLockedOut || r.Forceable || srv.Requests() != 6 {
		t.Fatalf("after 5 failures: code %s forceable %v requests %d; want Upgates' own 403 lockout", r.Code, r.Forceable, srv.Requests())
	}
}

func TestLockoutGuardWindowExpires(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }})
	state := upgatestest.NewState()
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"
	for range 4 {
		test(t, bad, state, now, false)
		now = now.Add(time.Minute)
	}
	// 13:24: still refused. At 14:20 the first failure (13:20) is an hour old.
	if r := test(t, srv.Values(), state, now, false); r.Code != connectors.CodeLockedOut {
		t.Fatalf("at 13:24: %s", r.Code)
	}
	now = time.Date(2025, 3, 10, 14, 20, 0, 0, time.UTC)
	r := test(t, srv.Values(), state, now, false)
	if r.Code != connectors.CodeOK {
		t.Fatalf("at 14:20 with one failure expired: %s %s", r.Code, r.Message)
	}
	data, _ := state.Load(upgates.StateKey)
	if strings.Count(string(data), "2025-03-10T13:") != 4 {
		t.Errorf("a successful login changed the remembered failures: %s", data)
	}
	// One more failure at 14:20 is recorded with only 3 older ones left.
	r = test(t, bad, state, now, false)
	if r.Code != connectors.CodeAuthInvalid || !strings.Contains(r.Message, "4 failed logins") {
		t.Fatalf("after expiry: %s %s", r.Code, r.Message)
	}
	data, _ = state.Load(upgates.StateKey)
	if strings.Contains(string(data), "13:20:00") {
		t.Errorf("the expired failure was kept: %s", data)
	}
}

func TestSuccessDoesNotCount(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{})
	state := upgatestest.NewState()
	for range 10 {
		if r := test(t, srv.Values(), state, now, false); r.Code != connectors.CodeOK {
			t.Fatalf("%s: %s", r.Code, r.Message)
		}
	}
	if data, _ := state.Load(upgates.StateKey); len(data) != 0 {
		t.Errorf("successful logins were recorded: %s", data)
	}
}

func TestGuardStateHasNoSecrets(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{})
	state := upgatestest.NewState()
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"
	test(t, bad, state, fixedClock(), false)
	data, _ := state.Load(upgates.StateKey)
	for _, secret := range []string{"wrong-key-0123456789", upgatestest.DefaultLogin} {
		if strings.Contains(string(data), secret) {
			t.Errorf("state holds %q: %s", secret, data)
		}
	}
	if !strings.Contains(string(data), strings.TrimPrefix(srv.URL, "http://")) {
		t.Errorf("state does not name the host: %s", data)
	}
}

// Test all runs tests side by side: with 3 failures remembered, 6 wrong
// logins started at once must not pass the guard together. One reaches
// Upgates (the 4th failure), the other 5 are refused locally.
func TestLockoutGuardHoldsUnderConcurrentTests(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }})
	state := upgatestest.NewState()
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"
	for range 3 {
		test(t, bad, state, now, false)
	}
	results := make(chan connectors.Result, 6)
	var wg sync.WaitGroup
	app := info(t) // one process: its tests take turns per host
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- connectors.Run(context.Background(), app, connectors.Config{
				Values: bad, State: state, Now: func() time.Time { return now },
			})
		}()
	}
	wg.Wait()
	close(results)
	counts := map[connectors.Code]int{}
	for r := range results {
		counts[r.Code]++
	}
	if counts[connectors.CodeAuthInvalid] != 1 || counts[connectors.CodeLockedOut] != 5 {
		t.Errorf("outcomes %v: want 1 auth_invalid and 5 local locked_out", counts)
	}
	if got := srv.FailedLogins(); got != 4 {
		t.Errorf("Upgates saw %d failed logins, want 4: one more and it blocks the address", got)
	}
}

// Waiting for another test of the same host ends when the test is cancelled,
// and the waiting test never reaches the server.
func TestWaitingForTheHostEndsWithTheContext(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{})
	blocker, arrived := make(chan struct{}), make(chan struct{}, 2)
	slow := local127(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-blocker
	})
	defer close(blocker)
	v := srv.Values()
	v[upgates.FieldAPIURL] = slow.URL + upgates.APIPath
	app := info(t)
	go connectors.Run(context.Background(), app, connectors.Config{Values: v, State: upgatestest.NewState()})
	<-arrived // the first test holds the host's turn until blocker closes
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := connectors.Run(ctx, app, connectors.Config{Values: v, State: upgatestest.NewState()})
	if r.Code != connectors.CodeTimeout || r.Requests != 0 {
		t.Errorf("a test waiting for the host's turn ended with %s after %d requests, want timeout after 0", r.Code, r.Requests)
	}
	if len(arrived) != 0 {
		t.Error("the waiting test reached the server")
	}
}

// Turns are per Connector, not per package: the program registers one
// Info, so its tests take turns, while another Info (a test's) waits for
// nobody. New always returns the Info's one Connector.
func TestEachInfoHasItsOwnTurns(t *testing.T) {
	app := upgates.Info()
	if app.New() != app.New() {
		t.Fatal("New returned two Connectors: tests through one Info would not take turns")
	}
	srv := upgatestest.New(t, upgatestest.Options{})
	blocker, arrived := make(chan struct{}), make(chan struct{}, 1)
	slow := local127(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-blocker
	})
	defer close(blocker)
	v := srv.Values()
	v[upgates.FieldAPIURL] = slow.URL + upgates.APIPath
	go connectors.Run(context.Background(), app, connectors.Config{Values: v, State: upgatestest.NewState()})
	<-arrived // app holds the host's turn until blocker closes

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := connectors.Run(ctx, info(t), connectors.Config{Values: v, State: upgatestest.NewState()})
	if r.Code != connectors.CodeTimeout || r.Requests != 1 {
		t.Errorf("a test through another Info ended with %s after %d requests, want it to reach the server (and time out there)", r.Code, r.Requests)
	}
}
