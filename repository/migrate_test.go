package repository_test

import (
	"context"
	"strings"
	"testing"

	"cyberskills/migrations"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// TestMigrationsRoundTrip applies every migration, rolls each back, and applies them
// again: every down file must undo its up file exactly.
func TestMigrationsRoundTrip(t *testing.T) {
	t.Parallel()
	db := pgtest.NewEmpty(t)
	ctx := context.Background()
	m := migrator(t, db)
	all, err := repository.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	n, err := m.Up(ctx)
	if err != nil || n != len(all) {
		t.Fatalf("up applied %d of %d: %v", n, len(all), err)
	}
	if again, err := m.Up(ctx); err != nil || again != 0 {
		t.Fatalf("second up applied %d: %v", again, err)
	}
	for i := len(all) - 1; i >= 0; i-- {
		mig, err := m.Down(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if mig == nil || mig.Version != all[i].Version {
			t.Fatalf("down rolled back %+v, want %04d", mig, all[i].Version)
		}
	}
	var tables int
	if err := db.GetContext(ctx, &tables, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("%d tables left after rolling everything back", tables)
	}
	if n, err := m.Up(ctx); err != nil || n != len(all) {
		t.Fatalf("re-applying: %d, %v", n, err)
	}
	status, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if s.AppliedAt == nil {
			t.Fatalf("%04d not applied", s.Version)
		}
	}
}

// TestEvidenceTargetsRefuseDeletion checks the guard that replaced evidence's foreign keys
// to skills, completions and xAPI statements: deleting or truncating them is refused.
func TestEvidenceTargetsRefuseDeletion(t *testing.T) {
	db, ctx := testDB(t)
	for _, stmt := range []string{
		`DELETE FROM skills`,
		`TRUNCATE skills CASCADE`,
		`DELETE FROM completions`,
		`TRUNCATE completions CASCADE`,
		`DELETE FROM xapi_statements`,
	} {
		_, err := db.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "never deleted") {
			t.Errorf("%s: got %v, want a refusal", stmt, err)
		}
	}
	var skills int
	if err := db.GetContext(ctx, &skills, `SELECT count(*) FROM skills`); err != nil {
		t.Fatal(err)
	}
	if skills == 0 {
		t.Fatal("the default framework's skills are gone")
	}
}

// TestEvidenceIsAppendOnly checks the trigger behind "evidence is never changed": any
// update of a record's content and any delete are refused by the database itself, whatever
// the client.
func TestEvidenceIsAppendOnly(t *testing.T) {
	db, ctx := testDB(t)
	var id int64
	if err := db.GetContext(ctx, &id, `
		WITH o AS (INSERT INTO organisations (code, name, type) VALUES ('AO1', 'Append only', 'trust') RETURNING id),
		     s AS (INSERT INTO staff (organisation_id, external_id) SELECT id, 'E1' FROM o RETURNING id)
		INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at)
		SELECT s.id, (SELECT min(id) FROM skills), 1, 2, 'assessment', now() FROM s RETURNING id`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE evidence SET level = 4 WHERE id = $1`,
		`UPDATE evidence SET assessed_at = now() - interval '1 year' WHERE id = $1`,
		`DELETE FROM evidence WHERE id = $1`,
	} {
		if _, err := db.ExecContext(ctx, stmt, id); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want the append-only refusal", stmt, err)
		}
	}
	var level int
	if err := db.GetContext(ctx, &level, `SELECT level FROM evidence WHERE id = $1`, id); err != nil || level != 2 {
		t.Fatalf("the record after the attempts: level %d, %v", level, err)
	}
}
