// Package pgtest gives each test its own PostgreSQL database, cloned from a migrated
// template with the default data loaded, so that tests run in parallel without seeing each other's rows.
//
// TEST_DATABASE_URL names a server on which the tests may create databases; `make test`
// starts a throwaway one and sets it.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver

	"cyberskills/migrations"
	"cyberskills/repository"
)

var (
	adminOnce sync.Once
	admin     *sqlx.DB
	template  string
	setupErr  error
)

// URL returns the server URL the tests use, failing the test when none is configured.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		t.Fatal("TEST_DATABASE_URL is not set: run `make test`, which starts a throwaway PostgreSQL, or point it at a server where tests may create databases")
	}
	return u
}

// New returns a fresh, migrated database with the default data, dropped when t ends.
func New(t testing.TB) *repository.DB {
	t.Helper()
	return create(t, true)
}

// NewEmpty returns a fresh database without any migration applied, for migration tests.
func NewEmpty(t testing.TB) *repository.DB {
	t.Helper()
	return create(t, false)
}

// NewURL is New for code that connects by itself: it returns the database's URL too.
func NewURL(t testing.TB) (*repository.DB, string) {
	t.Helper()
	return createURL(t, true)
}

// NewEmptyURL is NewEmpty for code that connects by itself.
func NewEmptyURL(t testing.TB) (*repository.DB, string) {
	t.Helper()
	return createURL(t, false)
}

func create(t testing.TB, migrated bool) *repository.DB {
	t.Helper()
	db, _ := createURL(t, migrated)
	return db
}

func createURL(t testing.TB, migrated bool) (*repository.DB, string) {
	t.Helper()
	base := URL(t)
	adminOnce.Do(func() { setupErr = setup(base) })
	if setupErr != nil {
		t.Fatalf("preparing the test template database: %v", setupErr)
	}
	name := "test_" + randomHex(8)
	ctx := context.Background()
	from := template
	if !migrated {
		from = "template0"
	}
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, from)); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	dbURL := withDatabase(base, name)
	db, err := repository.Open(ctx, repository.Config{
		URL:              dbURL,
		MaxOpenConns:     8,
		MaxIdleConns:     8,
		ConnMaxLifetime:  time.Minute,
		StatementTimeout: 60 * time.Second,
	})
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return db, dbURL
}

// setup connects to the server and makes sure the template for the current migrations
// exists. Test binaries of several packages run at once, so creation is serialised with
// an advisory lock and the template is named after a hash of its contents.
func setup(base string) error {
	var err error
	admin, err = sqlx.Open("postgres", base)
	if err != nil {
		return err
	}
	admin.SetMaxOpenConns(4)
	ctx := context.Background()
	template = "tmpl_" + contentHash()
	conn, err := admin.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(73012)`); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(73012)`)
	var exists bool
	if err := conn.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, template); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_building"
	conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return err
	}
	if err := build(ctx, withDatabase(base, building)); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, template))
	return err
}

func build(ctx context.Context, url string) error {
	db, err := repository.Open(ctx, repository.Config{URL: url, MaxOpenConns: 2, MaxIdleConns: 0, StatementTimeout: 0})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := repository.MigrateUp(ctx, db.DB, migrations.FS); err != nil {
		return err
	}
	return db.LoadDefaults(ctx)
}

// contentHash names the template after the migrations and the default data, so that a
// changed migration or default gets a new template instead of a stale one.
func contentHash() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations.FS, "*.sql")
	repeatable, _ := fs.Glob(migrations.FS, "repeatable/*.sql")
	names = append(names, repeatable...)
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.FS, n)
		h.Write([]byte(n))
		h.Write(b)
	}
	h.Write([]byte(repository.DefaultsHash()))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDatabase(base, name string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return strings.TrimSpace(base) + " dbname=" + name
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
