package engine

// api.go: requests a saved connection makes of its store for the user
// (`storelink api`, the window's Try a request), with the secrets from the
// keychain, through its agent, within its concurrency level, and with every
// secret masked in what comes back.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"storelink/connectors"
	"storelink/vault"
)

// DefaultCallMaxBody caps one answer of a call: a page of an API is larger
// than a test's answers, yet never unbounded.
const DefaultCallMaxBody = 64 << 20

// CallOptions shape one call of a saved connection.
type CallOptions struct {
	// Follow asks for every page in turn (the platform's paging).
	Follow bool
	// Sent is told each request as it goes out, every secret masked.
	Sent func(connectors.Request)
	// MaxBody caps each answer; 0 means DefaultCallMaxBody.
	MaxBody int64
	// Timeout bounds the whole call; 0 means none beyond each request's.
	Timeout time.Duration
	// Force lets the user override a local guard (the Upgates lockout).
	Force bool
}

// Called is how a call went besides its answers.
type Called struct {
	Info     connectors.Info
	Warnings []connectors.Warning
	Route    string // the agents it went through, "" when direct
}

// Call sends req to the saved connection name's store and hands each
// answer to page with every secret the engine knows masked in its
// headers and body. A transport error is a *connectors.NetError, a refusal
// before the request a *connectors.ResultError, both in words.
func (e *Engine) Call(ctx context.Context, name string, req connectors.APIRequest, o CallOptions, page func(connectors.APIRequest, *connectors.Response) error) (Called, error) {
	c, err := e.d.Store.Get(name)
	if err != nil {
		if errors.Is(err, vault.ErrNotFound) {
			return Called{}, &connectors.ResultError{Result: e.failed(connectors.CodeInvalidInput, err, e.Of(KindConnection).k.ListHint)}
		}
		return Called{}, err
	}
	return e.CallSaved(ctx, c, req, o, page)
}

// CallSaved is Call of the connection c as the caller has just read it
// (the command line, to confirm a write), so it is not read again.
func (e *Engine) CallSaved(ctx context.Context, c vault.Connection, req connectors.APIRequest, o CallOptions, page func(connectors.APIRequest, *connectors.Response) error) (Called, error) {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	r := e.Of(KindConnection)
	info, err := r.Form(c.App)
	if err != nil {
		return Called{}, &connectors.ResultError{Result: e.failed(connectors.CodeInvalidInput, err, "")}
	}
	called := Called{Info: info}
	values, err := r.withSecrets(c, nil)
	if err != nil {
		return called, &connectors.ResultError{Result: e.failed(connectors.CodeKeychain, err,
			"Unlock the keychain and try again, or edit the connection and enter its secrets again.")}
	}
	e.addSecretsOf(info, values)
	client := e.d.Client
	client.MaxBody = o.MaxBody
	if client.MaxBody <= 0 {
		client.MaxBody = DefaultCallMaxBody
	}
	route, fail := e.throughAgent(values, &client)
	if fail != nil {
		e.mask(fail)
		return called, &connectors.ResultError{Result: *fail}
	}
	called.Route = route
	slot, _ := e.slot(TestRun{Checked: Checked{Info: info, Name: c.Name, Values: values}, ID: c.ID})
	client.Slot = slot
	log := e.d.Log.WithFields(logrus.Fields{KindConnection: c.Name, "app": info.ID})
	sent := func(rq connectors.Request) {
		log.WithField("method", rq.Method).Info("api request ", e.Redact(rq.URL))
		if o.Sent != nil {
			rq.URL = e.Redact(rq.URL)
			rq.Header = e.maskHeader(rq.Header)
			rq.Body = []byte(e.Redact(string(rq.Body)))
			o.Sent(rq)
		}
	}
	cfg := connectors.Config{Name: c.Name, Values: values, Client: client, State: e.d.State, Force: o.Force, Now: e.d.Now}
	called.Warnings, err = connectors.Call(ctx, info, cfg, req, connectors.CallOptions{Follow: o.Follow, Sent: sent},
		func(rq connectors.APIRequest, resp *connectors.Response) error {
			log.WithField("status", resp.Status).Info("api answer")
			masked := *resp
			masked.Header = e.maskHeader(resp.Header)
			masked.Body = []byte(e.Redact(string(resp.Body)))
			return page(rq, &masked)
		})
	e.d.Redactor.Walk(&called.Warnings)
	return called, e.maskErr(err)
}

// maskHeader is h with every secret the engine knows masked in its values.
func (e *Engine) maskHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], e.Redact(v))
		}
	}
	return out
}

// maskErr masks the words of a call's error.
func (e *Engine) maskErr(err error) error {
	var re *connectors.ResultError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		e.mask(&re.Result)
		return re
	}
	var ne *connectors.NetError
	if errors.As(err, &ne) {
		// A copy: the certificate is the handshake's own.
		return &connectors.NetError{Code: ne.Code, Message: e.Redact(ne.Message), Hint: e.Redact(ne.Hint), Err: ne.Err, Cert: ne.Cert}
	}
	return errors.New(e.Redact(err.Error()))
}
