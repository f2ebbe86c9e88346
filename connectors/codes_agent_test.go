package connectors_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"

	"storelink/connectors"
)

// hopError stands for an agent's error (agents.Error), which connectors
// cannot import.
type hopError struct{ code connectors.Code }

func (e *hopError) Error() string                { return `Agent "office" (ssh.office.example:22): refused.` }
func (e *hopError) FailureCode() connectors.Code { return e.code }
func (e *hopError) FailureHint() string          { return "Allow TCP forwarding." }

// An error that knows its code wins, however deeply it is wrapped, and
// whatever else (a dial OpError, a url.Error) wraps it.
func TestFailFromErrorPrefersCodedErrors(t *testing.T) {
	coded := &hopError{code: connectors.CodeAgentForwardingRefused}
	for name, err := range map[string]error{
		"bare":      coded,
		"wrapped":   fmt.Errorf("dial: %w", coded),
		"url.Error": &url.Error{Op: "Get", URL: "http://shop/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: coded}},
		"NetError":  &connectors.NetError{Code: connectors.CodeUnreachable, Message: "other", Err: coded},
	} {
		r := connectors.FailFromError(err)
		if r.OK || r.Code != connectors.CodeAgentForwardingRefused || r.Message != coded.Error() || r.Hint != coded.FailureHint() {
			t.Errorf("%s: FailFromError = %+v, want the coded error's code, message and hint", name, r)
		}
	}
}

// Client.Do keeps the code of a DialFunc's coded error in its NetError.
func TestClientKeepsTheDialsCode(t *testing.T) {
	coded := &hopError{code: connectors.CodeHostKeyChanged}
	c := connectors.NewClient(connectors.ClientOptions{Dial: func(context.Context, string, string) (net.Conn, error) { return nil, coded }})
	_, err := c.Do(t.Context(), connectors.Request{URL: "https://shop.internal/api/"})
	var ne *connectors.NetError
	if !errors.As(err, &ne) || ne.Code != connectors.CodeHostKeyChanged || ne.Message != coded.Error() || ne.Hint != coded.FailureHint() {
		t.Fatalf("Do = %#v, want a NetError with the dial's code", err)
	}
	if !errors.Is(err, coded) {
		t.Error("the NetError does not unwrap to the dial's error")
	}
}
