package agents

// "Test agent": connect (through the jump agents), verify the host key,
// sign in, and check the server answers, without opening a shell.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"storelink/connectors"
)

// Outcome is what "Test agent" found.
type Outcome struct {
	// Result: OK, Code, Message, Hint, Checks, Server.Version (the SSH
	// server's version string) and Duration.
	Result connectors.Result
	// HostKey is the fingerprint the server showed, when known: the one to
	// pin after host_key_unknown.
	HostKey string
	// KnownHosts: the host key was accepted because known_hosts lists it.
	KnownHosts bool
	// Hop is the agent the result is about: this one, or the jump agent
	// that failed (its host key may be the one to accept).
	Hop string
}

// Test connects to agent c with a new SSH connection (its jump agents come
// from p), and reports in words a shop owner or an administrator can act
// on. A working connection is handed to p for the connections that follow;
// with p nil, Test uses a pool of its own and closes it before returning.
func Test(ctx context.Context, p *Pool, c Config) Outcome {
	start := time.Now()
	if p == nil {
		p = NewPool(PoolOptions{})
		defer p.Close()
	}
	out := Outcome{Hop: c.Name}
	s, err := p.connect(ctx, c)
	if err == nil {
		if kerr := keepalive(ctx, s.client, c.timeout()); kerr != nil {
			s.client.Close()
			err = keepaliveError(ctx, c, kerr)
		}
	}
	if s != nil {
		out.HostKey = s.seen.fingerprint
		out.KnownHosts = s.seen.accepted && s.seen.fromFile != ""
	}
	var r connectors.Result
	var e *Error
	switch {
	case err == nil:
		r = connectors.Success(successMessage(c, s))
		r.Server.Version = s.version
		if !p.adopt(c, s) {
			s.client.Close()
		}
	case errors.As(err, &e):
		r = e.result()
		if e.Hop != c.Name { // a jump agent failed: its key is the one to show
			out.Hop, out.HostKey, out.KnownHosts = e.Hop, e.HostKey, false
		} else if e.HostKey != "" {
			out.HostKey = e.HostKey
		}
	default:
		r = connectors.Fail(connectors.CodeAgentUnreachable, fmt.Sprintf("%s: %v.", c.Label(), err), "")
	}
	addChecks(&r, c, s, err)
	r.Duration = time.Since(start)
	out.Result = r
	return out
}

func keepaliveError(ctx context.Context, c Config, err error) *Error {
	if ctx.Err() != nil {
		return contextError(ctx, c, err)
	}
	return &Error{Code: connectors.CodeAgentUnreachable, Hop: c.Name, Err: err,
		Message: fmt.Sprintf("%s: the server closed the connection right after sign-in (%s).", c.Label(), cause(err)),
		Hint:    "Check the server's SSH log (journalctl -u ssh); the user may not be allowed to stay connected."}
}

func successMessage(c Config, s *session) string {
	how := map[string]string{AuthKey: "a private key", AuthPassword: "a password", AuthSSHAgent: "the ssh-agent"}[c.auth()]
	msg := fmt.Sprintf("%s works: signed in as %q with %s", c.Label(), c.User, how)
	if c.Via != nil {
		msg += fmt.Sprintf(", through agent %q", c.Via.Name)
	}
	msg += "."
	switch {
	case s.hk.pin != "":
		msg += fmt.Sprintf(" Its host key %s matches the one in the Host key field.", s.seen.fingerprint)
	case s.seen.fromFile != "":
		msg += fmt.Sprintf(" Its host key %s is trusted because %s lists it.", s.seen.fingerprint, s.seen.fromFile)
	}
	return msg
}

// addChecks lists the steps of the test, the failed one last.
func addChecks(r *connectors.Result, c Config, s *session, err error) {
	reached := stageNone
	if s != nil {
		reached = s.stage
	}
	if err == nil {
		reached = stageSignedIn + 1
	}
	var e *Error
	if errors.As(err, &e) && e.Code == connectors.CodeInvalidInput {
		return
	}
	where := c.Addr()
	if c.Via != nil {
		where += fmt.Sprintf(" through agent %q", c.Via.Name)
	}
	steps := []struct {
		name   string
		detail string
	}{
		{"Reach " + where, ""},
		{"SSH handshake and host key", ""},
		{"Sign in as " + c.User + " (" + c.auth() + ")", ""},
		{"Server answers", ""},
	}
	if s != nil && s.seen.fingerprint != "" {
		steps[1].detail = s.seen.fingerprint
	}
	for i, step := range steps {
		ok := stage(i) < reached
		if !ok && err != nil {
			r.AddCheck(step.name, false, r.Message)
			return
		}
		r.AddCheck(step.name, ok, step.detail)
	}
}
