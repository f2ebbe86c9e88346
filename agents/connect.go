package agents

// One SSH connection to one agent: reach it (directly, or tunnelled
// through its jump agent), check its host key, sign in.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"storelink/connectors"
)

// stage is how far a connection got, for "Test agent"'s checks.
type stage int

const (
	stageNone     stage = iota
	stageReached        // TCP (or the jump tunnel) is open
	stageVerified       // the host key was accepted
	stageSignedIn
)

// session is a connected, signed-in agent, or what was learnt before it failed.
type session struct {
	client  *ssh.Client
	version string // the server's, "SSH-2.0-OpenSSH_9.6"
	hk      *hostKeyCheck
	seen    hostKeySeen // the host key of this connection, and the decision
	stage   stage
}

// connect opens a new SSH connection to c, its jump chain taken from p.
func (p *Pool) connect(ctx context.Context, c Config) (*session, error) {
	if err := c.Validate(); err != nil {
		return &session{}, err
	}
	// Decrypting a key takes a while (bcrypt); the hop's time starts after.
	sign, err := prepareSignIn(ctx, c)
	if err != nil {
		if ctx.Err() != nil {
			return &session{}, contextError(ctx, c, err)
		}
		return &session{}, err
	}
	defer sign.close()
	hopCtx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()

	hk := newHostKeyCheck(c)
	algos := hk.algorithms()
	var first *session // the first pin mismatch, reported if no other host key matches
	for {
		hk.reset()
		s := &session{hk: hk}
		err := p.handshake(hopAttempt{ctx: ctx, hopCtx: hopCtx, c: c, sign: sign, algos: algos}, s)
		if err == nil {
			return s, nil
		}
		// A server has a key of each kind; the pin may be of another kind
		// than the one it showed first. Ask for the others before failing.
		if hk.pin != "" && s.seen.err != nil && s.seen.err.Code == connectors.CodeHostKeyChanged {
			if first == nil {
				first = s
			}
			shown := algorithmsFor(s.seen.keyType)
			algos = slices.DeleteFunc(slices.Clone(algos), func(a string) bool { return slices.Contains(shown, a) })
			if len(algos) > 0 {
				continue
			}
		}
		if first != nil && (s.seen.err != nil || strings.Contains(err.Error(), "no common algorithm for host key")) {
			return first, first.seen.err
		}
		return s, err
	}
}

// hopAttempt is one try at an agent: the test's context (cancelled by the
// user) and the hop's (its time limit), how to sign in, and the host-key
// algorithms to ask for. It lives for one call of handshake.
type hopAttempt struct {
	ctx, hopCtx context.Context
	c           Config
	sign        *signIn
	algos       []string
}

// handshake does one attempt into s: reach, verify, sign in.
func (p *Pool) handshake(a hopAttempt, s *session) error {
	ctx, hopCtx, c, sign := a.ctx, a.hopCtx, a.c, a.sign
	conn, err := p.reach(hopCtx, c)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return err
		}
		if hopCtx.Err() != nil {
			return contextError(ctx, c, err)
		}
		return dialError(c, err)
	}
	s.stage = stageReached
	// Neither the handshake nor sign-in take a context: a deadline (on TCP)
	// and closing the connection when ctx ends (on a tunnel) bound them.
	if deadline, ok := hopCtx.Deadline(); ok {
		conn.SetDeadline(deadline) // a tunnel has no deadlines; AfterFunc covers it
	}
	heard := &recordingConn{Conn: conn}
	stop := context.AfterFunc(hopCtx, func() { heard.Close() })
	config := &ssh.ClientConfig{
		User:              c.User,
		Auth:              sign.methods,
		AuthCallback:      sign.record,
		HostKeyCallback:   s.hk.callback,
		HostKeyAlgorithms: a.algos,
		ClientVersion:     "SSH-2.0-Storelink_" + connectors.Version,
	}
	sc, chans, reqs, err := ssh.NewClientConn(heard, c.Addr(), config)
	s.seen = s.hk.seen()
	if !stop() || err != nil {
		conn.Close()
		if err == nil {
			sc.Close()
			err = hopCtx.Err()
		}
		return s.handshakeError(a, heard.firstLine(), err)
	}
	conn.SetDeadline(time.Time{})
	s.stage = stageSignedIn
	s.client = ssh.NewClient(sc, chans, reqs)
	s.version = string(sc.ServerVersion())
	return nil
}

