// Shared pieces of the agents tests: keys, an SSH server with a store
// behind it, and a request to the store through the pool.
package agents_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"storelink/agents"
	"storelink/agents/sshtest"
	"storelink/connectors"
)

// Secrets the tests use; no message may contain them.
const (
	password   = "correct horse battery staple"
	passphrase = "open sesame 42"
)

var (
	keysMu sync.Mutex
	keys   = map[string]*sshtest.Key{}
)

// key returns a key of kind, the same one for every test (RSA is slow to make).
func key(t *testing.T, kind string) *sshtest.Key {
	t.Helper()
	keysMu.Lock()
	defer keysMu.Unlock()
	if k, ok := keys[kind]; ok {
		return k
	}
	k, err := sshtest.NewKey(kind)
	if err != nil {
		t.Fatal(err)
	}
	keys[kind] = k
	return k
}

// freshKey is a key no server knows.
func freshKey(t *testing.T, kind string) *sshtest.Key {
	t.Helper()
	k, err := sshtest.NewKey(kind)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func openSSH(t *testing.T, k *sshtest.Key, pass string) string {
	t.Helper()
	s, err := k.OpenSSH(pass)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var encryptedOnce = sync.OnceValues(func() (string, error) {
	keysMu.Lock()
	k := keys[sshtest.Ed25519]
	keysMu.Unlock()
	return k.OpenSSH(passphrase)
})

// encrypted is the shared Ed25519 key in OpenSSH format with the
// passphrase, made once: its bcrypt is slow under -race.
func encrypted(t *testing.T) string {
	t.Helper()
	key(t, sshtest.Ed25519)
	s, err := encryptedOnce()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// storeHost is the store's name on the agent's network: this computer
// cannot resolve it, so only a tunnel reaches it.
const storeHost = "shop.internal"

// store starts a store that answers {"shop":"ok"} and returns its address
// on this computer.
func store(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"shop":"ok"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// server starts an SSH server that lets "deploy" in with the shared
// Ed25519 key and the password, and forwards shop.internal:80 to a store.
func server(t *testing.T, mod func(*sshtest.Options)) *sshtest.Server {
	t.Helper()
	opts := sshtest.Options{
		Passwords: map[string]string{"deploy": password},
		Keys:      map[string][]ssh.PublicKey{"deploy": {key(t, sshtest.Ed25519).Public()}},
		Hosts:     map[string]string{storeHost + ":80": store(t)},
	}
	if mod != nil {
		mod(&opts)
	}
	return sshtest.Start(t, opts)
}

// agentFor is an agent for srv that signs in with the shared key, its host
// key pinned, and no known_hosts consulted.
func agentFor(t *testing.T, srv *sshtest.Server) agents.Config {
	t.Helper()
	return agents.Config{
		Name: "office", Host: srv.Host(), Port: srv.Port(), User: "deploy",
		Auth: agents.AuthKey, PrivateKey: openSSH(t, key(t, sshtest.Ed25519), ""),
		HostKey: srv.Fingerprint(), KnownHosts: []string{},
		ConnectTimeout: 5 * time.Second,
	}
}

// fetch asks the store for / through the agent, as a connector would, and
// returns the result FailFromError makes of a failure.
func fetch(t *testing.T, p *agents.Pool, c agents.Config, url string) connectors.Result {
	t.Helper()
	return fetchCtx(t.Context(), p, c, url)
}

func fetchCtx(ctx context.Context, p *agents.Pool, c agents.Config, url string) connectors.Result {
	client := connectors.NewClient(connectors.ClientOptions{Dial: p.Dialer(c), Timeout: 10 * time.Second})
	resp, err := client.Do(ctx, connectors.Request{URL: url})
	if err != nil {
		return connectors.FailFromError(err)
	}
	if resp.Status != 200 || !strings.Contains(string(resp.Body), `"shop":"ok"`) {
		return connectors.Fail(connectors.CodeNotAPI, fmt.Sprintf("%d %s", resp.Status, resp.Body), "")
	}
	return connectors.Success("store answered")
}

func newPool(t *testing.T, opts agents.PoolOptions) *agents.Pool {
	p := agents.NewPool(opts)
	t.Cleanup(p.Close)
	return p
}

// wantOK fails the test unless r passed.
func wantOK(t *testing.T, what string, r connectors.Result) {
	t.Helper()
	if !r.OK {
		t.Fatalf("%s: %s: %s (hint: %s)", what, r.Code, r.Message, r.Hint)
	}
}

// wantCode checks r's code and that its message has every part.
func wantCode(t *testing.T, what string, r connectors.Result, code connectors.Code, parts ...string) {
	t.Helper()
	if r.OK || r.Code != code {
		t.Errorf("%s: got %s %q, want %s", what, r.Code, r.Message, code)
		return
	}
	for _, p := range parts {
		if !strings.Contains(r.Message, p) {
			t.Errorf("%s: message %q does not say %q", what, r.Message, p)
		}
	}
	if r.Hint == "" && code != connectors.CodeCanceled {
		t.Errorf("%s: %s has no hint", what, code)
	}
	noSecrets(t, what, r.Message+"\n"+r.Hint)
}

// noSecrets fails if text holds a password, passphrase or a line of a key.
func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	secrets := []string{password, passphrase}
	keysMu.Lock()
	for _, k := range keys {
		for _, enc := range []func(string) (string, error){k.OpenSSH, k.PEM} {
			s, err := enc("")
			if err != nil {
				continue
			}
			for _, line := range strings.Split(s, "\n") {
				if len(line) > 20 && !strings.HasPrefix(line, "-----") {
					secrets = append(secrets, line)
				}
			}
		}
	}
	keysMu.Unlock()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s: a secret leaked into %q", what, text)
		}
	}
}

// knownHostsFile writes a known_hosts file listing key for addr.
func knownHostsFile(t *testing.T, addr string, key ssh.PublicKey) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	line := "# written by the test\n" + knownhosts.Line([]string{knownhosts.Normalize(addr)}, key) + "\n"
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// eventually waits up to 5 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// listener accepts TCP connections and hands each to serve.
func listener(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return ln.Addr().String()
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
