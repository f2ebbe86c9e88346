package engine

// probe.go: "Check concurrency". A saved connection is tested once; when
// that passes, level tests run side by side and the outcome says how many
// got through, how fast, and whether the store pushed back (429 or 503).

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"storelink/connectors"
)

// ProbeOutcome is what a concurrency probe found. The JSON keys are a public
// contract (storelink probe --json).
type ProbeOutcome struct {
	Name      string          `json:"name"`
	Level     int             `json:"level"`
	Sent      int             `json:"sent"`      // requests sent by the parallel tests
	Succeeded int             `json:"succeeded"` // parallel tests that passed
	Throttled int             `json:"throttled"` // answers 429 or 503
	P50MS     int64           `json:"p50_ms"`
	P95MS     int64           `json:"p95_ms"`
	OK        bool            `json:"ok"`
	Code      connectors.Code `json:"code"`
	Message   string          `json:"message"`
}

// Probe checks whether the store behind the saved connection name sustains
// level tests at once (0: the connection's own level). Nothing is sent in
// parallel unless one test passes first, so wrong credentials cost one
// failed login, not level of them.
func (e *Engine) Probe(ctx context.Context, name string, level int) (ProbeOutcome, error) {
	out, err := e.probe(ctx, name, level)
	e.d.Redactor.Walk(&out)
	return out, err
}

func (e *Engine) probe(ctx context.Context, name string, level int) (ProbeOutcome, error) {
	c, err := e.d.Store.Get(name)
	if err != nil {
		return ProbeOutcome{}, err
	}
	info, err := e.Lookup(c.App)
	if err != nil {
		return ProbeOutcome{}, err
	}
	if level == 0 {
		level = c.Values.Int(connectors.FieldConcurrency, 1)
	}
	most := connectors.MaxConcurrencyLevel
	if info.MaxConcurrency > 0 {
		most = info.MaxConcurrency
	}
	if level < 1 || level > most {
		why := ""
		if info.MaxConcurrencyReason != "" {
			why = ": " + info.MaxConcurrencyReason
		}
		return ProbeOutcome{}, &InputError{[]connectors.FieldError{{Key: "level", Label: "Level",
			Message: fmt.Sprintf("enter a number from 1 to %d for %s%s", most, info.Title, why)}}}
	}
	out := ProbeOutcome{Name: c.Name, Level: level}
	conns := e.Of(KindConnection)
	first := conns.testOne(ctx, testJob{c: c, slots: e.slots}).Result
	if !first.OK {
		out.Code, out.Message = first.Code, "The connection's test failed, so nothing was sent in parallel: "+first.Message
		return out, nil
	}
	values, err := conns.withSecrets(c, nil)
	if err != nil {
		out.Code, out.Message = connectors.CodeKeychain, e.Redact(err.Error())
		return out, nil
	}
	// The probe measures the store, not the saved level: its own group. An
	// on-premise store is probed through its agent, like its tests.
	client := e.d.Client
	if _, r := e.throughAgent(values, &client); r != nil {
		out.Code, out.Message = r.Code, r.Message
		return out, nil
	}
	client.Slot = connectors.Slot{Limiter: e.d.Limiter, Group: "probe:" + c.ID, Level: level}
	results := make([]connectors.Result, level)
	var wg sync.WaitGroup
	for i := range level {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = connectors.Run(ctx, info, connectors.Config{Name: c.Name, Values: values, Client: client, State: e.d.State, Now: e.d.Now})
		}()
	}
	wg.Wait()
	var took []time.Duration
	for _, r := range results {
		out.Sent += r.Requests
		took = append(took, r.Duration)
		if r.OK {
			out.Succeeded++
		}
		for _, x := range r.Exchanges {
			if strings.HasPrefix(statusCode(x.Status), "429") || strings.HasPrefix(statusCode(x.Status), "503") {
				out.Throttled++
			}
		}
	}
	slices.Sort(took)
	out.P50MS, out.P95MS = percentile(took, 50).Milliseconds(), percentile(took, 95).Milliseconds()
	out.OK = out.Succeeded == level && out.Throttled == 0
	if out.OK {
		out.Code = connectors.CodeOK
		out.Message = fmt.Sprintf("The store answered %d tests at once without pushing back (median %d ms, 95th percentile %d ms).", level, out.P50MS, out.P95MS)
	} else {
		out.Code = connectors.CodeRateLimited
		out.Message = fmt.Sprintf("Only %d of %d tests at once got through (%d answers said 429 or 503): the store cannot sustain level %d; choose a lower concurrency level.", out.Succeeded, level, out.Throttled, level)
	}
	e.d.Log.WithFields(map[string]any{"connection": c.Name, "level": level, "succeeded": out.Succeeded, "throttled": out.Throttled}).Info("concurrency probed")
	return out, nil
}

// statusCode is "429" of "HTTP/1.1 429 Too Many Requests".
func statusCode(status string) string {
	if _, rest, ok := strings.Cut(status, " "); ok {
		return rest
	}
	return status
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted)+99)/100 - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
