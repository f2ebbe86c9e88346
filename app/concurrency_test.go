package app

// concurrency_test.go: "Check concurrency" under the Concurrency level
// field of a saved connection probes its store and says how it went.

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
)

func TestCheckConcurrencyShowsTheProbeInWords(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	if p.checkConcurrencyButton == nil || p.concurrencyCheck.Visible() {
		t.Fatal("a connection not saved yet has nothing to probe")
	}
	fillTestShop(p, "Shop")
	test.Tap(p.saveButton)
	e.idle(p)
	if !p.concurrencyCheck.Visible() || !p.Form.Row(connectors.FieldConcurrency).Visible() {
		t.Fatal("once saved, Check concurrency shows under the Concurrency level field")
	}

	p.Form.Fill(connectors.Values{connectors.FieldConcurrency: "4"})
	test.Tap(p.checkConcurrencyButton)
	if !p.busy() || !p.checkConcurrencyButton.Disabled() || !p.cancelTestButton.Visible() {
		t.Error("the probe runs in the background, with Cancel")
	}
	e.idle(p)
	got := p.concurrency.Text
	for _, want := range []string{"Level 4", "4 of 4 tests at once passed", "typical answer", "slowest 1 in 20", "never answered 429 or 503", "sustains level 4"} {
		if !strings.Contains(got, want) {
			t.Errorf("the outcome lacks %q: %q", want, got)
		}
	}

	// A store that pushes back: after the first test, every other one gets 429.
	var calls atomic.Int64
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		if n := calls.Add(1); n > 1 && n%2 == 0 {
			r := connectors.Fail(connectors.CodeRateLimited, "Too many requests.", "")
			r.Requests = 1
			r.Exchanges = []connectors.Exchange{{Request: "GET https://shop.example/api", Status: "HTTP/1.1 429 Too Many Requests"}}
			return r
		}
		r := connectors.Success("Connected.")
		r.Requests = 1
		return r
	})
	test.Tap(p.checkConcurrencyButton)
	e.idle(p)
	got = p.concurrency.Text
	for _, want := range []string{"2 of 4 tests at once passed", "2 answers said 429 or 503", "cannot sustain level 4", "lower concurrency level"} {
		if !strings.Contains(got, want) {
			t.Errorf("the outcome lacks %q: %q", want, got)
		}
	}

	// A first test that fails sends nothing at once, and says so.
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "")
	})
	test.Tap(p.checkConcurrencyButton)
	e.idle(p)
	if got = p.concurrency.Text; !strings.Contains(got, "nothing was sent in parallel") || !strings.Contains(got, "does not know this key") {
		t.Errorf("a failing first test: %q", got)
	}
}
