package agents

// The pool shares one SSH client per agent among every connection that
// goes through it, reconnects after a failure and closes idle clients.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"storelink/connectors"
)

// DefaultIdleTimeout is how long an unused SSH client stays open.
const DefaultIdleTimeout = 5 * time.Minute

// staleAfter is how long a client may sit unused before it is checked with
// a keepalive before use: a laptop that slept, or a NAT that forgot the
// connection, leaves a client that looks open but no longer answers.
const staleAfter = 20 * time.Second

// keepaliveLimit bounds that check.
const keepaliveLimit = 5 * time.Second

// aliveEvery is how often an open client asks the server to answer, as
// ssh's ServerAliveInterval does: it keeps NATs from forgetting the
// connection, and closes one that no longer answers.
const aliveEvery = 30 * time.Second

// PoolOptions configure a Pool. Zero values mean defaults.
type PoolOptions struct {
	IdleTimeout time.Duration // an unused client is closed after this; default 5 min
}

// Pool holds the SSH clients of agents, one per agent configuration.
// Safe for concurrent use; one is made in main and shared.
type Pool struct {
	idle           time.Duration
	staleAfter     time.Duration
	keepaliveLimit time.Duration
	aliveEvery     time.Duration
	// life ends with Close; it bounds the pool's own keepalives, which
	// belong to no caller.
	life context.Context
	end  context.CancelFunc

	mu      sync.Mutex
	entries map[string]*entry
	closed  bool
}

// entry is one agent's client, or the connection to it under way.
type entry struct {
	key  string
	done chan struct{} // closed when the connection attempt has finished
	s    *session      // set before done is closed; s.client nil on failure
	err  error

	// Guarded by Pool.mu.
	active   int // tunnels open and dials under way
	lastUsed time.Time
	idle     *time.Timer
	dead     bool
}

// NewPool makes an empty pool.
func NewPool(opts PoolOptions) *Pool {
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	life, end := context.WithCancel(context.Background())
	return &Pool{idle: opts.IdleTimeout, staleAfter: staleAfter, keepaliveLimit: keepaliveLimit, aliveEvery: aliveEvery,
		life: life, end: end, entries: map[string]*entry{}}
}

// Dialer returns the DialFunc of connections that go through agent c:
// every connection is a direct-tcpip channel of the agent's shared SSH
// client, opened by the agent to the address asked for. It never falls
// back to a direct connection.
func (p *Pool) Dialer(c Config) connectors.DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return p.dialThrough(ctx, network, route{via: c, addr: addr})
	}
}

// Close closes every client; dials afterwards fail.
func (p *Pool) Close() {
	p.end()
	p.mu.Lock()
	p.closed = true
	var clients []*ssh.Client
	for key, e := range p.entries {
		delete(p.entries, key)
		if e.s != nil && e.s.client != nil {
			p.retire(e)
			clients = append(clients, e.s.client)
		}
	}
	p.mu.Unlock()
	for _, c := range clients {
		c.Close()
	}
}

// route is a tunnel asked of an agent: from agent via to addr, which is
// the store's address or, when next is set, the next agent of a chain.
type route struct {
	via  Config
	addr string
	next *Config // nil for a store
}

// dialThrough opens a channel along r.
func (p *Pool) dialThrough(ctx context.Context, network string, r route) (net.Conn, error) {
	c, addr := r.via, r.addr
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, fmt.Errorf("agents: cannot tunnel %s connections to %s", network, addr)
	}
	var broken error
	for attempt := 0; attempt < 2; attempt++ {
		e, err := p.acquire(ctx, c)
		if err != nil {
			return nil, err
		}
		if p.stale(e) {
			if err := keepalive(ctx, e.s.client, p.keepaliveLimit); err != nil {
				p.release(e)
				if ctx.Err() != nil {
					return nil, tunnelTimeout(ctx, r, err)
				}
				p.discard(e)
				broken = err
				continue
			}
		}
		conn, err := e.s.client.DialContext(ctx, network, addr)
		if err == nil {
			return &tunnel{Conn: conn, release: func() { p.release(e) }}, nil
		}
		p.release(e)
		var oce *ssh.OpenChannelError
		if errors.As(err, &oce) {
			return nil, channelError(r, oce)
		}
		if ctx.Err() != nil {
			return nil, tunnelTimeout(ctx, r, err)
		}
		// The connection broke since it was last used: reconnect once.
		p.discard(e)
		broken = err
	}
	return nil, &Error{Code: connectors.CodeAgentUnreachable, Hop: c.Name, Err: broken,
		Message: fmt.Sprintf("%s: the SSH connection broke, and a new one broke too (%s).", c.Label(), cause(broken)),
		Hint:    "Check the server's SSH log (journalctl -u ssh), and the network between this computer and the agent."}
}

// tunnelTimeout says why a channel along r did not open before ctx ended.
func tunnelTimeout(ctx context.Context, r route, err error) *Error {
	c, addr, next := r.via, r.addr, r.next
	if errors.Is(ctx.Err(), context.Canceled) {
		return &Error{Code: connectors.CodeCanceled, Hop: c.Name, Err: err,
			Message: fmt.Sprintf("The test was cancelled while %s opened a tunnel to %s.", c.label(), addr)}
	}
	if next != nil {
		return &Error{Code: connectors.CodeAgentUnreachable, Hop: next.Name, Err: err,
			Message: fmt.Sprintf("%s did not reach %s in time.", c.Label(), next.label()),
			Hint:    fmt.Sprintf("Check the host and port of agent %q as seen from agent %q; a firewall may be silently dropping the connection.", next.Name, c.Name)}
	}
	return &Error{Code: connectors.CodeTimeout, Hop: c.Name, Err: err,
		Message: fmt.Sprintf("%s did not reach the store at %s in time.", c.Label(), addr),
		Hint:    "Check that the store is up and that its address is right as seen from the agent; a firewall may be silently dropping the connection."}
}

