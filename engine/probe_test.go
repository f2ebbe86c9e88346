package engine_test

// probe_test.go: "Check concurrency" finds what a store sustains, never
// above the platform's cap.

import (
	"context"
	"errors"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
)

func TestProbeFindsWhatTheStoreSustains(t *testing.T) {
	f := newFixture(t, 0)
	f.createWith("Shop", connectors.Values{"concurrency_level": "4"})
	f.shop.delay = 30 * time.Millisecond
	f.shop.throttleAbove = 2
	out, err := f.eng.Probe(context.Background(), "Shop", 0)
	if err != nil {
		t.Fatal(err)
	}
	if out.Level != 4 || out.Sent != 4 || out.Succeeded != 2 || out.Throttled != 2 || out.OK || out.Code != connectors.CodeRateLimited || out.P95MS < 30 {
		t.Errorf("level 4 against a store that takes 2: %+v", out)
	}
	out, err = f.eng.Probe(context.Background(), "Shop", 2)
	if err != nil || !out.OK || out.Succeeded != 2 || out.Throttled != 0 || out.P50MS < 30 {
		t.Errorf("level 2: %v %+v", err, out)
	}
	var ie *engine.InputError
	if _, err := f.eng.Probe(context.Background(), "Shop", 26); !errors.As(err, &ie) {
		t.Errorf("level 26: %v", err)
	}
	// Wrong credentials: one test fails, nothing is sent in parallel.
	f.shop.accept.Store(otherKey)
	before := f.shop.requests.Load()
	out, err = f.eng.Probe(context.Background(), "Shop", 4)
	if err != nil || out.OK || out.Code != connectors.CodeAuthInvalid || f.shop.requests.Load()-before != 1 {
		t.Errorf("failing credentials: %v %+v, %d requests", err, out, f.shop.requests.Load()-before)
	}
}

func TestProbeNeverAboveThePlatformsCap(t *testing.T) {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{ID: "capped", Title: "Capped", MaxConcurrency: 3, MaxConcurrencyReason: "it says so",
		New:    func() connectors.Connector { return demo{} },
		Fields: []connectors.Field{{Key: "url", Label: "URL", Kind: connectors.KindURL, Required: true, Help: "Where."}}})
	f := newFixture(t, 0)
	f.eng = engine.New(engine.Deps{Store: f.store, Registry: reg})
	if _, err := f.eng.Create(context.Background(), engine.Draft{App: "capped", Values: connectors.Values{"name": "C", "url": f.shop.URL}}, engine.SaveOptions{NoVerify: true}); err != nil {
		t.Fatal(err)
	}
	var ie *engine.InputError
	if _, err := f.eng.Probe(context.Background(), "C", 4); !errors.As(err, &ie) || f.shop.requests.Load() != 0 {
		t.Errorf("level 4 over a cap of 3: %v (%d requests)", err, f.shop.requests.Load())
	}
}
