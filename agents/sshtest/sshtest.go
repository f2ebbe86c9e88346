// Package sshtest runs SSH servers in the test process, on loopback, for
// tests of agents: password and public-key sign-in, a chosen version
// string, direct-tcpip forwarding (which can be refused), stop and restart
// on the same port. It also makes keys in every format agents read, and
// serves an ssh-agent on a Unix socket.
package sshtest

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// DefaultVersion is the version string a Server reports.
const DefaultVersion = "SSH-2.0-StorelinkTest_1.0"

// Options configure a Server.
type Options struct {
	// Passwords by user; nil offers no password sign-in.
	Passwords map[string]string
	// Keys that may sign in, by user; nil offers no public-key sign-in.
	Keys map[string][]ssh.PublicKey
	// Version is what the server says it is; "" is DefaultVersion.
	Version string
	// HostKeys are the server's; nil makes one Ed25519 key.
	HostKeys []ssh.Signer
	// RefuseForwarding refuses every direct-tcpip channel as
	// "administratively prohibited", as AllowTcpForwarding no does.
	RefuseForwarding bool
	// Hosts maps the addresses clients ask for to real ones, like the DNS of
	// the agent's network: "shop.internal:80" -> "127.0.0.1:41234".
	Hosts map[string]string
	// MaxAuthTries is how many sign-in attempts a connection gets; 0 is 6.
	MaxAuthTries int
}

// Server is an SSH server on 127.0.0.1.
type Server struct {
	opts   Options
	config *ssh.ServerConfig
	addr   string

	mu       sync.Mutex
	ln       net.Listener
	conns    map[net.Conn]struct{}
	refuse   bool
	logins   int
	forwards []string
	done     chan struct{} // closed when the accept loop ends
}

// Start starts a server on a free port and stops it when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// New starts a server on a free port.
func New(opts Options) (*Server, error) {
	if opts.Version == "" {
		opts.Version = DefaultVersion
	}
	if opts.HostKeys == nil {
		k, err := NewKey(Ed25519)
		if err != nil {
			return nil, err
		}
		opts.HostKeys = []ssh.Signer{k.Signer}
	}
	s := &Server{opts: opts, refuse: opts.RefuseForwarding, conns: map[net.Conn]struct{}{}}
	s.config = &ssh.ServerConfig{ServerVersion: opts.Version, MaxAuthTries: opts.MaxAuthTries}
	if opts.Passwords != nil {
		s.config.PasswordCallback = func(meta ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			want, ok := opts.Passwords[meta.User()]
			if ok && subtle.ConstantTimeCompare([]byte(want), pw) == 1 {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		}
	}
	if opts.Keys != nil {
		s.config.PublicKeyCallback = func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			for _, k := range opts.Keys[meta.User()] {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return nil, nil
				}
			}
			return nil, errors.New("unknown key")
		}
	}
	for _, k := range opts.HostKeys {
		s.config.AddHostKey(k)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// Host is the address clients dial.
func (s *Server) Host() string { h, _, _ := net.SplitHostPort(s.addr); return h }

// Port is the port it listens on, the same after Restart.
func (s *Server) Port() int { _, p, _ := net.SplitHostPort(s.addr); n, _ := strconv.Atoi(p); return n }

// HostKey is the server's first host key.
func (s *Server) HostKey() ssh.PublicKey { return s.opts.HostKeys[0].PublicKey() }

// Fingerprint is HostKey's SHA-256 fingerprint.
func (s *Server) Fingerprint() string { return ssh.FingerprintSHA256(s.HostKey()) }

// Version is the version string the server reports.
func (s *Server) Version() string { return s.opts.Version }

// SetRefuseForwarding switches refusing direct-tcpip channels.
func (s *Server) SetRefuseForwarding(refuse bool) {
	s.mu.Lock()
	s.refuse = refuse
	s.mu.Unlock()
}

// Connections is how many SSH connections are open now.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Logins is how many connections signed in since the start.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Forwards are the addresses channels were asked for, in order.
func (s *Server) Forwards() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.forwards...)
}

// Stop closes the listener and every connection, as a server going down
// does. It may be called more than once.
func (s *Server) Stop() {
	s.mu.Lock()
	ln, done := s.ln, s.done
	s.ln = nil
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
		<-done
	}
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
}

// Restart listens again on the same port after Stop.
func (s *Server) Restart() error {
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

func (s *Server) serve(ln net.Listener) {
	done := make(chan struct{})
	s.mu.Lock()
	s.ln, s.done = ln, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[c] = struct{}{}
			s.mu.Unlock()
			go s.handle(c)
		}
	}()
}

func (s *Server) handle(c net.Conn) {
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.config)
	if err != nil {
		return
	}
	defer sc.Close()
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
	go func() { // global requests, keepalives among them: "unknown", as OpenSSH says
		for r := range reqs {
			if r.WantReply {
				r.Reply(false, nil)
			}
		}
	}()
	for nc := range chans {
		if nc.ChannelType() != "direct-tcpip" {
			nc.Reject(ssh.UnknownChannelType, "only direct-tcpip here")
			continue
		}
		go s.forward(nc)
	}
}

// forward serves one direct-tcpip channel, as sshd does.
func (s *Server) forward(nc ssh.NewChannel) {
	var req struct {
		Host       string
		Port       uint32
		OriginHost string
		OriginPort uint32
	}
	if err := ssh.Unmarshal(nc.ExtraData(), &req); err != nil {
		nc.Reject(ssh.ConnectionFailed, "bad direct-tcpip request")
		return
	}
	target := net.JoinHostPort(req.Host, strconv.Itoa(int(req.Port)))
	s.mu.Lock()
	s.forwards = append(s.forwards, target)
	refuse := s.refuse
	s.mu.Unlock()
	if refuse {
		nc.Reject(ssh.Prohibited, "open failed")
		return
	}
	if real, ok := s.opts.Hosts[target]; ok {
		target = real
	}
	tc, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		nc.Reject(ssh.ConnectionFailed, "Connection refused")
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		tc.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		io.Copy(ch, tc)
		ch.CloseWrite()
	}()
	go func() {
		defer wg.Done()
		io.Copy(tc, ch)
		tc.(*net.TCPConn).CloseWrite()
	}()
	wg.Wait()
	ch.Close()
	tc.Close()
}