// acquire returns c's connected client, connecting if there is none, and
// counts the caller as a user until release. Callers that arrive while
// another connects wait for that attempt instead of starting their own.
func (p *Pool) acquire(ctx context.Context, c Config) (*entry, error) {
	key := c.key()
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, closedError(c)
		}
		e := p.entries[key]
		if e == nil {
			e = &entry{key: key, done: make(chan struct{})}
			p.entries[key] = e
			p.mu.Unlock()
			return p.connectEntry(ctx, c, e)
		}
		p.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, contextError(ctx, c, ctx.Err())
		}
		if e.err != nil {
			var ae *Error
			if errors.As(e.err, &ae) && ae.Code == connectors.CodeCanceled && ctx.Err() == nil {
				continue // the caller who was connecting gave up; this one has not
			}
			return nil, e.err
		}
		p.mu.Lock()
		if e.dead {
			p.mu.Unlock()
			continue
		}
		p.use(e)
		p.mu.Unlock()
		return e, nil
	}
}

// connectEntry connects e in the caller's goroutine, under its context.
func (p *Pool) connectEntry(ctx context.Context, c Config, e *entry) (*entry, error) {
	s, err := p.connect(ctx, c)
	p.mu.Lock()
	defer p.mu.Unlock()
	e.s, e.err = s, err
	if err == nil && p.closed {
		s.client.Close()
		e.err = closedError(c)
	}
	close(e.done)
	if e.err != nil {
		if p.entries[e.key] == e {
			delete(p.entries, e.key)
		}
		return nil, e.err
	}
	e.lastUsed = time.Now()
	p.use(e)
	go p.watch(e)
	return e, nil
}

// adopt keeps a client "Test agent" opened, unless the pool has one already.
func (p *Pool) adopt(c Config, s *session) bool {
	key := c.key()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.entries[key] != nil {
		return false
	}
	e := &entry{key: key, done: make(chan struct{}), s: s}
	close(e.done)
	p.entries[key] = e
	p.use(e)
	go p.watch(e)
	p.releaseLocked(e)
	return true
}

// watch keeps a client alive and forgets it once its connection ends,
// closing it so its tunnel through a jump agent is released.
func (p *Pool) watch(e *entry) {
	client := e.s.client
	ended := make(chan struct{})
	go func() {
		client.Wait()
		close(ended)
	}()
	tick := time.NewTicker(p.aliveEvery)
	defer tick.Stop()
	for alive := true; alive; {
		select {
		case <-ended:
			alive = false
		case <-tick.C:
			if err := keepalive(p.life, client, 3*p.keepaliveLimit); err != nil {
				client.Close() // no answer: ended follows
			}
		}
	}
	p.mu.Lock()
	p.retire(e)
	p.mu.Unlock()
	client.Close()
}

// use counts a user of e. p.mu is held.
func (p *Pool) use(e *entry) {
	e.active++
	if e.idle != nil {
		e.idle.Stop()
		e.idle = nil
	}
}

// stale reports whether e sat unused long enough to be checked first.
func (p *Pool) stale(e *entry) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return e.active == 1 && time.Since(e.lastUsed) > p.staleAfter
}

func (p *Pool) release(e *entry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.releaseLocked(e)
}

// releaseLocked ends one use of e; the last one starts the idle timer.
func (p *Pool) releaseLocked(e *entry) {
	e.active--
	e.lastUsed = time.Now()
	if e.active > 0 || e.dead {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(p.idle, func() {
		p.mu.Lock()
		if e.idle != t || e.active > 0 || e.dead {
			p.mu.Unlock()
			return
		}
		p.retire(e)
		p.mu.Unlock()
		e.s.client.Close()
	})
	e.idle = t
}

// discard closes a client that broke, so the next use reconnects.
func (p *Pool) discard(e *entry) {
	p.mu.Lock()
	p.retire(e)
	p.mu.Unlock()
	e.s.client.Close()
}

// retire takes e out of the pool. p.mu is held.
func (p *Pool) retire(e *entry) {
	e.dead = true
	if p.entries[e.key] == e {
		delete(p.entries, e.key)
	}
	if e.idle != nil {
		e.idle.Stop()
		e.idle = nil
	}
}

func closedError(c Config) *Error {
	return &Error{Code: connectors.CodeCanceled, Hop: c.Name,
		Message: fmt.Sprintf("Storelink is closing its agent connections; %s was not used.", c.label())}
}

// keepalive asks the server to answer, within limit; any answer will do
// (OpenSSH answers "unknown request").
func keepalive(ctx context.Context, client *ssh.Client, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, _, err := client.SendRequest("keepalive@openssh.com", true, nil)
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tunnel is a channel through an agent; closing it ends one use of the client.
type tunnel struct {
	net.Conn
	once    sync.Once
	release func()
}

func (t *tunnel) Close() error {
	err := t.Conn.Close()
	t.once.Do(t.release)
	return err
}
