package repository

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// Migration is one numbered schema change.
type Migration struct {
	Version   int
	Name      string
	Up, Down  string
	AppliedAt *time.Time
}

var migrationFile = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$`)

// LoadMigrations reads the numbered up/down files of fsys, in order. A version without an
// up file, or two names for one version, is a packaging error.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		m := migrationFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		mig := byVersion[v]
		if mig == nil {
			mig = &Migration{Version: v, Name: m[2]}
			byVersion[v] = mig
		}
		if mig.Name != m[2] {
			return nil, fmt.Errorf("migration %04d has two names: %s and %s", v, mig.Name, m[2])
		}
		if m[3] == "up" {
			mig.Up = string(body)
		} else {
			mig.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" {
			return nil, fmt.Errorf("migration %04d_%s has no up file", m.Version, m.Name)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// migrationLock is the advisory lock key that serialises migrations across processes
// (several replicas starting at once, or parallel test packages).
const migrationLock = 7_301_202

// Migrator applies and rolls back migrations, recording them in schema_migrations.
type Migrator struct {
	db          *sqlx.DB
	migrations  []Migration
	repeatables []Repeatable
}

// NewMigrator prepares a migrator over the files of fsys.
func NewMigrator(db *sqlx.DB, fsys fs.FS) (*Migrator, error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return nil, err
	}
	rs, err := LoadRepeatables(fsys)
	if err != nil {
		return nil, err
	}
	return &Migrator{db: db, migrations: ms, repeatables: rs}, nil
}

// MigrateUp applies the pending migrations of fsys and its changed repeatable definitions,
// and returns how many migrations ran: what a server does at start and a test template
// or a generated dataset does first.
func MigrateUp(ctx context.Context, db *sqlx.DB, fsys fs.FS) (int, error) {
	m, err := NewMigrator(db, fsys)
	if err != nil {
		return 0, err
	}
	return m.Up(ctx)
}

// Status reports every known migration with its applied time, if any.
func (m *Migrator) Status(ctx context.Context) ([]Migration, error) {
	applied, err := m.applied(ctx, m.db)
	if err != nil {
		return nil, err
	}
	out := make([]Migration, len(m.migrations))
	copy(out, m.migrations)
	for i := range out {
		if at, ok := applied[out[i].Version]; ok {
			at := at
			out[i].AppliedAt = &at
		}
	}
	return out, nil
}

// Up applies every pending migration, each in its own transaction, then the repeatable
// definitions that changed, and returns how many migrations ran.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	n := 0
	err := m.locked(ctx, func(conn *sqlx.Conn) error {
		applied, err := m.applied(ctx, conn)
		if err != nil {
			return err
		}
		for _, mig := range m.migrations {
			if _, ok := applied[mig.Version]; ok {
				continue
			}
			if err := m.applyTx(ctx, conn, mig.Up,
				`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, mig.Version, mig.Name); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", mig.Version, mig.Name, err)
			}
			n++
		}
		_, err = m.applyRepeatables(ctx, conn)
		return err
	})
	return n, err
}

// Down rolls back the most recently applied migration and returns it, or nil when none is applied.
func (m *Migrator) Down(ctx context.Context) (*Migration, error) {
	var done *Migration
	err := m.locked(ctx, func(conn *sqlx.Conn) error {
		applied, err := m.applied(ctx, conn)
		if err != nil {
			return err
		}
		for i := len(m.migrations) - 1; i >= 0; i-- {
			mig := m.migrations[i]
			if _, ok := applied[mig.Version]; !ok {
				continue
			}
			if mig.Down == "" {
				return fmt.Errorf("migration %04d_%s has no down file", mig.Version, mig.Name)
			}
			if err := m.applyTx(ctx, conn, mig.Down,
				`DELETE FROM schema_migrations WHERE version = $1 AND $2::text IS NOT NULL`, mig.Version, mig.Name); err != nil {
				return fmt.Errorf("migration %04d_%s down: %w", mig.Version, mig.Name, err)
			}
			done = &mig
			return forgetRepeatables(ctx, conn)
		}
		return nil
	})
	return done, err
}

// applyTx runs a schema change and the statement that records it in one transaction.
func (m *Migrator) applyTx(ctx context.Context, conn *sqlx.Conn, body, record string, args ...any) error {
	return withConnTx(ctx, conn, func(tx *sqlx.Tx) error {
		// Schema changes may rewrite large tables; the API's statement timeout does not apply.
		if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, record, args...)
		return err
	})
}

// execQuerier is what both a pool and a single connection offer.
type execQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (m *Migrator) applied(ctx context.Context, q execQuerier) (map[int]time.Time, error) {
	if _, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		out[v] = at
	}
	return out, rows.Err()
}

func (m *Migrator) locked(ctx context.Context, fn func(conn *sqlx.Conn) error) error {
	conn, err := m.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
	return fn(conn)
}
