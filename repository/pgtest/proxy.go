package pgtest

import (
	"context"
	"net"
	"net/url"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fault is what a Proxy does to the connections between a service and its database.
type Fault int

const (
	// Pass forwards everything: the database is healthy.
	Pass Fault = iota
	// Refuse closes every connection and refuses new ones: the server is down.
	Refuse
	// Reset resets every connection, and each new one once accepted.
	Reset
	// BlackHole accepts connections and forwards nothing either way, like a server whose
	// processes were stopped with SIGSTOP: TCP still answers, PostgreSQL never does. What
	// was held is delivered when the fault is lifted, as a stopped server reads it when
	// it resumes.
	BlackHole
)

func (f Fault) String() string {
	return [...]string{"pass", "refuse", "reset", "black hole"}[f]
}

// Proxy stands between a service and its test database, on a loopback TCP port, and
// fails on demand (Set). It is closed when the test ends.
type Proxy struct {
	t                 testing.TB
	addr              string
	targetNet, target string

	listeners chan net.Listener // to the goroutine that accepts, started by NewProxy

	mu     sync.Mutex
	fault  Fault
	ln     net.Listener
	flow   chan struct{} // closed while data may flow (any fault but BlackHole)
	pipes  map[*pipe]struct{}
	closed bool
	done   chan struct{}
}

type pipe struct{ client, server net.Conn }

// NewProxy proxies the database of raw (a URL naming a unix socket directory or a TCP
// host) and returns the proxy with a URL that reaches the same database through it, by
// TCP, as a remote database would be reached.
func NewProxy(t testing.TB, raw string) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Skipf("the test database URL is not a postgres:// URL, which the proxy rewrites: %v", err)
	}
	p := &Proxy{t: t, listeners: make(chan net.Listener, 1), flow: make(chan struct{}), pipes: map[*pipe]struct{}{}, done: make(chan struct{})}
	close(p.flow)
	q := u.Query()
	if dir := q.Get("host"); strings.HasPrefix(dir, "/") {
		port := q.Get("port")
		if port == "" {
			port = "5432"
		}
		p.targetNet, p.target = "unix", filepath.Join(dir, ".s.PGSQL."+port)
		q.Del("host")
		q.Del("port")
	} else {
		p.targetNet, p.target = "tcp", u.Host
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.ln, p.addr = ln, ln.Addr().String()
	p.listeners <- ln
	// The proxy's goroutines carry no profiler labels, whoever creates it: a test that
	// counts its own goroutines by label never counts the proxy's.
	pprof.Do(context.Background(), pprof.Labels(), func(context.Context) { go p.run() })
	t.Cleanup(p.close)
	u.Host = p.addr
	u.RawQuery = q.Encode()
	return p, u.String()
}

// Set puts the fault in force, on the connections that exist and on new ones.
func (p *Proxy) Set(f Fault) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || f == p.fault {
		return
	}
	if p.fault == BlackHole {
		close(p.flow)
	}
	if p.fault == Refuse {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			p.t.Fatalf("the proxy cannot listen on %s again: %v", p.addr, err)
		}
		p.ln = ln
		p.listeners <- ln
	}
	p.fault = f
	switch f {
	case Refuse:
		p.ln.Close()
		for pp := range p.pipes {
			pp.client.Close()
			pp.server.Close()
		}
	case Reset:
		for pp := range p.pipes {
			reset(pp.client)
			pp.server.Close()
		}
	case BlackHole:
		p.flow = make(chan struct{})
	}
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.addr }

// Conns is how many client connections are joined to the database now. A connection
// that either side closed is gone from the count once the other side has been closed too.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pipes)
}

// run accepts on each listener in turn (Refuse closes one, lifting it opens the next),
// so that every goroutine of the proxy descends from it.
func (p *Proxy) run() {
	for {
		select {
		case ln := <-p.listeners:
			for {
				c, err := ln.Accept()
				if err != nil {
					break
				}
				go p.serve(c)
			}
		case <-p.done:
			return
		}
	}
}

// serve connects one client to the database, once the fault allows.
func (p *Proxy) serve(c net.Conn) {
	p.mu.Lock()
	fault := p.fault
	p.mu.Unlock()
	if fault == Reset {
		reset(c)
		return
	}
	if !p.wait() {
		c.Close()
		return
	}
	s, err := net.DialTimeout(p.targetNet, p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	pp := &pipe{client: c, server: s}
	p.mu.Lock()
	if p.closed || p.fault == Refuse || p.fault == Reset {
		p.mu.Unlock()
		reset(c)
		s.Close()
		return
	}
	p.pipes[pp] = struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pump(s, c) }()
	go func() { defer wg.Done(); p.pump(c, s) }()
	wg.Wait()
	p.mu.Lock()
	delete(p.pipes, pp)
	p.mu.Unlock()
}

// pump copies src to dst, holding what it read while the fault is BlackHole. Either side
// ending ends both.
func (p *Proxy) pump(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait() {
				return
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// wait blocks while the fault is BlackHole; false when the proxy is closed.
func (p *Proxy) wait() bool {
	p.mu.Lock()
	flow := p.flow
	p.mu.Unlock()
	select {
	case <-flow:
		return true
	case <-p.done:
		return false
	}
}

func (p *Proxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	close(p.done)
	p.ln.Close()
	for pp := range p.pipes {
		pp.client.Close()
		pp.server.Close()
	}
}

// reset closes c with a TCP reset rather than an orderly close.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
