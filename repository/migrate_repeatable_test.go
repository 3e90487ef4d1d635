package repository_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// A repeatable definition is applied after the migrations, applied again when its content
// changes and only then, and applied again after a rollback, which may have restored an
// older body.
func TestRepeatableDefinitionsFollowTheirFiles(t *testing.T) {
	t.Parallel()
	db := pgtest.NewEmpty(t)
	ctx := context.Background()
	files := fstest.MapFS{
		"0001_answer.up.sql":    {Data: []byte(`CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 1';`)},
		"0001_answer.down.sql":  {Data: []byte(`DROP FUNCTION answer();`)},
		"repeatable/answer.sql": {Data: []byte(`CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 2';`)},
	}
	up := func(want int) time.Time {
		t.Helper()
		m, err := repository.NewMigrator(db.DB, files)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		var got int
		var at time.Time
		if err := db.QueryRowContext(ctx, `SELECT answer(), (SELECT applied_at FROM schema_repeatables WHERE name = 'answer.sql')`).Scan(&got, &at); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("answer() = %d, want %d", got, want)
		}
		return at
	}
	first := up(2)
	if again := up(2); !again.Equal(first) {
		t.Fatalf("an unchanged repeatable ran again (%s, then %s)", first, again)
	}
	files["repeatable/answer.sql"] = &fstest.MapFile{Data: []byte(`CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 3';`)}
	up(3)
	m, err := repository.NewMigrator(db.DB, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Down(ctx); err != nil {
		t.Fatal(err)
	}
	up(3) // the migration is back with its first body, and the repeatable over it
}