// handshakeError says at which step attempt a failed; heard is the
// server's first line, if it sent one.
func (s *session) handshakeError(a hopAttempt, heard string, err error) error {
	ctx, hopCtx, c, sign := a.ctx, a.hopCtx, a.c, a.sign
	if s.seen.accepted {
		s.stage = stageVerified
	}
	switch {
	case s.seen.err != nil:
		return s.seen.err
	case hopCtx.Err() != nil:
		return contextError(ctx, c, err)
	case s.seen.accepted && isAuthFailure(err, sign):
		e := sign.refused(err)
		e.HostKey = s.seen.fingerprint
		return e
	}
	e := newError(c, connectors.CodeAgentUnreachable)
	e.Err, e.HostKey = err, s.seen.fingerprint
	why := cause(err)
	switch {
	case isTimeout(err):
		return contextError(ctx, c, err)
	case heard != "" && !strings.HasPrefix(heard, "SSH-"):
		e.Message = fmt.Sprintf("%s: something answers there, but it is not an SSH server (it said %q).", c.Label(), heard)
		e.Hint = "Check the port: SSH usually listens on 22, and this port belongs to another service."
	case strings.Contains(why, "version") || strings.Contains(why, "overflow") || strings.Contains(why, "no header"):
		e.Message = fmt.Sprintf("%s: something answers there, but it is not an SSH server (%s).", c.Label(), why)
		e.Hint = "Check the port: SSH usually listens on 22, and this port may belong to another service."
	case heard == "":
		e.Message = fmt.Sprintf("%s: the server closed the connection before saying anything (%s).", c.Label(), why)
		e.Hint = "The SSH server may be refusing this address (fail2ban, TCP wrappers, MaxStartups), or the port belongs to another service; check its log (journalctl -u ssh)."
	case strings.Contains(why, "no common algorithm"):
		e.Message = fmt.Sprintf("%s: the SSH server and Storelink have no encryption method in common (%s).", c.Label(), why)
		e.Hint = "The server is very old or restricted; update OpenSSH on it or allow current algorithms in sshd_config."
	case s.seen.accepted:
		e.Message = fmt.Sprintf("%s: the server closed the connection during sign-in (%s).", c.Label(), why)
		e.Hint = "Check the server's SSH log (journalctl -u ssh): it may limit connections, or block this address (fail2ban)."
	default:
		e.Message = fmt.Sprintf("%s: the SSH handshake failed (%s).", c.Label(), why)
		e.Hint = "Check the server's SSH log (journalctl -u ssh): it may limit connections (MaxStartups), or block this address (fail2ban)."
	}
	return e
}

func isAuthFailure(err error, sign *signIn) bool {
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "unable to authenticate") || strings.Contains(msg, "too many authentication") {
		return true
	}
	sign.mu.Lock()
	defer sign.mu.Unlock()
	return sign.tried && !errors.Is(err, io.EOF) && !isTimeout(err)
}

// reach opens the byte stream SSH runs over: TCP, or a tunnel through
// the jump agent.
func (p *Pool) reach(ctx context.Context, c Config) (net.Conn, error) {
	if c.Via != nil {
		return p.dialThrough(ctx, "tcp", route{via: *c.Via, addr: c.Addr(), next: &c})
	}
	d := net.Dialer{KeepAlive: 30 * time.Second}
	return d.DialContext(ctx, "tcp", c.Addr())
}

// recordingConn keeps the first bytes the server sent, to tell a server that
// is not SSH from one that hangs up.
type recordingConn struct {
	net.Conn
	mu   sync.Mutex
	head []byte
}

func (r *recordingConn) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	if room := 256 - len(r.head); room > 0 {
		r.head = append(r.head, b[:min(n, room)]...)
	}
	r.mu.Unlock()
	return n, err
}

// firstLine is the first line heard, printable, at most 60 characters.
func (r *recordingConn) firstLine() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	line, _, _ := strings.Cut(string(r.head), "\n")
	line = strings.Map(func(c rune) rune {
		if c < 32 || c == 127 || c == utf8.RuneError {
			return -1
		}
		return c
	}, line)
	if len(line) > 60 {
		line = strings.ToValidUTF8(line[:60], "") + "…"
	}
	return line
}
