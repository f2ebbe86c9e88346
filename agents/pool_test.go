// Stores reached through the pool: shared clients, refused and failed
// tunnels, reconnects, jump agents, idle clients.
package agents_test

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"storelink/agents"
	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/connectors/connectortest"
)

func TestStoreThroughAgent(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)
	wantOK(t, "store", fetch(t, p, c, "http://"+storeHost+"/"))
	if got := srv.Forwards(); !slices.Equal(got, []string{storeHost + ":80"}) {
		t.Errorf("the agent forwarded to %v, want only %s:80", got, storeHost)
	}
	// Without the agent this computer cannot even resolve the store.
	direct := connectors.NewClient(connectors.ClientOptions{ConnectTimeout: time.Second})
	if _, err := direct.Do(t.Context(), connectors.Request{URL: "http://" + storeHost + "/"}); err == nil {
		t.Fatal("the store is reachable without the agent: the test proves nothing")
	}
}

// TLS runs end to end through the tunnel: the agent sees only bytes.
func TestStoreTLSThroughAgent(t *testing.T) {
	shop := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"shop":"ok"}`))
	}))
	t.Cleanup(shop.Close)
	srv := server(t, nil)
	roots := x509.NewCertPool()
	roots.AddCert(shop.Certificate())
	p := newPool(t, agents.PoolOptions{})
	client := connectors.NewClient(connectors.ClientOptions{Dial: p.Dialer(agentFor(t, srv)), RootCAs: roots})
	resp, err := client.Do(t.Context(), connectors.Request{URL: shop.URL + "/"})
	if err != nil || resp.Status != 200 {
		t.Fatalf("HTTPS through the agent: %v %+v", err, resp)
	}
	if got := srv.Forwards(); len(got) != 1 || got[0] != shop.Listener.Addr().String() {
		t.Errorf("the agent forwarded to %v", got)
	}
}

func TestOneClientPerAgent(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)
	var wg sync.WaitGroup
	results := make([]connectors.Result, 12)
	for i := range results {
		wg.Go(func() { results[i] = fetch(t, p, c, "http://"+storeHost+"/") })
	}
	wg.Wait()
	for _, r := range results {
		wantOK(t, "concurrent store request", r)
	}
	if n := srv.Logins(); n != 1 {
		t.Errorf("%d SSH sign-ins for 12 requests, want 1 shared client", n)
	}
	// An edited agent gets a client of its own.
	c.Auth, c.PrivateKey, c.Password = agents.AuthPassword, "", password
	wantOK(t, "edited agent", fetch(t, p, c, "http://"+storeHost+"/"))
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d sign-ins after an edit, want 2", n)
	}
}

func TestForwardingRefused(t *testing.T) {
	srv := server(t, func(o *sshtest.Options) { o.RefuseForwarding = true })
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)
	// The agent itself is fine...
	wantOK(t, "Test agent", agents.Test(t.Context(), p, c).Result)
	// ...but will not tunnel: the store test reports the agent's code.
	r := fetch(t, p, c, "http://"+storeHost+"/")
	wantCode(t, "store", r, connectors.CodeAgentForwardingRefused, `Agent "office" (`+srv.Addr()+`)`, "refused to open a tunnel", storeHost+":80")
	srv.SetRefuseForwarding(false)
	wantOK(t, "allowed again", fetch(t, p, c, "http://"+storeHost+"/"))
}

// The agent works, the store behind it does not answer: the store's code,
// with the agent named.
func TestStoreUnreachableBehindAgent(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	r := fetch(t, p, agentFor(t, srv), "http://"+connectortest.DeadAddress(t)+"/")
	wantCode(t, "store", r, connectors.CodeUnreachable, `Agent "office"`, "could not reach the store")
}

func TestReconnectAfterRestart(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)
	url := "http://" + storeHost + "/"
	wantOK(t, "before", fetch(t, p, c, url))

	srv.Stop()
	wantCode(t, "while down", fetch(t, p, c, url), connectors.CodeAgentUnreachable, `Agent "office"`, "nothing accepts connections")

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	wantOK(t, "after restart", fetch(t, p, c, url))
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d sign-ins, want 2 (one per server life)", n)
	}
}

// The pool may hold a client whose connection died without it noticing
// yet: the dial reconnects once instead of failing.
func TestReconnectOnceWhenTheClientIsBroken(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)
	url := "http://" + storeHost + "/"
	wantOK(t, "before", fetch(t, p, c, url))
	srv.Stop()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 { // right after the restart, whether or not the pool noticed
		wantOK(t, "after restart", fetch(t, p, c, url))
		_ = i
	}
}

func TestVia(t *testing.T) {
	office := server(t, nil)
	// Only the jump agent knows where the office agent is.
	jump := server(t, func(o *sshtest.Options) { o.Hosts = map[string]string{"office.internal:22": office.Addr()} })
	p := newPool(t, agents.PoolOptions{})
	j := agentFor(t, jump)
	j.Name = "jump"
	c := agentFor(t, office)
	c.Host, c.Port, c.Via = "office.internal", 22, &j

	out := agents.Test(t.Context(), p, c)
	wantOK(t, "Test through jump", out.Result)
	if out.HostKey != office.Fingerprint() {
		t.Errorf("HostKey = %s, want the office agent's", out.HostKey)
	}
	wantOK(t, "store through two agents", fetch(t, p, c, "http://"+storeHost+"/"))
	if got := jump.Forwards(); !slices.Contains(got, "office.internal:22") || slices.Contains(got, storeHost+":80") {
		t.Errorf("jump forwarded to %v, want only the office agent", got)
	}
	if got := office.Forwards(); !slices.Equal(got, []string{storeHost + ":80"}) {
		t.Errorf("office forwarded to %v, want only the store", got)
	}

	t.Run("jump host key unknown", func(t *testing.T) {
		j2 := j
		j2.HostKey = ""
		c2 := c
		c2.Via = &j2
		out := agents.Test(t.Context(), p, c2)
		wantCode(t, "Test", out.Result, connectors.CodeHostKeyUnknown, `Agent "jump"`, jump.Fingerprint())
		if out.Hop != "jump" || out.HostKey != jump.Fingerprint() {
			t.Errorf("outcome %+v: want hop jump and its fingerprint", out)
		}
		wantCode(t, "store", fetch(t, p, c2, "http://"+storeHost+"/"), connectors.CodeHostKeyUnknown, `Agent "jump"`)
	})
	t.Run("office host key unknown", func(t *testing.T) {
		c2 := c
		c2.HostKey = ""
		out := agents.Test(t.Context(), p, c2)
		wantCode(t, "Test", out.Result, connectors.CodeHostKeyUnknown, `Agent "office" (office.internal:22)`, office.Fingerprint())
		if out.Hop != "office" || out.HostKey != office.Fingerprint() {
			t.Errorf("outcome %+v: want hop office and its fingerprint", out)
		}
	})
	t.Run("office not reachable from jump", func(t *testing.T) {
		c2 := c
		c2.Host = "elsewhere.internal"
		out := agents.Test(t.Context(), p, c2)
		wantCode(t, "Test", out.Result, connectors.CodeAgentUnreachable, `Agent "jump"`, `agent "office" (elsewhere.internal:22)`)
		if out.Hop != "office" {
			t.Errorf("Hop = %q, want office (the agent that cannot be reached)", out.Hop)
		}
	})
	t.Run("jump refuses to forward", func(t *testing.T) {
		refusing := server(t, func(o *sshtest.Options) { o.RefuseForwarding = true })
		j2 := agentFor(t, refusing)
		j2.Name = "jump"
		c2 := c
		c2.Via = &j2
		out := agents.Test(t.Context(), p, c2)
		wantCode(t, "Test", out.Result, connectors.CodeAgentForwardingRefused, `Agent "jump"`, `agent "office"`)
		if out.Hop != "jump" {
			t.Errorf("Hop = %q, want jump", out.Hop)
		}
	})
	t.Run("jump restarts", func(t *testing.T) {
		jump.Stop()
		if err := jump.Restart(); err != nil {
			t.Fatal(err)
		}
		wantOK(t, "store after the jump agent restarted", fetch(t, p, c, "http://"+storeHost+"/"))
	})
}

func TestIdleClientsClose(t *testing.T) {
	office := server(t, nil)
	jump := server(t, func(o *sshtest.Options) { o.Hosts = map[string]string{"office.internal:22": office.Addr()} })
	p := newPool(t, agents.PoolOptions{IdleTimeout: 200 * time.Millisecond})
	j := agentFor(t, jump)
	j.Name = "jump"
	c := agentFor(t, office)
	c.Host, c.Port, c.Via = "office.internal", 22, &j

	conn, err := p.Dialer(c)(t.Context(), "tcp", storeHost+":80")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	if office.Connections() != 1 || jump.Connections() != 1 {
		t.Fatalf("a client with an open tunnel was closed (office %d, jump %d connections)", office.Connections(), jump.Connections())
	}
	conn.Close()
	eventually(t, "both idle clients are closed", func() bool { return office.Connections() == 0 && jump.Connections() == 0 })

	// And the next dial connects again.
	wantOK(t, "after idle close", fetch(t, p, c, "http://"+storeHost+"/"))
}

func TestPoolClose(t *testing.T) {
	srv := server(t, nil)
	p := agents.NewPool(agents.PoolOptions{})
	c := agentFor(t, srv)
	wantOK(t, "before", fetch(t, p, c, "http://"+storeHost+"/"))
	p.Close()
	eventually(t, "the client is closed", func() bool { return srv.Connections() == 0 })
	wantCode(t, "after Close", fetch(t, p, c, "http://"+storeHost+"/"), connectors.CodeCanceled)
}

// Dials honour their context while the agent connects.
func TestDialHonoursContext(t *testing.T) {
	silent := listener(t, func(c net.Conn) { time.Sleep(10 * time.Second); c.Close() })
	c := agents.Config{Name: "office", Host: "127.0.0.1", Port: portOf(t, silent), User: "deploy",
		Auth: agents.AuthPassword, Password: password, KnownHosts: []string{}, ConnectTimeout: time.Minute}
	p := newPool(t, agents.PoolOptions{})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Dialer(c)(ctx, "tcp", storeHost+":80")
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("dial returned %v after %s", err, time.Since(start))
	}
}
