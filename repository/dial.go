package repository

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// dialer opens every connection to PostgreSQL: the pool's, lib/pq's cancel requests
// and the token listener's. A connect timeout bounds the TCP handshake; TCP keepalive
// finds a dead peer behind an idle connection; TCP_USER_TIMEOUT (Linux) drops a
// connection whose data has gone unacknowledged that long. None of them notices a
// server that is alive at the TCP level but does not answer (a stopped process): the
// per-operation watch of conn does (see conn.watch).
type dialer struct {
	net         net.Dialer
	userTimeout time.Duration
}

func newDialer(cfg Config) *dialer {
	d := &dialer{userTimeout: cfg.TCPUserTimeout}
	d.net.Timeout = cfg.ConnectTimeout
	if cfg.KeepAlive > 0 {
		d.net.KeepAliveConfig = net.KeepAliveConfig{Enable: true, Idle: cfg.KeepAlive, Interval: cfg.KeepAlive, Count: 3}
	} else {
		d.net.KeepAlive = -1
	}
	return d
}

// Dial and DialTimeout complete lib/pq's Dialer interface; it calls DialContext.
func (d *dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d *dialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

// DialContext dials and wraps the connection so that it can be cut off. A connection
// opened for the pool registers with the connector's handshake, which watches the
// start-up; any other (a cancel request, the listener's) keeps its context's deadline
// as the socket's, so that it cannot wait for ever on a server that accepted the TCP
// connection and then said nothing.
func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.net.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok && d.userTimeout > 0 {
		// Best effort: where the kernel refuses it, keepalive and the watch remain.
		setUserTimeout(tc, d.userTimeout)
	}
	nc := &netConn{Conn: c}
	if h, ok := ctx.Value(handshakeKey{}).(*handshake); ok {
		h.attach(nc)
	} else if deadline, ok := ctx.Deadline(); ok {
		nc.SetDeadline(deadline)
	}
	return nc, nil
}

// netConn is a connection to PostgreSQL that another goroutine can cut off: once
// expired, every read and write fails at once, and no later deadline revives it. It
// counts the bytes written, so that a failed operation knows whether it reached the
// wire.
type netConn struct {
	net.Conn
	mu      sync.Mutex // orders deadlines against expire
	dead    atomic.Bool
	written atomic.Int64
}

// longAgo is a deadline in the past: the socket's pending and future reads and writes
// fail with os.ErrDeadlineExceeded.
var longAgo = time.Unix(1, 0)

func (c *netConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(int64(n))
	return n, err
}

// expire cuts the connection off for good.
func (c *netConn) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dead.Store(true)
	c.Conn.SetDeadline(longAgo)
}

func (c *netConn) SetDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetDeadline)
}

func (c *netConn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetReadDeadline)
}

func (c *netConn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(t, c.Conn.SetWriteDeadline)
}

func (c *netConn) setDeadline(t time.Time, set func(time.Time) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead.Load() {
		return nil // already in the past, and it stays there
	}
	return set(t)
}

// handshake ties a connection being opened to the context of its opener: lib/pq does
// not watch the context during start-up (TLS, authentication), so the connector
// expires the socket itself when the context ends.
type handshake struct {
	mu      sync.Mutex
	conn    *netConn
	expired bool
}

type handshakeKey struct{}

func (h *handshake) attach(c *netConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.conn = c
	if h.expired {
		c.expire()
	}
}

func (h *handshake) expire() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expired = true
	if h.conn != nil {
		h.conn.expire()
	}
}

func (h *handshake) socket() *netConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conn
}
