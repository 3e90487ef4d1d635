package repository_test

import (
	"testing"

	"cyberskills/repository"
)

// Every constraint and unique index the migrations create names the field its violation
// is about, so that no error falls back to "body"; a new constraint without an entry in
// the table fails here.
func TestEveryConstraintNamesAField(t *testing.T) {
	db, ctx := testDB(t)
	var names []string
	if err := db.SelectContext(ctx, &names, `
		SELECT conname::text FROM pg_constraint
		 WHERE connamespace = 'public'::regnamespace AND contype IN ('u', 'f', 'c', 'x')
		UNION
		SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		 WHERE i.indisunique AND NOT i.indisprimary AND c.relnamespace = 'public'::regnamespace
		   AND c.relname NOT IN ('idempotency_keys_pkey')
		ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if len(names) < 90 {
		t.Fatalf("only %d constraints found: the query is wrong", len(names))
	}
	for _, n := range names {
		if f := repository.ConstraintField(n); f == "body" {
			t.Errorf("constraint %s has no field in constraintFields", n)
		}
	}
	for name, want := range map[string]string{"job_roles_code_key": "code", "capability_targets_min_level_check": "min_level",
		"enrolments_dates_check": "expected_completion", "staff_external_id_key": "external_id"} {
		if got := repository.ConstraintField(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
