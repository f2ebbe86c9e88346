package app

// verify.go: every connection test runs here, in a goroutine with a
// cancellable context; progress, elapsed time and the result come back to
// the UI goroutine through u.do, so the window never waits for a store.

import (
	"context"
	"time"

	"storelink/connectors"
	"storelink/vault"
)

// verifyRequest is what the UI goroutine captures before a test starts.
type verifyRequest struct {
	info   connectors.Info
	name   string
	values connectors.Values // secrets included; nil with load
	force  bool
	// load reads the values in the background (a saved connection's secrets
	// come from the keychain, which may be slow or ask for a password).
	load func() (connectors.Values, error)
	// record names the saved connection whose last verification to update.
	record string
	// bounded tests wait for one of u.slots (Test all).
	bounded bool

	progress func(step string)           // UI goroutine
	tick     func(elapsed time.Duration) // UI goroutine, every 100 ms
	finish   func(r connectors.Result)   // UI goroutine, once, unless abandoned
}

// verification is one test under way.
type verification struct {
	cancel context.CancelFunc
	// done is closed once the outcome has been handled on the UI goroutine
	// (or dropped, after Cancel test).
	done    chan struct{}
	started time.Time
	// UI goroutine only.
	abandoned, finished bool
}

// abandon is Cancel test: the context is cancelled so the connector stops,
// and whatever it still returns is dropped.
func (v *verification) abandon() {
	v.abandoned = true
	v.cancel()
}

func (u *UI) verify(req verifyRequest) *verification {
	ctx, cancel := context.WithCancel(u.ctx)
	v := &verification{cancel: cancel, done: make(chan struct{}), started: time.Now()}
	u.redact(req.info, req.values)
	cfg := connectors.Config{
		Name: req.name, Values: req.values, Client: u.deps.Client, State: u.deps.State, Force: req.force,
		Progress: func(step string) {
			u.do(func() {
				if !v.abandoned && !v.finished && req.progress != nil {
					req.progress(step)
				}
			})
		},
	}
	stopTicks := make(chan struct{})
	if req.tick != nil {
		go func() {
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopTicks:
					return
				case <-t.C:
					u.do(func() {
						if !v.abandoned && !v.finished {
							req.tick(time.Since(v.started))
						}
					})
				}
			}
		}()
	}
	log := u.log.WithField("connection", req.name).WithField("app", req.info.ID)
	go func() {
		defer close(stopTicks)
		r := u.runTest(ctx, req, cfg)
		cancel()
		log.WithFields(r.LogFields()).Info("connection tested")
		if req.record != "" && r.Code != connectors.CodeCanceled {
			ver := vault.Verification{At: time.Now().UTC(), OK: r.OK, Code: r.Code, Message: r.Message}
			if err := u.deps.Store.Record(req.record, ver); err != nil {
				log.WithError(err).Warn("cannot record the test result")
			}
		}
		u.do(func() {
			defer close(v.done)
			if v.abandoned {
				return
			}
			v.finished = true
			req.finish(r)
		})
	}()
	return v
}

func (u *UI) runTest(ctx context.Context, req verifyRequest, cfg connectors.Config) connectors.Result {
	if req.bounded {
		select {
		case u.slots <- struct{}{}:
			defer func() { <-u.slots }()
		case <-ctx.Done():
			r, _ := connectors.FromContext(ctx)
			return r
		}
	}
	if req.load != nil {
		values, err := req.load()
		if err != nil {
			return connectors.Fail(connectors.CodeKeychain, err.Error(),
				"Unlock the keychain and test again, or edit the connection and enter its secrets again.")
		}
		u.redact(req.info, values)
		cfg.Values = values
	}
	return connectors.Run(ctx, req.info, cfg)
}

// redact tells the log's redactor the secret values, so one that reaches a
// log line or a technical detail by accident is masked.
func (u *UI) redact(info connectors.Info, values connectors.Values) {
	if u.deps.Redactor == nil {
		return
	}
	for k, v := range values {
		if f, ok := info.Field(k); ok && f.IsSecret() && v != "" {
			u.deps.Redactor.Add(v)
		}
	}
}
