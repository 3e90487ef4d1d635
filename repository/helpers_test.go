package repository_test

import (
	"context"
	"testing"

	"cyberskills/migrations"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// testDB is a migrated database of the test's own, with the default data, and a context:
// the start of a test that runs in parallel with the others.
func testDB(t *testing.T) (*repository.DB, context.Context) {
	t.Helper()
	t.Parallel()
	return pgtest.New(t), context.Background()
}

// migrator is a migrator of the embedded migrations over db; it fails the test itself.
func migrator(t *testing.T, db *repository.DB) *repository.Migrator {
	t.Helper()
	m, err := repository.NewMigrator(db.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rolledBackBefore rolls db's migrations back until version is undone, and returns the
// migrator: a test of a migration loads data as it was before it, then migrates up.
func rolledBackBefore(t *testing.T, ctx context.Context, db *repository.DB, version int) *repository.Migrator {
	t.Helper()
	m := migrator(t, db)
	for {
		mig, err := m.Down(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if mig == nil || mig.Version <= version {
			return m
		}
	}
}
