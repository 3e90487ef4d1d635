package api

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// dbProxy stands between the service and its database so that a test can take the
// database away and bring it back: closing it drops every connection and refuses new ones.
type dbProxy struct {
	network, addr, target, targetNet string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

// newDBProxy proxies the database of url (a unix socket directory or a TCP host) and
// returns the proxy with the URL that goes through it.
func newDBProxy(t *testing.T, raw string) (*dbProxy, string) {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	p := &dbProxy{}
	if dir := q.Get("host"); strings.HasPrefix(dir, "/") {
		port := q.Get("port")
		if port == "" {
			port = "5432"
		}
		sock := t.TempDir()
		p.network, p.addr = "unix", filepath.Join(sock, ".s.PGSQL."+port)
		p.targetNet, p.target = "unix", filepath.Join(dir, ".s.PGSQL."+port)
		q.Set("host", sock)
		u.RawQuery = q.Encode()
	} else {
		free, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p.network, p.addr = "tcp", free.Addr().String()
		free.Close()
		p.targetNet, p.target = "tcp", u.Host
		u.Host = p.addr
	}
	p.open(t)
	t.Cleanup(p.close)
	return p, u.String()
}

func (p *dbProxy) open(t *testing.T) {
	ln, err := net.Listen(p.network, p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial(p.targetNet, p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *dbProxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// /readyz follows the database: 503 while it is gone, 200 again once it is back, with
// no restart of the service.
func TestReadyzRecoversWhenTheDatabaseReturns(t *testing.T) {
	t.Parallel()
	_, direct := pgtest.NewURL(t)
	proxy, through := newDBProxy(t, direct)
	db, err := repository.Open(context.Background(), repository.Config{URL: through, MaxOpenConns: 2, MaxIdleConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	e := &testEnv{t: t, db: db, srv: srv, h: srv.Router()}
	e.request("GET", "/readyz", nil).expect(200)

	proxy.close()
	if p := e.request("GET", "/readyz", nil).problem(503); !strings.Contains(p.Detail, "database") {
		t.Fatalf("with the database gone: %q", p.Detail)
	}
	proxy.open(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := e.request("GET", "/readyz", nil)
		if r.Code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d ten seconds after the database came back", r.Code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
