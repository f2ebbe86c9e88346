// Tests of the shared HTTP client against httptest servers on 127.0.0.1:
// time limits, body cap, redirect policy, request counting, masking, TLS
// diagnosis, DNS and the Dial seam.
package connectors_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/redact"
)

// startServer runs h on 127.0.0.1 (httptest's default) until the test ends.
func startServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// hangingServer answers nothing (or only headers and a first chunk when
// sendHeaders) until the client goes away or the test ends. arrived gets a
// value when a request is in the handler.
func hangingServer(t *testing.T, sendHeaders bool) (srv *httptest.Server, arrived <-chan struct{}) {
	t.Helper()
	in := make(chan struct{}, 16)
	release := make(chan struct{})
	srv = startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sendHeaders {
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "first chunk")
			w.(http.Flusher).Flush()
		}
		select {
		case in <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return srv, in
}

// countingServer counts requests and remembers credentials it was sent.
type countingServer struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	auth     []string
	queries  []string
}

func startCountingServer(t *testing.T) *countingServer {
	t.Helper()
	cs := &countingServer{}
	cs.Server = startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		cs.mu.Lock()
		cs.auth = append(cs.auth, r.Header.Get("Authorization"))
		cs.queries = append(cs.queries, r.URL.RawQuery)
		cs.mu.Unlock()
		io.WriteString(w, "other host")
	}))
	return cs
}

func netError(t *testing.T, err error, want connectors.Code) *connectors.NetError {
	t.Helper()
	if err == nil {
		t.Fatalf("Do succeeded, want a *NetError with code %s", want)
	}
	var ne *connectors.NetError
	if !errors.As(err, &ne) {
		t.Fatalf("error %q is a %T, not a *NetError", err, err)
	}
	if ne.Code != want {
		t.Fatalf("code = %s, want %s (message %q, cause %v)", ne.Code, want, ne.Message, ne.Err)
	}
	if ne.Message == "" || ne.Error() != ne.Message {
		t.Errorf("NetError message %q / Error() %q: want a message, returned by Error()", ne.Message, ne.Error())
	}
	if r := connectors.FailFromError(err); r.OK || r.Code != want || r.Message != ne.Message || r.Hint != ne.Hint {
		t.Errorf("FailFromError = %+v, want the NetError's code, message and hint", r)
	}
	return ne
}

func hostPort(srv *httptest.Server) string {
	return strings.TrimPrefix(strings.TrimPrefix(srv.URL, "http://"), "https://")
}

func portOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, port, err := net.SplitHostPort(hostPort(srv))
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func TestClientSendsUserAgentMethodAndBody(t *testing.T) {
	type seen struct{ ua, method, body, custom string }
	got := make(chan seen, 1)
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.UserAgent(), r.Method, string(b), r.Header.Get("X-Custom")}
		w.Header().Set("X-Answer", "42")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "created")
	}))
	c := connectors.NewClient(connectors.ClientOptions{})
	resp, err := c.Do(t.Context(), connectors.Request{
		Method: http.MethodPost, URL: srv.URL + "/api", Body: []byte("<xml/>"),
		Header: http.Header{"User-Agent": {"curl/8.0"}, "X-Custom": {"yes"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := <-got
	if !strings.Contains(s.ua, "Storelink") || !strings.Contains(s.ua, connectors.Version) || s.ua != connectors.UserAgent {
		t.Errorf("User-Agent = %q, want %q naming Storelink and version %s", s.ua, connectors.UserAgent, connectors.Version)
	}
	if s.method != http.MethodPost || s.body != "<xml/>" || s.custom != "yes" {
		t.Errorf("server saw %+v, want POST with body and header", s)
	}
	if resp.Status != 201 || resp.StatusText != "201 Created" || string(resp.Body) != "created" || resp.Header.Get("X-Answer") != "42" || resp.Truncated {
		t.Errorf("response = %d %q %q %v, want 201 Created, body, header", resp.Status, resp.StatusText, resp.Body, resp.Header)
	}
	if resp.URL == nil || resp.URL.String() != srv.URL+"/api" || len(resp.Redirects) != 0 {
		t.Errorf("URL = %v, Redirects = %v; want the request URL and none", resp.URL, resp.Redirects)
	}

	// No method means GET.
	if _, err := c.Do(t.Context(), connectors.Request{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s.method != http.MethodGet || !strings.HasPrefix(s.ua, "Storelink/") {
		t.Errorf("default request: %+v, want GET with Storelink's User-Agent", s)
	}
}

func TestClientInvalidURL(t *testing.T) {
	c := connectors.NewClient(connectors.ClientOptions{})
	_, err := c.Do(t.Context(), connectors.Request{URL: "http://shop example/\x7f"})
	netError(t, err, connectors.CodeInvalidInput)
	if c.Requests() != 0 {
		t.Errorf("Requests() = %d for a URL that could not be built, want 0", c.Requests())
	}
}

func TestClientTotalTimeoutCoversTheBody(t *testing.T) {
	srv, _ := hangingServer(t, true)
	c := connectors.NewClient(connectors.ClientOptions{Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.Do(t.Context(), connectors.Request{URL: srv.URL})
	ne := netError(t, err, connectors.CodeTimeout)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v, want about the 300ms total timeout", took)
	}
	if !strings.Contains(ne.Message, hostPort(srv)) || ne.Hint == "" {
		t.Errorf("message %q / hint %q: want the host named and a hint", ne.Message, ne.Hint)
	}
}

func TestClientResponseHeaderTimeout(t *testing.T) {
	srv, _ := hangingServer(t, false)
	c := connectors.NewClient(connectors.ClientOptions{HeaderTimeout: 200 * time.Millisecond, Timeout: 20 * time.Second})
	start := time.Now()
	_, err := c.Do(t.Context(), connectors.Request{URL: srv.URL})
	netError(t, err, connectors.CodeTimeout)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v: the header timeout (200ms), not the total one (20s), should end it", took)
	}
}

func TestClientConnectTimeout(t *testing.T) {
	srv := startServer(t, http.NotFoundHandler())
	// A nanosecond is over before the dialer starts: the real dialer's timeout path.
	c := connectors.NewClient(connectors.ClientOptions{ConnectTimeout: time.Nanosecond})
	_, err := c.Do(t.Context(), connectors.Request{URL: srv.URL})
	netError(t, err, connectors.CodeTimeout)
}

func TestClientTLSHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	accepted := make(chan net.Conn, 4)
	conns.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- conn // read nothing, answer nothing
		}
	})
	t.Cleanup(func() {
		ln.Close()
		conns.Wait()
		close(accepted)
		for conn := range accepted {
			conn.Close()
		}
	})
	c := connectors.NewClient(connectors.ClientOptions{TLSTimeout: 200 * time.Millisecond, Timeout: 20 * time.Second})
	start := time.Now()
	_, err = c.Do(t.Context(), connectors.Request{URL: "https://" + ln.Addr().String() + "/"})
	netError(t, err, connectors.CodeTimeout)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v, want about the 200ms TLS timeout", took)
	}
}

func TestClientConnectionRefused(t *testing.T) {
	addr := connectortest.DeadAddress(t)
	c := connectors.NewClient(connectors.ClientOptions{})
	_, err := c.Do(t.Context(), connectors.Request{URL: "http://" + addr + "/api/"})
	ne := netError(t, err, connectors.CodeUnreachable)
	if !strings.Contains(ne.Message, addr) || ne.Hint == "" {
		t.Errorf("message %q / hint %q: want the address named and a hint", ne.Message, ne.Hint)
	}
	if c.Requests() != 1 {
		t.Errorf("Requests() = %d, want 1 attempt counted", c.Requests())
	}
	if ex := c.Exchanges(); len(ex) != 1 || ex[0].Error == "" || ex[0].Status != "" {
		t.Errorf("Exchanges = %+v, want one with the error and no status", ex)
	}
}

func TestClientCanceledContext(t *testing.T) {
	srv, arrived := hangingServer(t, false)
	c := connectors.NewClient(connectors.ClientOptions{})

	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, connectors.Request{URL: srv.URL})
		errc <- err
	}()
	<-arrived
	cancel()
	ne := netError(t, <-errc, connectors.CodeCanceled)
	if ne.Message != "The test was cancelled." {
		t.Errorf("message = %q", ne.Message)
	}

	// Cancelled before it starts: no request goes out.
	c2 := connectors.NewClient(connectors.ClientOptions{})
	_, err := c2.Do(ctx, connectors.Request{URL: srv.URL})
	netError(t, err, connectors.CodeCanceled)
}

