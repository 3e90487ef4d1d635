package api

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/migrations"
	"cyberskills/repository"
)

// metricValue reads a sample without labels, or with exactly the labels given as they
// are written ({task="flush",outcome="ok"}), from a Prometheus text exposition.
func metricValue(exposition []byte, name string) (float64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(exposition))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// pgScript is the script that manages the private clusters (scripts/pg.sh).
const pgScript = "../scripts/pg.sh"

// localPostgres reports whether PostgreSQL's server programs are here to start clusters
// of the test's own (scripts/pg.sh finds them the same ways).
func localPostgres() bool {
	if dir := os.Getenv("PG_BINDIR"); dir != "" {
		_, err := os.Stat(filepath.Join(dir, "initdb"))
		return err == nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if _, err := os.Stat(filepath.Join(strings.TrimSpace(string(out)), "initdb")); err == nil {
			return true
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	return len(found) > 0
}

// pg runs scripts/pg.sh with args and returns the last line it printed (a URL).
func pg(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("bash", append([]string{pgScript}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg.sh %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// standbyPair is a primary of the test's own, migrated with the default data, and a
// streaming standby of it, both started by scripts/pg.sh and removed when the test ends.
type standbyPair struct {
	t                      *testing.T
	standbyDir             string
	primaryURL, standbyURL string
}

func newStandbyPair(t *testing.T) *standbyPair {
	t.Helper()
	if !localPostgres() {
		t.Skip("PostgreSQL's server programs are not installed here: the standby test starts clusters of its own")
	}
	dir := t.TempDir()
	p := &standbyPair{t: t, standbyDir: filepath.Join(dir, "standby")}
	primaryDir := filepath.Join(dir, "primary")
	t.Cleanup(func() {
		exec.Command("bash", pgScript, "destroy", p.standbyDir).Run()
		exec.Command("bash", pgScript, "destroy", primaryDir).Run()
	})
	// Durability does not matter here; full_page_writes stays on, as a base backup needs.
	p.primaryURL = pg(t, []string{"PG_EXTRA_CONF=fsync = off\nsynchronous_commit = off", "PG_SHARED_BUFFERS=32MB", "PG_MAX_CONNECTIONS=50"},
		"start", primaryDir)
	ctx := context.Background()
	db, err := repository.Open(ctx, repository.Config{URL: p.primaryURL, MaxOpenConns: 2, StatementTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := repository.NewMigrator(db.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	p.standbyURL = pg(t, nil, "standby", primaryDir, p.standbyDir)
	return p
}

// onStandby runs a statement on the standby as its superuser.
func (p *standbyPair) onStandby(query string) {
	p.t.Helper()
	db, err := sqlx.Open("postgres", p.standbyURL)
	if err != nil {
		p.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		p.t.Fatalf("%s on the standby: %v", query, err)
	}
}

// stopStandby shuts the standby down.
func (p *standbyPair) stopStandby() { pg(p.t, nil, "stop", p.standbyDir) }
