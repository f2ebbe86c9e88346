package connectors

// client.go: the HTTP client every request of a test goes through: time
// limits, capped bodies, same-origin redirects, the exchanges recorded with
// secrets masked. Its failures are put into words in tls_errors.go.

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"storelink/redact"
)

// Version is Storelink's version, from FyneApp.toml: the Makefile and the
// packages set versionFromBuild with -ldflags -X; a plain "go build" falls
// back to defaultVersion, which a test keeps equal to FyneApp.toml.
var Version = cmp.Or(versionFromBuild, defaultVersion)

const defaultVersion = "0.1.0"

// versionFromBuild is set by the linker; a var, since -X cannot set a const.
var versionFromBuild string

// UserAgent names Storelink and its version on every request.
var UserAgent = "Storelink/" + Version + " (desktop connection tester)"

// Defaults for ClientOptions.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultTLSTimeout     = 10 * time.Second
	DefaultHeaderTimeout  = 20 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBody        = 1 << 20
	maxRedirects          = 5
)

// DialFunc opens a connection; agents (SSH tunnels) plug in here.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// ClientOptions configure the shared HTTP client. Zero values mean defaults.
type ClientOptions struct {
	Dial           DialFunc
	ConnectTimeout time.Duration
	TLSTimeout     time.Duration
	HeaderTimeout  time.Duration
	Timeout        time.Duration // whole request, body included
	MaxBody        int64
	RootCAs        *x509.CertPool // nil: the system's
	// Redactor masks secrets in the recorded exchanges.
	Redactor *redact.Redactor
	// Slot bounds the requests in flight to the store (concurrency level).
	Slot Slot
	// Trust is what the connection trusts besides the system's authorities.
	Trust TLSTrust
	// NoProxy ignores the proxy environment (a store reached through an
	// agent: a proxy on this computer cannot reach it).
	NoProxy bool
}

// Exchange is one HTTP request and its answer, secrets masked.
type Exchange struct {
	Request string        `json:"request"` // "GET https://shop.example/api/"
	Status  string        `json:"status,omitempty"`
	Excerpt string        `json:"excerpt,omitempty"`
	Error   string        `json:"error,omitempty"`
	Took    time.Duration `json:"-"`
}

// Request is what a connector asks the client to send.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// FollowRedirects follows redirects to the same host (and http -> https
	// upgrades). A redirect elsewhere is never followed: the 3xx comes back.
	FollowRedirects bool
}

// Response is a read and capped answer.
type Response struct {
	Status     int
	StatusText string // "503 Service Unavailable"
	Header     http.Header
	Body       []byte
	Truncated  bool     // the body was longer than MaxBody
	URL        *url.URL // where the answer came from, after redirects
	Redirects  []string // the addresses followed
}

// Location resolves the Location header against the request URL.
func (r *Response) Location() string {
	loc := r.Header.Get("Location")
	if loc == "" || r.URL == nil {
		return loc
	}
	u, err := r.URL.Parse(loc)
	if err != nil {
		return loc
	}
	return u.String()
}

// Client is the HTTP client connectors share; one per test.
type Client struct {
	opts      ClientOptions
	http      *http.Client
	transport *http.Transport

	mu        sync.Mutex
	requests  int
	exchanges []Exchange
	// setupErr: the trust settings could not be used (every Do says so).
	setupErr    error
	tlsWarnings []string
}

// NewClient builds a client. It honours the proxy environment variables.
func NewClient(opts ClientOptions) *Client {
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.TLSTimeout == 0 {
		opts.TLSTimeout = DefaultTLSTimeout
	}
	if opts.HeaderTimeout == 0 {
		opts.HeaderTimeout = DefaultHeaderTimeout
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = DefaultMaxBody
	}
	dial := opts.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		TLSHandshakeTimeout:   opts.TLSTimeout,
		ResponseHeaderTimeout: opts.HeaderTimeout,

		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	if opts.NoProxy {
		transport.Proxy = nil
	}
	c := &Client{opts: opts}
	tlsConfig, err := opts.Trust.tlsConfig(opts.RootCAs, c.warnTLS)
	if err != nil {
		c.setupErr = err
		tlsConfig = &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12}
	}
	transport.TLSClientConfig = tlsConfig
	c.http = &http.Client{Transport: &countingTransport{c: c, next: transport}}
	c.transport = transport
	return c
}

// Requests is how many HTTP requests went out, redirects included.
func (c *Client) Requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests
}

// Exchanges returns a copy of what was sent and received.
func (c *Client) Exchanges() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Exchange(nil), c.exchanges...)
}

// warnTLS remembers a warning about a pinned certificate, once.
func (c *Client) warnTLS(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.warnTLSLocked(msg)
}

// warnTLSLocked is warnTLS with c.mu held.
func (c *Client) warnTLSLocked(msg string) {
	for _, w := range c.tlsWarnings {
		if w == msg {
			return
		}
	}
	c.tlsWarnings = append(c.tlsWarnings, msg)
}