func TestClientCallerDeadlineIsTimeout(t *testing.T) {
	srv, _ := hangingServer(t, false)
	c := connectors.NewClient(connectors.ClientOptions{})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, connectors.Request{URL: srv.URL})
	netError(t, err, connectors.CodeTimeout)
}

func TestClientCapsBody(t *testing.T) {
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := map[string]int{"/short": 64, "/long": 65, "/huge": connectors.DefaultMaxBody + 10}[r.URL.Path]
		io.WriteString(w, strings.Repeat("a", n))
	}))
	c := connectors.NewClient(connectors.ClientOptions{MaxBody: 64})
	for _, tc := range []struct {
		path      string
		truncated bool
	}{{"/short", false}, {"/long", true}} {
		resp, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + tc.path})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Body) != 64 || resp.Truncated != tc.truncated {
			t.Errorf("%s: body %d bytes, Truncated %v; want 64, %v", tc.path, len(resp.Body), resp.Truncated, tc.truncated)
		}
	}
	// The default cap is 1 MiB.
	resp, err := connectors.NewClient(connectors.ClientOptions{}).Do(t.Context(), connectors.Request{URL: srv.URL + "/huge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body) != 1<<20 || !resp.Truncated {
		t.Errorf("default cap: body %d bytes, Truncated %v; want 1 MiB, true", len(resp.Body), resp.Truncated)
	}
	if ex := c.Exchanges(); len(ex) != 2 || len(ex[1].Excerpt) > 303 || !strings.HasSuffix(ex[1].Excerpt, "aaa") {
		t.Errorf("exchanges %+v: want each with a short excerpt", ex)
	}
}

func TestClientFollowsSameHostRedirect(t *testing.T) {
	var nextAuth, postBody, postMethod atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/next?page=2", http.StatusFound)
	})
	mux.HandleFunc("/next", func(w http.ResponseWriter, r *http.Request) {
		nextAuth.Store(r.Header.Get("Authorization"))
		io.WriteString(w, "arrived")
	})
	mux.HandleFunc("/post", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		postBody.Store(string(b))
		postMethod.Store(r.Method)
	})
	srv := startServer(t, mux)
	c := connectors.NewClient(connectors.ClientOptions{})
	resp, err := c.Do(t.Context(), connectors.Request{
		URL: srv.URL + "/start", FollowRedirects: true,
		Header: http.Header{"Authorization": {"Basic a2V5Og=="}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "arrived" {
		t.Fatalf("got %d %q, want the redirect followed", resp.Status, resp.Body)
	}
	if resp.URL.String() != srv.URL+"/next?page=2" {
		t.Errorf("URL = %v, want where the answer came from", resp.URL)
	}
	if len(resp.Redirects) != 1 || resp.Redirects[0] != srv.URL+"/next?page=2" {
		t.Errorf("Redirects = %q, want the one address followed", resp.Redirects)
	}
	if got, _ := nextAuth.Load().(string); got != "Basic a2V5Og==" {
		t.Errorf("Authorization after a same-host redirect = %q, want it kept", got)
	}
	if c.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2 (the redirect hop counts)", c.Requests())
	}
	ex := c.Exchanges()
	if len(ex) != 2 || !strings.Contains(ex[0].Status, "302 Found") || ex[0].Request != "GET "+srv.URL+"/start" ||
		!strings.Contains(ex[1].Status, "200 OK") || ex[1].Excerpt != "arrived" {
		t.Errorf("Exchanges = %+v, want the 302 then the 200 with its excerpt", ex)
	}
	var r connectors.Result
	c.Finish(&r)
	if r.Requests != 2 || len(r.Exchanges) != 2 {
		t.Errorf("Finish gave %d requests, %d exchanges; want 2, 2", r.Requests, len(r.Exchanges))
	}

	// A 307 repeats the method and body on the same host.
	if _, err := c.Do(t.Context(), connectors.Request{Method: http.MethodPost, URL: srv.URL + "/post", Body: []byte("payload"), FollowRedirects: true}); err != nil {
		t.Fatal(err)
	}
	if postMethod.Load() != http.MethodPost || postBody.Load() != "payload" {
		t.Errorf("after 307: %v %q, want POST with the body", postMethod.Load(), postBody.Load())
	}
}

func TestClientNeverFollowsToAnotherHost(t *testing.T) {
	const key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"
	for _, tc := range []struct {
		name       string
		fromHost   string // how the client names the first server
		targetHost string // how the redirect names the second
		follow     bool
	}{
		{"127.0.0.1 to localhost", "127.0.0.1", "localhost", true},
		{"localhost to 127.0.0.1", "localhost", "127.0.0.1", true},
		{"same name, other port", "127.0.0.1", "127.0.0.1", true},
		{"without FollowRedirects", "127.0.0.1", "localhost", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := startCountingServer(t)
			target := "http://" + tc.targetHost + ":" + portOf(t, other.Server) + "/api/?ws_key=" + key
			first := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusMovedPermanently)
			}))
			from := "http://" + tc.fromHost + ":" + portOf(t, first) + "/api/"
			c := connectors.NewClient(connectors.ClientOptions{})
			resp, err := c.Do(t.Context(), connectors.Request{
				URL: from, FollowRedirects: tc.follow,
				Header: http.Header{"Authorization": {"Basic " + key}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != http.StatusMovedPermanently {
				t.Fatalf("status %d, want the 301 back", resp.Status)
			}
			if resp.Location() != target {
				t.Errorf("Location() = %q, want %q", resp.Location(), target)
			}
			if resp.URL.String() != from || len(resp.Redirects) != 0 {
				t.Errorf("URL = %v, Redirects = %v; want the first address, none followed", resp.URL, resp.Redirects)
			}
			if n := other.requests.Load(); n != 0 {
				t.Errorf("the other server received %d requests (auth %q, query %q), want none", n, other.auth, other.queries)
			}
			if c.Requests() != 1 {
				t.Errorf("Requests() = %d, want 1", c.Requests())
			}
		})
	}
}

