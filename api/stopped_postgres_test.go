//go:build linux

package api

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cyberskills/migrations"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
)

// TestStoppedPostgreSQLAnswers503 freezes a real PostgreSQL of its own: every process of
// a separate cluster is stopped with SIGSTOP, so that the kernel still accepts and
// acknowledges connections while nothing answers. /readyz answers 503 within a second,
// reads and writes within their budget; after SIGCONT the service answers again by itself.
// It needs the PostgreSQL server binaries (as `make test` does) and Linux's /proc.
func TestStoppedPostgreSQLAnswers503(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}
	if !havePostgresBinaries() {
		t.Skip("no PostgreSQL server binaries")
	}
	dir := filepath.Join(t.TempDir(), "pg")
	pgsh := func(cmd string) (string, error) {
		c := exec.Command("../scripts/pg.sh", cmd, dir)
		c.Env = append(os.Environ(), "PG_MAX_CONNECTIONS=20", "PG_SHARED_BUFFERS=16MB",
			"PG_EXTRA_CONF=fsync = off\nsynchronous_commit = off\nfull_page_writes = off")
		out, err := c.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	out, err := pgsh("start")
	t.Cleanup(func() { pgsh("destroy") })
	if err != nil {
		t.Fatalf("starting a cluster: %v\n%s", err, out)
	}
	url := out[strings.LastIndex(out, "\n")+1:]

	db, err := repository.Open(context.Background(), faultPool(url, 4))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m, err := repository.NewMigrator(db.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.RequestTimeout = 2 * time.Second
	srv := newTestServer(db, slog.New(slog.DiscardHandler), cfg)
	srv.AuthenticateWith(stubAuth{})
	srv.RecordAuditWith(discardAudit{})
	e := &faultEnv{t: t, srv: srv, h: srv.Router(), db: db, admin: "csk_stub"}
	e.waitHealthy("/api/v1/organisations")

	// The postmaster first, so that it forks nothing more, then its children.
	postmaster := postmasterPID(t, dir)
	procs := []int{postmaster}
	thaw := func() {
		for _, p := range procs {
			syscall.Kill(p, syscall.SIGCONT)
		}
	}
	t.Cleanup(thaw) // before the cluster is destroyed, whatever happens
	if err := syscall.Kill(postmaster, syscall.SIGSTOP); err != nil {
		t.Fatalf("stopping the postmaster %d: %v", postmaster, err)
	}
	for _, p := range children(postmaster) {
		procs = append(procs, p)
		if err := syscall.Kill(p, syscall.SIGSTOP); err != nil {
			t.Fatalf("stopping process %d of the cluster: %v", p, err)
		}
	}
	// Should this process die before thawing, the cluster resumes by itself.
	watchdog := exec.Command("sh", "-c", "sleep 60; kill -CONT "+strings.Trim(fmt.Sprint(procs), "[]"))
	watchdog.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := watchdog.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-watchdog.Process.Pid, syscall.SIGKILL); watchdog.Wait() })

	var mu sync.Mutex
	var answers []answer
	var wg sync.WaitGroup
	for i := range 4 {
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/readyz", nil},
			{"GET", "/api/v1/organisations", nil},
			{"POST", "/api/v1/organisations", map[string]any{"code": fmt.Sprintf("STOP%d", i), "name": "Stopped", "type": "trust"}},
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := e.send(req.method, req.path, req.body)
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	t.Logf("SIGSTOP: %s", timings(answers))
	for _, a := range answers {
		bound := cfg.RequestTimeout
		if a.path == "/readyz" {
			bound = time.Second
		}
		if why := a.unavailable(bound); why != "" {
			t.Errorf("%s: %s", a, why)
		}
	}

	thaw()
	e.waitHealthy("/api/v1/organisations")
	for deadline := clocktest.After(10 * time.Second); db.Stats().InUse != 0; time.Sleep(20 * time.Millisecond) {
		if deadline.Passed() {
			t.Fatalf("connections still in use after the thaw: %+v", db.Stats())
		}
	}
}

func havePostgresBinaries() bool {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if _, err := os.Stat(filepath.Join(strings.TrimSpace(string(out)), "postgres")); err == nil {
			return true
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	return len(found) > 0
}

// postmasterPID is the process id of the cluster in dir.
func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// children are the processes whose parent is ppid.
func children(ppid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(ppid) {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			out = append(out, pid)
		}
	}
	return out
}
