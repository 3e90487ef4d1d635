package repository_test

import (
	"testing"
)

// The default capability targets follow defaults/targets.json: a fresh database holds
// them, a changed table is brought back to them at the next start, and an unchanged one
// is not rewritten.
func TestDefaultTargetsFollowTheShippedFile(t *testing.T) {
	db, ctx := testDB(t)
	rows := func() (n int, trustBasic int) {
		t.Helper()
		if err := db.QueryRowContext(ctx, `SELECT count(*), COALESCE(max(min_headcount) FILTER (WHERE org_type = 'trust' AND tier = 'basic'), 0)
			FROM default_targets`).Scan(&n, &trustBasic); err != nil {
			t.Fatal(err)
		}
		return n, trustBasic
	}
	if n, basic := rows(); n != 6 || basic != 2 {
		t.Fatalf("a fresh database holds %d default targets (trust basic headcount %d), want the file's 6 (2)", n, basic)
	}
	var before int64
	if err := db.GetContext(ctx, &before, `SELECT max(id) FROM default_targets`); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	var after int64
	if err := db.GetContext(ctx, &after, `SELECT max(id) FROM default_targets`); err != nil || after != before {
		t.Fatalf("an unchanged table was rewritten: max id %d, then %d (%v)", before, after, err)
	}
	mustExec(t, db, `UPDATE default_targets SET min_headcount = 9 WHERE org_type = 'trust' AND tier = 'basic'`)
	mustExec(t, db, `DELETE FROM default_targets WHERE org_type = 'other'`)
	if err := db.LoadDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if n, basic := rows(); n != 6 || basic != 2 {
		t.Fatalf("after a start: %d default targets (trust basic headcount %d), want the file's 6 (2)", n, basic)
	}
}
