package repository

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/jmoiron/sqlx"
)

// repeatableDir holds the definitions that are applied again whenever they change.
const repeatableDir = "repeatable"

// Repeatable is a definition applied after the migrations whenever its content changes.
type Repeatable struct {
	Name     string
	Body     string
	Checksum string
}

// LoadRepeatables reads repeatable/*.sql of fsys, in name order.
func LoadRepeatables(fsys fs.FS) ([]Repeatable, error) {
	names, err := fs.Glob(fsys, path.Join(repeatableDir, "*.sql"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Repeatable, 0, len(names))
	for _, n := range names {
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		out = append(out, Repeatable{Name: path.Base(n), Body: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	return out, nil
}

// applyRepeatables applies, each in its own transaction, the repeatable definitions whose
// checksum differs from the one recorded, and returns how many ran.
func (m *Migrator) applyRepeatables(ctx context.Context, conn *sqlx.Conn) (int, error) {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_repeatables (
		name       text PRIMARY KEY,
		checksum   text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, err
	}
	var applied []struct {
		Name     string `db:"name"`
		Checksum string `db:"checksum"`
	}
	if err := conn.SelectContext(ctx, &applied, `SELECT name, checksum FROM schema_repeatables`); err != nil {
		return 0, err
	}
	current := map[string]string{}
	for _, a := range applied {
		current[a.Name] = a.Checksum
	}
	n := 0
	for _, r := range m.repeatables {
		if current[r.Name] == r.Checksum {
			continue
		}
		err := m.applyTx(ctx, conn, r.Body, `
			INSERT INTO schema_repeatables (name, checksum) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`, r.Name, r.Checksum)
		if err != nil {
			return n, fmt.Errorf("repeatable %s: %w", r.Name, err)
		}
		n++
	}
	return n, nil
}

// forgetRepeatables makes the next Up apply every repeatable definition again (it
// recreates their record): a rolled back migration may have restored an older body of a
// function they define.
func forgetRepeatables(ctx context.Context, conn *sqlx.Conn) error {
	_, err := conn.ExecContext(ctx, `DROP TABLE IF EXISTS schema_repeatables`)
	return err
}
