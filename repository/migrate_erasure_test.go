package repository_test

import "testing"

// TestErasureMigration: migration 0019 erases again the records erased before it that a
// write had brought back (personal fields blanked, a leaver again), reduces their stored
// statements as erasure now does, and from then on refuses any write to an erased record.
func TestErasureMigration(t *testing.T) {
	db, ctx := testDB(t)
	m := rolledBackBefore(t, ctx, db, 19)
	db.MustExecContext(ctx, `INSERT INTO organisations (code, name, type) VALUES ('TA', 'A', 'trust')`)
	db.MustExecContext(ctx, `INSERT INTO staff (organisation_id, external_id, display_name, email, status, start_date, erased_at)
		SELECT id, 'erased-1', 'Back Again', 'back@a.example', 'active', '2020-01-01', '2026-05-01T10:00:00Z' FROM organisations`)
	db.MustExecContext(ctx, `INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, staff_id)
		SELECT '3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c', 'acme', '{"actor": {"name": "Back Again", "mbox": "mailto:back@a.example"},
		  "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
		  "object": {"id": "https://acme.example/c", "objectType": "Activity"}, "result": {"response": "Back Again did well"},
		  "timestamp": "2026-04-01T10:00:00Z"}', '\x00', 'http://adlnet.gov/expapi/verbs/completed', id FROM staff`)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var person struct {
		Name   *string `db:"display_name"`
		Email  *string `db:"email"`
		Status string  `db:"status"`
		End    string  `db:"end_date"`
	}
	if err := db.GetContext(ctx, &person, `SELECT display_name, email, status, end_date::text FROM staff`); err != nil {
		t.Fatal(err)
	}
	if person.Name != nil || person.Email != nil || person.Status != "leaver" || person.End != "2026-05-01" {
		t.Fatalf("the erased record after the migration: %+v", person)
	}
	var statement string
	if err := db.GetContext(ctx, &statement, `SELECT statement::text FROM xapi_statements`); err != nil {
		t.Fatal(err)
	}
	want := `{"verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "actor": {"account": {"name": "erased-1"}, "objectType": "Agent"}, ` +
		`"object": {"id": "https://acme.example/c", "objectType": "Activity"}, "timestamp": "2026-04-01T10:00:00Z"}`
	if statement != want {
		t.Fatalf("the statement after the migration:\n%s\nwant\n%s", statement, want)
	}
	if _, err := db.ExecContext(ctx, `UPDATE staff SET status = 'active'`); err == nil {
		t.Fatal("an erased record was written")
	}
}