func TestClientLocationResolvesRelative(t *testing.T) {
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "../moved/api/")
		w.WriteHeader(http.StatusFound)
	}))
	resp, err := connectors.NewClient(connectors.ClientOptions{}).Do(t.Context(), connectors.Request{URL: srv.URL + "/shop/api/"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusFound || resp.Location() != srv.URL+"/shop/moved/api/" {
		t.Errorf("%d, Location() = %q; want 302 and %s/shop/moved/api/", resp.Status, resp.Location(), srv.URL)
	}
	if got := (&connectors.Response{Header: http.Header{}}).Location(); got != "" {
		t.Errorf("Location() without a header = %q, want empty", got)
	}
}

func TestClientWithoutFollowRedirectsReturnsSameHost3xx(t *testing.T) {
	var next atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/next", http.StatusFound) })
	mux.HandleFunc("/next", func(w http.ResponseWriter, r *http.Request) { next.Add(1) })
	srv := startServer(t, mux)
	c := connectors.NewClient(connectors.ClientOptions{})
	resp, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + "/start"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusFound || next.Load() != 0 || c.Requests() != 1 || resp.Location() != srv.URL+"/next" {
		t.Errorf("status %d, /next hit %d times, %d requests, Location %q; want 302 not followed", resp.Status, next.Load(), c.Requests(), resp.Location())
	}
}

func TestClientStopsRedirectLoop(t *testing.T) {
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	}))
	c := connectors.NewClient(connectors.ClientOptions{})
	resp, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + "/loop", FollowRedirects: true})
	if err != nil {
		t.Fatalf("a redirect loop should end with the last 3xx, not %v", err)
	}
	if resp.Status != http.StatusFound || c.Requests() != 6 || len(resp.Redirects) != 5 {
		t.Errorf("status %d after %d requests, %d followed; want 302 after 6, 5 followed", resp.Status, c.Requests(), len(resp.Redirects))
	}
}