// Finish adds the request count, the exchanges and the warnings about a
// pinned certificate to r's. Run calls it for Config.HTTP; a connector
// needs it only for a client of its own.
func (c *Client) Finish(r *Result) {
	// The test is over: its kept-alive connections would otherwise stay
	// open for IdleConnTimeout, a thousand of them after Test all.
	if c.transport != nil {
		c.transport.CloseIdleConnections()
	}
	r.Requests += c.Requests()
	r.Exchanges = append(r.Exchanges, c.Exchanges()...)
	c.mu.Lock()
	warnings := append([]string(nil), c.tlsWarnings...)
	c.mu.Unlock()
	for _, w := range warnings {
		r.Warn(CodeTLS, w)
	}
}

// Redactor is what masks secrets in the exchanges; a connector adds the
// secrets it learns during a test (a fresh admin token) and masks its own
// messages with it.
func (c *Client) Redactor() *redact.Redactor { return c.opts.Redactor }

func (c *Client) mask(s string) string { return c.opts.Redactor.String(s) }

// exchangeSlot keys the context value through which Do learns the index of
// the exchange its answer came from.
type exchangeSlot struct{}

type countingTransport struct {
	c    *Client
	next http.RoundTripper
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	t.c.mu.Lock()
	t.c.requests++
	idx := len(t.c.exchanges)
	t.c.exchanges = append(t.c.exchanges, Exchange{Request: req.Method + " " + t.c.mask(req.URL.String())})
	if slot, ok := req.Context().Value(exchangeSlot{}).(*int); ok {
		*slot = idx // Do puts the excerpt on its own last hop, not on a concurrent call's
	}
	t.c.mu.Unlock()
	resp, err := t.next.RoundTrip(req)
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.c.exchanges[idx].Took = time.Since(start)
	if err != nil {
		t.c.exchanges[idx].Error = t.c.mask(err.Error())
	} else {
		t.c.exchanges[idx].Status = resp.Proto + " " + resp.Status
	}
	if err == nil && resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 && t.c.opts.Trust.Fingerprint != "" {
		// Here, unlike in the handshake, the address asked for is known, IP or name.
		if w := pinnedNameWarning(resp.TLS.PeerCertificates[0], req.URL.Hostname()); w != "" {
			t.c.warnTLSLocked(w)
		}
	}
	return resp, err
}

// sameOrigin allows a redirect when credentials stay with the host that was
// asked for: same host name and port, or the http -> https upgrade.
func sameOrigin(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	if from.Scheme == "https" && to.Scheme != "https" {
		return false
	}
	if from.Scheme == to.Scheme {
		return portOf(from) == portOf(to)
	}
	return to.Scheme == "https" && portOf(to) == "443"
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// Do sends req within the client's time limits and reads the capped body.
// Transport errors come back as *NetError.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	// The wait for a place under the concurrency level is not the store's
	// time: it comes before the request's own timeout starts.
	if c.setupErr != nil {
		return nil, &NetError{Code: CodeInvalidInput, Err: c.setupErr, Message: c.setupErr.Error() + ".",
			Hint: "Fix it in the connection's Advanced section."}
	}
	release, err := c.opts.Slot.Acquire(ctx)
	if err != nil {
		return nil, &NetError{Code: CodeCanceled, Message: "The test ended while it waited for its turn under the concurrency level.", Err: err}
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	last := -1
	ctx = context.WithValue(ctx, exchangeSlot{}, &last)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, req.URL, body)
	if err != nil {
		return nil, &NetError{Code: CodeInvalidInput, Message: "The address is not a valid URL: " + c.mask(err.Error()), Err: err}
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	hr.Header.Set("User-Agent", UserAgent)
	origin := hr.URL
	var followed []string
	client := *c.http
	client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if !req.FollowRedirects || len(via) > maxRedirects || !sameOrigin(origin, next.URL) {
			return http.ErrUseLastResponse
		}
		followed = append(followed, c.mask(next.URL.String()))
		// Go drops Authorization on a host change only; keep ours on the same host.
		for k, vs := range req.Header {
			next.Header[k] = vs
		}
		return nil
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, c.classify(ctx, err, hr.URL)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if err != nil {
		return nil, c.classify(ctx, err, hr.URL)
	}
	out := &Response{
		Status: resp.StatusCode, StatusText: resp.Status, Header: resp.Header,
		URL: resp.Request.URL, Redirects: followed,
	}
	if int64(len(data)) > c.opts.MaxBody {
		data, out.Truncated = data[:c.opts.MaxBody], true
	}
	out.Body = data
	c.mu.Lock()
	if last >= 0 && last < len(c.exchanges) {
		c.exchanges[last].Excerpt = c.mask(MaskedExcerpt(c.opts.Redactor, data, 300))
	}
	c.mu.Unlock()
	return out, nil
}

// Excerpt returns at most n bytes of body as one readable line.
func Excerpt(body []byte, n int) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "..."
	}
	return s
}

// excerptScan is how much of a body MaskedExcerpt masks before it cuts:
// far more than any excerpt shows, far less than a body may hold.
const excerptScan = 16 << 10

// MaskedExcerpt is Excerpt of body with red's secrets masked first, so that
// a secret the cut would shorten is still whole when the redactor sees it.
func MaskedExcerpt(red *redact.Redactor, body []byte, n int) string {
	return Excerpt([]byte(red.String(string(body[:min(len(body), excerptScan)]))), n)
}
