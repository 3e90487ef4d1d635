package repository_test

import (
	"strings"
	"testing"
)

// TestLRSMigration: migration 0024 derives, for statements stored before it, what the
// filters and matching read; statuses say what became of them (evidence conferred, or a
// verb that earns nothing); each course's activity_iri becomes its own activity; the
// Activities resource starts from the definitions received.
func TestLRSMigration(t *testing.T) {
	db, ctx := testDB(t)
	m := rolledBackBefore(t, ctx, db, 24)
	db.MustExecContext(ctx, `INSERT INTO organisations (code, name, type) VALUES ('TA', 'A', 'trust')`)
	db.MustExecContext(ctx, `INSERT INTO staff (organisation_id, external_id, email) SELECT id, 'E1', 'e1@ta.example' FROM organisations`)
	db.MustExecContext(ctx, `INSERT INTO courses (provider, code, title, activity_iri) VALUES ('acme', 'C1', 'Course', 'https://acme.example/c1')`)
	for _, s := range []struct{ id, verb, statement string }{
		{"00000000-0000-4000-8000-000000000001", "http://adlnet.gov/expapi/verbs/completed",
			`{"actor": {"mbox": "mailto:E1@TA.example"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
			  "object": {"id": "https://acme.example/c1", "definition": {"name": {"en": "Course"}}},
			  "context": {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7", "contextActivities": {"parent": {"id": "https://acme.example/p"}}},
			  "timestamp": "2026-04-01T10:00:00+0100"}`},
		{"00000000-0000-4000-8000-000000000002", "http://adlnet.gov/expapi/verbs/attempted",
			`{"actor": {"mbox": "mailto:e1@ta.example"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
			  "object": {"id": "https://acme.example/c1", "definition": {"name": {"fr": "Cours"}}}, "version": "1.0.1"}`},
	} {
		db.MustExecContext(ctx, `INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, staff_id, course_id, stored_at)
			SELECT $1::uuid, 'acme', $3::jsonb, '\x00', $2, s.id, c.id, '2026-04-02T00:00:00Z' FROM staff s, courses c`, s.id, s.verb, s.statement)
	}
	db.MustExecContext(ctx, `INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, statement_id)
		SELECT s.id, k.id, 1, 1, 'training', '2026-04-01T09:00:00Z', '00000000-0000-4000-8000-000000000001' FROM staff s, skills k LIMIT 1`)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var rows []string
	if err := db.SelectContext(ctx, &rows, `
		SELECT concat_ws(' | ', match_status, version, to_char(timestamp_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), registration,
		       actor_key, array_to_string(related_activities, ','), array_to_string(facts, ','))
		  FROM xapi_statements ORDER BY seq`); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"conferred | 1.0.0 | 2026-04-01 09:00 | ec531277-b57b-4c15-8d91-d292c5b2b8f7 | mbox mailto:e1@ta.example | https://acme.example/c1,https://acme.example/p | completed",
		"ignored | 1.0.1 | 2026-04-02 00:00 | mbox mailto:e1@ta.example | https://acme.example/c1 | ",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("statements after the migration:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	var activities []string
	if err := db.SelectContext(ctx, &activities, `
		(SELECT provider || ' ' || id || ' ' || definition::text FROM xapi_activities ORDER BY id)
		UNION ALL SELECT kind || ' ' || iri FROM course_activities`); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(activities, "\n"); got != `acme https://acme.example/c1 {"name": {"en": "Course", "fr": "Cours"}}`+"\nacme https://acme.example/p {}\nown https://acme.example/c1" {
		t.Fatalf("activities:\n%s", got)
	}
}