func TestClientNeverFollowsHTTPSToHTTP(t *testing.T) {
	plain := startCountingServer(t)
	target := "http://127.0.0.1:" + portOf(t, plain.Server) + "/api/"
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}))
	t.Cleanup(secure.Close)
	c := connectors.NewClient(connectors.ClientOptions{RootCAs: poolOf(secure.Certificate())})
	resp, err := c.Do(t.Context(), connectors.Request{
		URL: secure.URL + "/api/", FollowRedirects: true,
		Header: http.Header{"Authorization": {"Basic c2VjcmV0Og=="}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusFound || resp.Location() != target || len(resp.Redirects) != 0 {
		t.Errorf("status %d, Location %q, Redirects %v; want the 302 back", resp.Status, resp.Location(), resp.Redirects)
	}
	if n := plain.requests.Load(); n != 0 {
		t.Errorf("plain HTTP server received %d requests (auth %q), want none", n, plain.auth)
	}
}

func TestClientMasksSecretsInExchanges(t *testing.T) {
	const secret = "s3cr3t-TOKEN-4242"
	red := redact.New()
	red.Add(secret)
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/next?sig="+secret, http.StatusFound)
	})
	mux.HandleFunc("/next", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<p>your signature "+secret+" is fine</p>")
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // no answer at all: the client gets EOF
		}
	})
	srv := startServer(t, mux)
	c := connectors.NewClient(connectors.ClientOptions{Redactor: red})
	auth := http.Header{"Authorization": {"Bearer " + secret}}
	resp, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + "/start?sig=" + secret, Header: auth, FollowRedirects: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Body), secret) {
		t.Errorf("the body itself must stay intact for the connector: %q", resp.Body)
	}
	for _, r := range resp.Redirects {
		if strings.Contains(r, secret) || !strings.Contains(r, redact.Mask) {
			t.Errorf("Redirects entry %q: want the secret masked", r)
		}
	}

	// Failures: nothing listens, and a server that drops the connection.
	_, err = c.Do(t.Context(), connectors.Request{URL: "http://" + connectortest.DeadAddress(t) + "/?sig=" + secret, Header: auth})
	ne := netError(t, err, connectors.CodeUnreachable)
	_, err = c.Do(t.Context(), connectors.Request{URL: srv.URL + "/drop?sig=" + secret, Header: auth})
	ne2 := netError(t, err, connectors.CodeUnreachable)
	for _, text := range []string{ne.Message, ne.Hint, ne2.Message, ne2.Hint} {
		if strings.Contains(text, secret) {
			t.Errorf("a NetError text shows the secret: %q", text)
		}
	}

	if c.Requests() != 4 {
		t.Errorf("Requests() = %d, want 4 (2 for the redirect, 2 failures)", c.Requests())
	}
	ex := c.Exchanges()
	data, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret) || strings.Contains(string(data), url.QueryEscape(secret)) {
		t.Errorf("exchanges show the secret: %s", data)
	}
	if len(ex) != 4 || !strings.Contains(ex[0].Request, "sig="+redact.Mask) || !strings.Contains(ex[1].Excerpt, redact.Mask) || ex[3].Error == "" {
		t.Errorf("exchanges %s: want 4, the URL and excerpt masked, errors recorded", data)
	}
}

// Concurrent requests on one client each get their own answer's excerpt.
func TestClientExcerptBelongsToItsExchange(t *testing.T) {
	gate := make(chan struct{})
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-gate
		}
		io.WriteString(w, "answer for "+r.URL.Path)
	}))
	c := connectors.NewClient(connectors.ClientOptions{})
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + "/slow"})
		done <- err
	}()
	// Wait until /slow's exchange is recorded, then run /fast to the end.
	for len(c.Exchanges()) == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := c.Do(t.Context(), connectors.Request{URL: srv.URL + "/fast"}); err != nil {
		t.Fatal(err)
	}
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Exchanges() {
		path := e.Request[strings.LastIndex(e.Request, "/"):]
		if e.Excerpt != "answer for "+path {
			t.Errorf("exchange %q has excerpt %q", e.Request, e.Excerpt)
		}
	}
}

func poolOf(cert *x509.Certificate) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

func startTLSServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secure hello")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point here
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestClientTLSUntrustedAuthority(t *testing.T) {
	srv := startTLSServer(t)
	_, err := connectors.NewClient(connectors.ClientOptions{}).Do(t.Context(), connectors.Request{URL: srv.URL})
	ne := netError(t, err, connectors.CodeTLS)
	cert := srv.Certificate()
	if !strings.Contains(ne.Message, cert.Subject.String()) || !strings.Contains(ne.Message, cert.Issuer.String()) || !strings.Contains(ne.Message, hostPort(srv)) {
		t.Errorf("message %q: want the host, subject %q and issuer %q", ne.Message, cert.Subject, cert.Issuer)
	}
	if ne.Hint == "" {
		t.Error("want a hint")
	}
}

