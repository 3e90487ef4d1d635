package repository_test

import (
	"testing"

	"cyberskills/models/clocktest"
)

// TestRematchGoesOnWhereItStopped: a scan matches the unmatched statements that requests
// ask for in batches, keeps its place between batches, covers only the requests made
// before it began, and forgets them when it is over.
func TestRematchGoesOnWhereItStopped(t *testing.T) {
	db, ctx := testDB(t)
	db.MustExecContext(ctx, `INSERT INTO organisations (code, name, type) VALUES ('TA', 'A', 'trust')`)
	db.MustExecContext(ctx, `INSERT INTO courses (provider, code, title, activity_iri) VALUES ('acme', 'C1', 'Course', 'https://acme.example/c1')`)
	db.MustExecContext(ctx, `INSERT INTO course_activities (course_id, provider, iri, kind) SELECT id, 'acme', activity_iri, 'own' FROM courses`)
	for i, mail := range []string{"a@ta.example", "b@ta.example", "c@ta.example"} {
		db.MustExecContext(ctx, `INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, version, timestamp_at, activity, facts, match_status)
			VALUES ($1::uuid, 'acme', jsonb_build_object('actor', jsonb_build_object('mbox', 'mailto:' || $2::text),
			        'verb', jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/completed'),
			        'object', jsonb_build_object('id', 'https://acme.example/c1')), '\x00', 'http://adlnet.gov/expapi/verbs/completed',
			        '1.0.0', now(), 'https://acme.example/c1', '{completed}', 'unmatched')`,
			"00000000-0000-4000-8000-00000000000"+string(rune('1'+i)), mail)
	}
	db.MustExecContext(ctx, `DELETE FROM xapi_rematch_requests`)
	// The staff arrive: one statement request (the trigger), three statements to match.
	db.MustExecContext(ctx, `INSERT INTO staff (organisation_id, external_id, email)
		SELECT id, x, e FROM organisations, (VALUES ('A', 'a@ta.example'), ('B', 'b@ta.example'), ('C', 'c@ta.example')) AS v (x, e)`)
	status := func() string {
		var s []string
		if err := db.SelectContext(ctx, &s, `SELECT match_status FROM xapi_statements ORDER BY seq`); err != nil {
			t.Fatal(err)
		}
		return s[0][:1] + s[1][:1] + s[2][:1]
	}
	if finished, err := db.RematchBatch(ctx, 2, clocktest.Now()); err != nil || finished || status() != "ccu" {
		t.Fatalf("after one batch of 2: %v %v %s", finished, err, status())
	}
	// A request made during the scan waits for the next one.
	db.MustExecContext(ctx, `INSERT INTO xapi_rematch_requests (provider) VALUES ('later')`)
	if finished, err := db.RematchBatch(ctx, 2, clocktest.Now()); err != nil || finished || status() != "ccc" {
		t.Fatalf("after the second batch: %v %v %s", finished, err, status())
	}
	var left []string
	if err := db.SelectContext(ctx, &left, `SELECT provider FROM xapi_rematch_requests UNION ALL SELECT 'scan' FROM xapi_rematch_scan`); err != nil ||
		len(left) != 1 || left[0] != "later" {
		t.Fatalf("left %v (%v)", left, err)
	}
}
