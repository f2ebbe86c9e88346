package agents

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"

	"storelink/connectors"
)

// Error is a failure at one hop of the way to a store. It carries its code,
// so a store test whose dial fails here reports the agent's code
// (connectors.FailFromError finds it through http.Transport's wrapping).
type Error struct {
	Code    connectors.Code
	Hop     string // the agent's name
	Message string // names the hop: Agent "office" (ssh.office.example:22): …
	Hint    string
	HostKey string // the fingerprint the server showed, when known
	Field   string // the field at fault, for invalid_input
	Err     error  // the cause; never holds a secret
}

var _ connectors.CodedError = (*Error)(nil)

func (e *Error) Error() string                       { return e.Message }
func (e *Error) Unwrap() error                       { return e.Err }
func (e *Error) FailureCode() connectors.Code        { return e.Code }
func (e *Error) FailureHint() string                 { return e.Hint }
func (e *Error) result() connectors.Result           { return connectors.Fail(e.Code, e.Message, e.Hint) }
func newError(c Config, code connectors.Code) *Error { return &Error{Code: code, Hop: c.Name} }

func invalid(c Config, field, message, hint string) *Error {
	return &Error{Code: connectors.CodeInvalidInput, Hop: c.Name, Field: field, Message: message, Hint: hint}
}

// contextError says why a hop stopped when ctx (the caller's, or the hop's
// own connect timeout) ended.
func contextError(parent context.Context, c Config, err error) *Error {
	if errors.Is(parent.Err(), context.Canceled) {
		return &Error{Code: connectors.CodeCanceled, Hop: c.Name, Err: err,
			Message: fmt.Sprintf("The test was cancelled while connecting to %s.", c.label())}
	}
	return &Error{Code: connectors.CodeAgentUnreachable, Hop: c.Name, Err: err,
		Message: fmt.Sprintf("%s: no answer in time (the limit is %s).", c.Label(), c.timeout()),
		Hint:    "Check the host and port, and that the SSH server is running; a firewall may be silently dropping the connection."}
}

// dialError puts a failed TCP connection to the agent into words.
func dialError(c Config, err error) *Error {
	e := newError(c, connectors.CodeAgentUnreachable)
	e.Err = err
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		e.Message = fmt.Sprintf("%s: no name server answered for %s (DNS).", c.Label(), c.Host)
		e.Hint = "Check that this computer is online and its DNS settings work."
	case errors.As(err, &dnsErr):
		e.Message = fmt.Sprintf("%s: the name %s could not be found (DNS).", c.Label(), c.Host)
		e.Hint = "Check the spelling of the agent's host, and that this computer is online (or on the office VPN, if the name is internal)."
	case isTimeout(err):
		e.Message = fmt.Sprintf("%s: no answer in time (the limit is %s).", c.Label(), c.timeout())
		e.Hint = "Check the host and port, and that the SSH server is running; a firewall may be silently dropping the connection."
	default:
		e.Message = fmt.Sprintf("%s: nothing accepts connections there (%s).", c.Label(), cause(err))
		e.Hint = "Check the host and port, and that the SSH server is running; a firewall may be in the way."
	}
	return e
}

// cause is the innermost useful text of a network error, without the
// "dial tcp 1.2.3.4:22:" prefix the message already says in words.
func cause(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "ssh: handshake failed: ")
	s = strings.TrimPrefix(s, "ssh: ")
	return s
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// channelError puts a refused direct-tcpip channel into words: the agent's
// policy forbids it (forwarding refused), or the agent could not reach the
// target (the store, or the next agent of a chain).
func channelError(r route, oce *ssh.OpenChannelError) *Error {
	c, target, next := r.via, r.addr, r.next
	what := "the store at " + target
	if next != nil {
		what = next.label()
	}
	said := strings.TrimSpace(oce.Message)
	if said == "" {
		said = oce.Reason.String()
	}
	switch oce.Reason {
	case ssh.ConnectionFailed:
		e := &Error{Code: connectors.CodeUnreachable, Hop: c.Name, Err: oce,
			Message: fmt.Sprintf("%s is up, but could not reach %s (%s).", c.Label(), what, said),
			Hint:    fmt.Sprintf("Check the address of %s as seen from the agent's network, and that it is running.", what)}
		if next != nil {
			// The next agent is the hop that cannot be reached.
			e.Code, e.Hop = connectors.CodeAgentUnreachable, next.Name
			e.Hint = fmt.Sprintf("Check the host and port of agent %q as seen from agent %q, and that its SSH server is running.", next.Name, c.Name)
		}
		return e
	case ssh.ResourceShortage:
		return &Error{Code: connectors.CodeAgentForwardingRefused, Hop: c.Name, Err: oce,
			Message: fmt.Sprintf("%s refused to open a tunnel to %s: it is out of resources (%s).", c.Label(), what, said),
			Hint:    "The SSH server limits open sessions or tunnels (MaxSessions); try again, or raise the limit."}
	default: // Prohibited, UnknownChannelType
		return &Error{Code: connectors.CodeAgentForwardingRefused, Hop: c.Name, Err: oce,
			Message: fmt.Sprintf("%s refused to open a tunnel to %s (%s).", c.Label(), what, said),
			Hint: fmt.Sprintf("Allow TCP forwarding for user %q on the SSH server (AllowTcpForwarding yes in sshd_config, and a PermitOpen that includes %s), then reload it.",
				c.User, target)}
	}
}