func TestClientTLSTrustedRoot(t *testing.T) {
	srv := startTLSServer(t)
	resp, err := connectors.NewClient(connectors.ClientOptions{RootCAs: poolOf(srv.Certificate())}).Do(t.Context(), connectors.Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "secure hello" {
		t.Errorf("got %d %q", resp.Status, resp.Body)
	}
}

func TestClientTLSWrongHostName(t *testing.T) {
	srv := startTLSServer(t)
	cert := srv.Certificate()
	// The certificate names 127.0.0.1, ::1 and example.com, not localhost.
	_, err := connectors.NewClient(connectors.ClientOptions{RootCAs: poolOf(cert)}).Do(t.Context(),
		connectors.Request{URL: "https://localhost:" + portOf(t, srv) + "/"})
	ne := netError(t, err, connectors.CodeTLS)
	if !strings.Contains(ne.Message, "localhost") {
		t.Errorf("message %q: want the name asked for", ne.Message)
	}
	for _, name := range cert.DNSNames {
		if !strings.Contains(ne.Message, name) {
			t.Errorf("message %q: want the certificate's name %q", ne.Message, name)
		}
	}
	for _, ip := range cert.IPAddresses {
		if !strings.Contains(ne.Message, ip.String()) {
			t.Errorf("message %q: want the certificate's address %s", ne.Message, ip)
		}
	}
}

func TestClientTLSExpiredCertificate(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: "shop.example", Organization: []string{"Expired Shop"}},
		NotBefore:    time.Now().Add(-48 * time.Hour),
		NotAfter:     time.Now().Add(-24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, err = connectors.NewClient(connectors.ClientOptions{RootCAs: poolOf(cert)}).Do(t.Context(), connectors.Request{URL: srv.URL})
	ne := netError(t, err, connectors.CodeTLS)
	if !strings.Contains(ne.Message, "expired") || !strings.Contains(ne.Message, "shop.example") {
		t.Errorf("message %q: want it to say the certificate of shop.example expired", ne.Message)
	}
}

func TestClientHTTPSToPlainHTTPServer(t *testing.T) {
	srv := startServer(t, http.NotFoundHandler())
	_, err := connectors.NewClient(connectors.ClientOptions{}).Do(t.Context(), connectors.Request{URL: "https://" + hostPort(srv) + "/"})
	ne := netError(t, err, connectors.CodeTLS)
	if !strings.Contains(ne.Hint, "Use HTTPS") || !strings.Contains(ne.Message, hostPort(srv)) {
		t.Errorf("message %q / hint %q: want the host and a hint about Use HTTPS", ne.Message, ne.Hint)
	}
}

func TestClientUnknownHostName(t *testing.T) {
	// .invalid never resolves (RFC 6761); this machine's resolver fails fast,
	// and the short timeout keeps a slow one from hanging the test.
	c := connectors.NewClient(connectors.ClientOptions{Timeout: 5 * time.Second})
	_, err := c.Do(t.Context(), connectors.Request{URL: "http://storelink-test.invalid/api/"})
	ne := netError(t, err, connectors.CodeUnreachable)
	if !strings.Contains(ne.Message, "storelink-test.invalid") {
		t.Errorf("message %q: want the name", ne.Message)
	}
}

// fakeDNS answers every query with NXDOMAIN ("no such name"), or with
// nothing when silent.
func fakeDNS(t *testing.T, silent bool) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	wg.Go(func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if silent || n < 12 {
				continue
			}
			q := buf[:n]
			end := 12 // skip the question's name, then its type and class
			for end < n && q[end] != 0 {
				end += int(q[end]) + 1
			}
			end += 5
			if end > n {
				continue
			}
			resp := append([]byte{q[0], q[1], 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0}, q[12:end]...)
			pc.WriteTo(resp, addr)
		}
	})
	return pc.LocalAddr().String()
}

func dialVia(dnsAddr string) connectors.DialFunc {
	d := &net.Dialer{Resolver: &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", dnsAddr)
	}}}
	return d.DialContext
}

