package repository_test

import (
	"fmt"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// TestErasureScansOtherStatementsInBatches: an erasure queues a scan of other people's
// statements; each batch goes on from the last statement scanned, replaces the strings
// that mention the erased person, and the finished scan forgets what it looked for.
func TestErasureScansOtherStatementsInBatches(t *testing.T) {
	db, ctx := testDB(t)
	db.MustExecContext(ctx, `INSERT INTO organisations (code, name, type) VALUES ('TA', 'A', 'trust')`)
	db.MustExecContext(ctx, `INSERT INTO staff (organisation_id, external_id, display_name, email)
		SELECT id, x, n, e FROM organisations, (VALUES ('P', 'Petra Mentioned', 'petra@a.example'), ('Q', NULL, NULL)) AS v (x, n, e)`)
	for i := 1; i <= 5; i++ {
		instructor, mbox := "Someone Else", "mailto:tutor@acme.example"
		if i%2 == 1 {
			instructor = "PETRA Mentioned"
		}
		if i == 5 {
			mbox = "mailto:Petra@A.example"
		}
		db.MustExecContext(ctx, `INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, staff_id, version, timestamp_at, related_agents)
			SELECT $1::uuid, 'acme', s, '\x00', 'v', id, '1.0.0', now(), xapi_related_agents(s)
			  FROM staff, LATERAL (SELECT jsonb_build_object('actor', jsonb_build_object('account', jsonb_build_object('name', 'Q')),
			       'context', jsonb_build_object('instructor', jsonb_build_object('name', $2::text, 'mbox', $3::text)))) AS x (s)
			 WHERE external_id = 'Q'`,
			fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i), instructor, mbox)
	}
	var orgID int64
	if err := db.GetContext(ctx, &orgID, `SELECT id FROM organisations`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkLeaver(ctx, models.ScopeAll(), orgID, "P", true, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	instructors := func() string {
		var names []string
		if err := db.SelectContext(ctx, &names, `SELECT statement->'context'->'instructor'->>'name' FROM xapi_statements ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(names)
	}
	if got := instructors(); got != "[PETRA Mentioned Someone Else PETRA Mentioned Someone Else PETRA Mentioned]" {
		t.Fatalf("before the scan: %s", got)
	}
	if err := db.FinishErasureScans(ctx, 2, 1); err != nil {
		t.Fatal(err)
	}
	var after string
	if err := db.GetContext(ctx, &after, `SELECT after::text FROM erasure_scans`); err != nil || after != "00000000-0000-4000-8000-000000000002" {
		t.Fatalf("after one batch of 2: %q (%v)", after, err)
	}
	if got := instructors(); got != "[erased Someone Else PETRA Mentioned Someone Else PETRA Mentioned]" {
		t.Fatalf("after one batch of 2: %s", got)
	}
	if err := db.FinishErasureScans(ctx, 2, 10); err != nil {
		t.Fatal(err)
	}
	if got := instructors(); got != "[erased Someone Else erased Someone Else erased]" {
		t.Fatalf("after the scan: %s", got)
	}
	var left int
	if err := db.GetContext(ctx, &left, `SELECT count(*) FROM erasure_scans`); err != nil || left != 0 {
		t.Fatalf("%d scans left (%v)", left, err)
	}
	// What the filters read is derived again from what is left: no key holds the address.
	if err := db.GetContext(ctx, &left, `SELECT count(*) FROM xapi_statements WHERE array_to_string(related_agents, ' ') ILIKE '%petra%'`); err != nil || left != 0 {
		t.Fatalf("%d statements' agents still name her (%v)", left, err)
	}
}
