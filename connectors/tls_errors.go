package connectors

// tls_errors.go: a transport failure in words (NetError): which certificate
// was refused and why, what to do about it (trusting a local store's own
// certificate, see tls.go), and the DNS, timeout and refused-connection cases.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// NetError is a transport failure already put into words.
type NetError struct {
	Code    Code
	Message string
	Hint    string
	Err     error
	// Cert is the certificate a TLS refusal saw.
	Cert *x509.Certificate
}

func (e *NetError) Error() string { return e.Message }
func (e *NetError) Unwrap() error { return e.Err }

// Result turns the error into a failed Result.
func (e *NetError) Result() Result {
	r := Fail(e.Code, e.Message, e.Hint)
	r.Certificate = DescribeCertificate(e.Cert)
	return r
}

// FailFromError turns any error from Client.Do into a Result. An error
// that knows its code (an agent hop's, wrapped by the dial) wins.
func FailFromError(err error) Result {
	var coded CodedError
	if errors.As(err, &coded) {
		return Fail(coded.FailureCode(), coded.Error(), coded.FailureHint())
	}
	var ne *NetError
	if errors.As(err, &ne) {
		return ne.Result()
	}
	return Fail(CodeUnreachable, "The request failed: "+err.Error(), "")
}

// classify puts err into words with every known secret masked: the request
// URL (a ws_key in the query, for instance) must not reach a message.
func (c *Client) classify(ctx context.Context, err error, u *url.URL) *NetError {
	ne := classify(ctx, err, u)
	ne.Message, ne.Hint = c.mask(ne.Message), c.mask(ne.Hint)
	return ne
}

func classify(ctx context.Context, err error, u *url.URL) *NetError {
	host := u.Host
	cause := err // without net/http's "Get \"<whole URL>\": " in front
	if ue, ok := err.(*url.Error); ok {
		cause = ue.Err
	}
	if r, done := FromContext(ctx); done && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &NetError{Code: r.Code, Message: r.Message, Err: err}
	}
	// A dial through an agent that failed at the agent says so itself.
	var coded CodedError
	if errors.As(err, &coded) {
		return &NetError{Code: coded.FailureCode(), Message: coded.Error(), Hint: coded.FailureHint(), Err: err}
	}
	var (
		dnsErr   *net.DNSError
		opErr    *net.OpError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		recErr   tls.RecordHeaderError
		certVErr *tls.CertificateVerificationError
	)
	// A store on this computer or the local network rarely has a public
	// certificate: trusting exactly its certificate is the way, not buying one.
	local := IsLocalHost(u.Host)
	trustHint := func(public string) string {
		if local {
			return "This store is on this computer or your network: if the certificate shown is the one you expect, trust it (Trust this certificate, or its SHA-256 in Advanced > Trusted certificate fingerprint), or add the authority that issued it in Advanced > CA file."
		}
		return public
	}
	var pin *pinError
	switch {
	case errors.As(err, &pin):
		return &NetError{Code: CodeTLS, Err: err, Cert: pin.cert,
			Message: fmt.Sprintf("The certificate of %s changed: it is not the one you trusted (the pinned fingerprint is %s).", host, pin.want),
			Hint:    "If the store's certificate was renewed on purpose, check the new one and trust it instead; otherwise someone may be intercepting the connection."}
	case errors.As(err, &unknown):
		return &NetError{Code: CodeTLS, Err: err, Cert: unknown.Cert,
			Message: fmt.Sprintf("The certificate of %s (issued to %q by %q) is not signed by an authority this computer trusts.", host, subjectOf(unknown.Cert), issuerOf(unknown.Cert)),
			Hint:    trustHint("Install a certificate from a public authority (Let's Encrypt is free) on the store, or add its authority to this computer's trusted certificates (or in Advanced > CA file).")}
	case errors.As(err, &hostErr):
		return &NetError{Code: CodeTLS, Err: err, Cert: hostErr.Certificate,
			Message: fmt.Sprintf("The certificate presented by %s is for %s, not for %s.", host, certNames(hostErr.Certificate), hostErr.Host),
			Hint:    trustHint("Use the address the certificate was issued for, or fix the certificate on the store's server.")}
	case errors.As(err, &invalid):
		why := "it is not valid"
		if invalid.Reason == x509.Expired {
			why = "it has expired or is not valid yet (" + invalid.Detail + ")"
		}
		return &NetError{Code: CodeTLS, Err: err, Cert: invalid.Cert,
			Message: fmt.Sprintf("The certificate of %s (issued to %q) is refused: %s.", host, subjectOf(invalid.Cert), why),
			Hint:    trustHint("Renew the store's certificate, and check this computer's date and time.")}
	// net/http turns a TLS record that starts "HTTP/" into ErrSchemeMismatch.
	case errors.As(err, &recErr) || errors.Is(err, http.ErrSchemeMismatch):
		return &NetError{Code: CodeTLS, Err: err,
			Message: fmt.Sprintf("%s does not speak HTTPS on this port.", host),
			Hint:    "If the store only offers plain HTTP, turn off \"Use HTTPS\" in Advanced; otherwise check the port."}
	case errors.As(err, &certVErr):
		var leaf *x509.Certificate
		if len(certVErr.UnverifiedCertificates) > 0 {
			leaf = certVErr.UnverifiedCertificates[0]
		}
		return &NetError{Code: CodeTLS, Err: err, Cert: leaf, Message: fmt.Sprintf("The certificate of %s is refused: %v.", host, certVErr.Err),
			Hint: trustHint("Fix the certificate on the store's server.")}
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		return &NetError{Code: CodeUnreachable, Err: err,
			Message: fmt.Sprintf("No name server answered for %s (DNS).", u.Hostname()),
			Hint:    "Check that this computer is online and its DNS settings work."}
	case errors.As(err, &dnsErr):
		return &NetError{Code: CodeUnreachable, Err: err,
			Message: fmt.Sprintf("The name %s could not be found (DNS).", u.Hostname()),
			Hint:    "Check the spelling of the address, and that this computer is online."}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &NetError{Code: CodeTimeout, Err: err,
			Message: fmt.Sprintf("%s did not answer in time.", host),
			Hint:    "Check that the store is up and reachable from this computer, or raise the request timeout in Advanced."}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return &NetError{Code: CodeUnreachable, Err: err,
			Message: fmt.Sprintf("Nothing accepts connections at %s (%v).", host, opErr.Err),
			Hint:    "Check the address and port, and that the web server is running; a firewall may be in the way."}
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return &NetError{Code: CodeTLS, Err: err, Message: fmt.Sprintf("The secure connection to %s failed: %v.", host, cause),
			Hint: "Check the store's HTTPS set-up."}
	default:
		return &NetError{Code: CodeUnreachable, Err: err,
			Message: fmt.Sprintf("The connection to %s failed: %v.", host, cause),
			Hint:    "Check the address, and that the store is reachable from this computer."}
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func subjectOf(c *x509.Certificate) string {
	if c == nil {
		return "?"
	}
	return c.Subject.String()
}

func issuerOf(c *x509.Certificate) string {
	if c == nil {
		return "?"
	}
	return c.Issuer.String()
}

func certNames(c *x509.Certificate) string {
	if c == nil {
		return "another name"
	}
	names := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return c.Subject.CommonName
	}
	return strings.Join(names, ", ")
}