func TestClientNameNotFound(t *testing.T) {
	c := connectors.NewClient(connectors.ClientOptions{Dial: dialVia(fakeDNS(t, false))})
	_, err := c.Do(t.Context(), connectors.Request{URL: "https://shop.example.invalid/api/"})
	ne := netError(t, err, connectors.CodeUnreachable)
	if !strings.Contains(ne.Message, "shop.example.invalid") || !strings.Contains(ne.Message, "DNS") {
		t.Errorf("message %q: want the name and DNS", ne.Message)
	}
}

func TestClientNameServerSilent(t *testing.T) {
	c := connectors.NewClient(connectors.ClientOptions{Dial: dialVia(fakeDNS(t, true)), Timeout: 300 * time.Millisecond})
	_, err := c.Do(t.Context(), connectors.Request{URL: "https://shop.example.invalid/api/"})
	if err == nil {
		t.Fatal("want an error")
	}
	var ne *connectors.NetError
	if !errors.As(err, &ne) || (ne.Code != connectors.CodeUnreachable && ne.Code != connectors.CodeTimeout) {
		t.Fatalf("err = %v, want unreachable or timeout", err)
	}
	t.Logf("%s: %s", ne.Code, ne.Message)
	if strings.Contains(ne.Message, "could not be found") {
		t.Errorf("message %q: the name server did not answer; it did not say the name is unknown", ne.Message)
	}
}

// The resolver's own time limit: nobody said the name does not exist.
func TestClientNameServerTimeout(t *testing.T) {
	c := connectors.NewClient(connectors.ClientOptions{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{
			Err: "i/o timeout", Name: "shop.example", Server: "10.255.255.53:53", IsTimeout: true}}
	}})
	_, err := c.Do(t.Context(), connectors.Request{URL: "https://shop.example/api/"})
	ne := netError(t, err, connectors.CodeUnreachable)
	if strings.Contains(ne.Message, "could not be found") || !strings.Contains(ne.Message, "shop.example") {
		t.Errorf("message %q: want the name, and not that it could not be found", ne.Message)
	}
}

func TestClientUsesDialSeam(t *testing.T) {
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	var calls atomic.Int32
	var addrs sync.Map
	var d net.Dialer
	c := connectors.NewClient(connectors.ClientOptions{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		calls.Add(1)
		addrs.Store(addr, network)
		return d.DialContext(ctx, network, addr)
	}})
	for range 2 {
		resp, err := c.Do(t.Context(), connectors.Request{URL: srv.URL})
		if err != nil || string(resp.Body) != "ok" {
			t.Fatalf("Do = %v, %v", resp, err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("Dial called %d times for two requests, want 1 (the connection is reused)", n)
	}
	if network, ok := addrs.Load(hostPort(srv)); !ok || network != "tcp" {
		t.Errorf("Dial was not asked for tcp %s", hostPort(srv))
	}

	// A failing seam (an agent that is down) is reported, not bypassed.
	down := connectors.NewClient(connectors.ClientOptions{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("agent tunnel closed")}
	}})
	_, err := down.Do(t.Context(), connectors.Request{URL: srv.URL})
	ne := netError(t, err, connectors.CodeUnreachable)
	if !strings.Contains(ne.Message, "agent tunnel closed") {
		t.Errorf("message %q: want the seam's reason", ne.Message)
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"  <h1>Hello</h1>\n\n\t<p>world</p> ", 100, "<h1>Hello</h1> <p>world</p>"},
		{"abcdef", 3, "abc..."},
		{"žžž", 3, "ž..."}, // never cut inside a character (ž is two bytes)
		{"", 10, ""},
	} {
		if got := connectors.Excerpt([]byte(tc.in), tc.n); got != tc.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestNetErrorKeepsItsCause(t *testing.T) {
	_, err := connectors.NewClient(connectors.ClientOptions{}).Do(t.Context(), connectors.Request{URL: "http://" + connectortest.DeadAddress(t) + "/"})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(%v, ECONNREFUSED) = false: NetError must unwrap to its cause", err)
	}
	r := connectors.FailFromError(errors.New("no route to the agent"))
	if r.OK || r.Code != connectors.CodeUnreachable || !strings.Contains(r.Message, "no route to the agent") {
		t.Errorf("FailFromError(plain error) = %+v", r)
	}
}
