package api

import (
	"testing"

	"cyberskills/models"
)

func TestIdempotencyKeyMakesRetriesSafe(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	path := "/api/v1/organisations/ORGA/staff/E1/evidence"
	body := map[string]any{"skill": "backup-recovery", "level": 2, "source": "manager"}
	count := func() int {
		var n int
		if err := e.db.Get(&n, `SELECT count(*) FROM evidence e JOIN skills k ON k.id = e.skill_id WHERE k.code = 'backup-recovery'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var first, second models.Evidence
	e.as(hr, "POST", path, body, "Idempotency-Key", "k-1").expect(201).decode(&first)
	r := e.as(hr, "POST", path, body, "Idempotency-Key", "k-1")
	r.expect(201).decode(&second)
	if first.ID != second.ID || r.Header().Get("Idempotent-Replayed") != "true" || count() != 1 {
		t.Fatalf("retry: first %d, second %d, replayed %q, records %d", first.ID, second.ID, r.Header().Get("Idempotent-Replayed"), count())
	}
	// The same key with another body is refused (422, as the IETF draft answers a key
	// reused for another request).
	body["level"] = 3
	e.as(hr, "POST", path, body, "Idempotency-Key", "k-1").problem(422)
	// Keys belong to a token: another token's same key is a new request.
	e.as(e.admin(), "POST", path, body, "Idempotency-Key", "k-1").expect(201)
	// Without a key, a repeated POST is a second record.
	e.as(hr, "POST", path, body).expect(201)
	if n := count(); n != 3 {
		t.Fatalf("records %d, want 3", n)
	}
	// A bulk import retried with its key is applied once.
	file := csvBody("external_id,skill,level,source\nE1,patch-management,2,manager\n")
	var a, b models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", file, "Idempotency-Key", "import-7").expect(200).decode(&a)
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", file, "Idempotency-Key", "import-7").expect(200).decode(&b)
	var n int
	e.db.Get(&n, `SELECT count(*) FROM evidence e JOIN skills k ON k.id = e.skill_id WHERE k.code = 'patch-management'`)
	if a.Inserted != 1 || b.Inserted != 1 || n != 1 {
		t.Fatalf("import retried: %+v %+v, records %d", a, b, n)
	}
	e.as(hr, "POST", path, body, "Idempotency-Key", "bad key with spaces").problem(400)
}
