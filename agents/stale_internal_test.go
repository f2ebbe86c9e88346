// A client whose connection went silent (a laptop that slept, a NAT that
// forgot it) is checked before use and replaced.
package agents

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"storelink/agents/sshtest"
)

// freezer forwards TCP connections to target until frozen: then the
// connections it carries stay open but pass nothing, while new ones work.
type freezer struct {
	mu     sync.Mutex
	frozen []chan struct{}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.frozen {
		close(ch)
	}
	f.frozen = nil
}

func (f *freezer) start(t *testing.T, target string) string {
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
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			stop := make(chan struct{})
			f.mu.Lock()
			f.frozen = append(f.frozen, stop)
			f.mu.Unlock()
			t.Cleanup(func() { c.Close(); up.Close() })
			pipe := func(dst, src net.Conn) {
				buf := make([]byte, 32<<10)
				for {
					n, err := src.Read(buf)
					select {
					case <-stop:
						return // frozen: drop everything, close nothing
					default:
					}
					if n > 0 {
						dst.Write(buf[:n])
					}
					if err != nil {
						if err == io.EOF {
							dst.(*net.TCPConn).CloseWrite()
						}
						return
					}
				}
			}
			go pipe(up, c)
			go pipe(c, up)
		}
	}()
	return ln.Addr().String()
}

// silentSetup is an agent reached through a freezer, and a store address.
func silentSetup(t *testing.T) (*freezer, *sshtest.Server, Config, string) {
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	t.Cleanup(shop.Close)
	k, err := sshtest.NewKey(sshtest.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	srv := sshtest.Start(t, sshtest.Options{Keys: map[string][]ssh.PublicKey{"deploy": {k.Public()}}})
	f := &freezer{}
	front := f.start(t, srv.Addr())
	host, port, _ := net.SplitHostPort(front)
	text, err := k.OpenSSH("")
	if err != nil {
		t.Fatal(err)
	}
	portN, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	c := Config{Name: "office", Host: host, Port: portN, User: "deploy", PrivateKey: text,
		HostKey: srv.Fingerprint(), KnownHosts: []string{}, ConnectTimeout: 2 * time.Second}
	return f, srv, c, shop.Listener.Addr().String()
}

func TestStaleClientIsReplaced(t *testing.T) {
	f, srv, c, shop := silentSetup(t)
	p := NewPool(PoolOptions{})
	t.Cleanup(p.Close)
	p.staleAfter, p.keepaliveLimit = 0, time.Second

	dial := func() error {
		conn, err := p.Dialer(c)(t.Context(), "tcp", shop)
		if err == nil {
			conn.Close()
		}
		return err
	}
	if err := dial(); err != nil {
		t.Fatal(err)
	}
	f.freeze()
	start := time.Now()
	if err := dial(); err != nil {
		t.Fatalf("dial after the connection went silent: %v", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("replacing the silent client took %s", d)
	}
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d sign-ins, want 2: the silent client replaced", n)
	}
}

// An open client asks the server to answer now and then, and is closed
// when it stops answering, tunnels and all.
func TestSilentClientIsClosed(t *testing.T) {
	f, _, c, shop := silentSetup(t)
	p := NewPool(PoolOptions{})
	t.Cleanup(p.Close)
	p.aliveEvery, p.keepaliveLimit = 100*time.Millisecond, 300*time.Millisecond
	conn, err := p.Dialer(c)(t.Context(), "tcp", shop)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(500 * time.Millisecond) // keepalives answered: still there
	p.mu.Lock()
	n := len(p.entries)
	p.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d clients in the pool while the server answers, want 1", n)
	}
	f.freeze()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		n := len(p.entries)
		p.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the silent client is still in the pool")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Error("a tunnel of the closed client still reads")
	}
}
