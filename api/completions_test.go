package api

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// trainingEnv is the matrix fixture with a course SEC-201 of the trainer's provider,
// conferring backup-recovery at 3 and patch-management at 2 for 24 months, and a second
// person E2 in ORGA.
func trainingEnv(t *testing.T) (*testEnv, matrixFixture) {
	t.Helper()
	e, f := newWorkforceEnv(t)
	e.as(f.tokens[models.RoleTrainer], "PUT", "/api/v1/courses/SEC-201", map[string]any{
		"title": "Backup and patching in practice", "activity_iri": "https://acme.example/xapi/courses/sec-201", "validity_months": 24,
		"skills": []map[string]any{{"skill": "backup-recovery", "level": 3}, {"skill": "patch-management", "level": 2}},
	}).expect(201)
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/E2", map[string]any{"role": "orga-role", "email": "user@example.com"}).expect(201)
	return e, f
}

// completedAt is a completion time safely in the past, on the 15th of a month so that
// adding months is unambiguous.
func completedAt() time.Time {
	t := clocktest.Now().AddDate(0, 0, -40)
	return time.Date(t.Year(), t.Month(), 15, 10, 0, 0, 0, time.UTC)
}

func completion(id, staff string, at time.Time, passed bool) map[string]any {
	return map[string]any{"completion_id": id, "organisation": "ORGA", "staff_external_id": staff, "course": "SEC-201",
		"completed_at": at.Format(time.RFC3339), "passed": passed, "score": 91}
}

// trainingEvidence is a person's training evidence, oldest first.
func trainingEvidence(t *testing.T, e *testEnv, staff string) []models.Evidence {
	t.Helper()
	page := getJSON[Page[models.Evidence]](e, e.admin(), "/api/v1/organisations/ORGA/staff/"+staff+"/evidence?limit=1000")
	var out []models.Evidence
	for _, ev := range page.Items {
		if ev.Source == models.SourceTraining {
			out = append([]models.Evidence{ev}, out...)
		}
	}
	return out
}

func TestPassedCompletionCreatesTrainingEvidence(t *testing.T) {
	e, f := trainingEnv(t)
	acme, admin := f.tokens[models.RoleTrainer], e.admin()
	at := completedAt()
	var res models.CompletionsResult
	e.as(acme, "POST", "/api/v1/completions", completion("LMS-1", "E1", at, true)).expect(201).decode(&res)
	if len(res.Items) != 1 || res.Items[0].CompletionID != "LMS-1" || res.Items[0].Status != models.CompletionCreated || len(res.Items[0].Evidence) != 2 {
		t.Fatalf("result %+v", res)
	}
	expires := at.AddDate(0, 24, 0)
	evs := trainingEvidence(t, e, "E1")
	if len(evs) != 2 || !slices.Equal([]int64{evs[0].ID, evs[1].ID}, res.Items[0].Evidence) {
		t.Fatalf("evidence %+v for result %v", evs, res.Items[0].Evidence)
	}
	levels := map[string]int{"backup-recovery": 3, "patch-management": 2}
	for i, ev := range evs {
		if ev.Level != levels[ev.Skill] || !ev.AssessedAt.Equal(at) || ev.ExpiresAt == nil || !ev.ExpiresAt.Equal(expires) ||
			ev.Assessor != "acme-training" || ev.Note != "Course SEC-201" || ev.Framework != "cyber" {
			t.Errorf("evidence %d: %+v", i, ev)
		}
		delete(levels, ev.Skill)
	}
	if len(levels) != 0 {
		t.Errorf("no evidence for %v", levels)
	}
	// The levels count at once in the person's competencies.
	path := "/api/v1/organisations/ORGA/staff/E1/competencies"
	for skill, level := range map[string]int{"backup-recovery": 3, "patch-management": 2} {
		c := competencyOf(t, e, admin, path, skill)
		if c.VerifiedLevel != level || c.VerifiedUntil == nil || !c.VerifiedUntil.Equal(expires) {
			t.Errorf("%s: %+v", skill, c)
		}
	}

	// The same payload again, even written otherwise, changes nothing.
	again := completion("LMS-1", "E1", at.In(time.FixedZone("BST", 3600)), true)
	again["score"] = 91.0
	var same models.CompletionsResult
	e.as(acme, "POST", "/api/v1/completions", again).expect(200).decode(&same)
	if len(same.Items) != 1 || same.Items[0].Status != models.CompletionUnchanged || !slices.Equal(same.Items[0].Evidence, res.Items[0].Evidence) {
		t.Fatalf("retry %+v", same)
	}
	if n := len(trainingEvidence(t, e, "E1")); n != 2 {
		t.Fatalf("%d training records after the retry", n)
	}
	// Another payload under the same id is a conflict naming it.
	changed := completion("LMS-1", "E1", at, true)
	changed["score"] = 55
	if p := e.as(acme, "POST", "/api/v1/completions", changed).problem(409); !p.hasFieldError("completion_id") {
		t.Fatalf("problem %+v", p)
	}
	// Ids belong to a provider: another provider may use LMS-1 for its own course.
	e.as(admin, "PUT", "/api/v1/courses/RIV-1", map[string]any{"title": "Rival", "provider": "rival-training",
		"skills": []map[string]any{{"skill": "access-control", "level": 1}}}).expect(201)
	rival := completion("LMS-1", "E1", at, true)
	rival["course"] = "RIV-1"
	var other models.CompletionsResult
	e.as(e.mint(models.RoleTrainer, "", "rival-training"), "POST", "/api/v1/completions", rival).expect(201).decode(&other)
	if other.Items[0].Status != models.CompletionCreated || len(other.Items[0].Evidence) != 1 {
		t.Fatalf("rival %+v", other)
	}
}

func TestFailedCompletionGrantsNothing(t *testing.T) {
	e, f := trainingEnv(t)
	var res models.CompletionsResult
	e.as(f.tokens[models.RoleTrainer], "POST", "/api/v1/completions", completion("LMS-F", "E2", completedAt(), false)).expect(201).decode(&res)
	if res.Items[0].Status != models.CompletionCreated || len(res.Items[0].Evidence) != 0 {
		t.Fatalf("result %+v", res)
	}
	if evs := trainingEvidence(t, e, "E2"); len(evs) != 0 {
		t.Fatalf("evidence %+v", evs)
	}
	// A course without validity grants evidence that never expires.
	e.as(f.tokens[models.RoleTrainer], "PUT", "/api/v1/courses/FOREVER", map[string]any{"title": "For ever",
		"skills": []map[string]any{{"skill": "access-control", "level": 1}}}).expect(201)
	forever := completion("LMS-P", "E2", completedAt(), true)
	forever["course"] = "FOREVER"
	e.as(f.tokens[models.RoleTrainer], "POST", "/api/v1/completions", forever).expect(201)
	if evs := trainingEvidence(t, e, "E2"); len(evs) != 1 || evs[0].ExpiresAt != nil || evs[0].Level != 1 {
		t.Fatalf("evidence %+v", evs)
	}
}

func TestCompletionBatchAppliesEntirelyOrNotAtAll(t *testing.T) {
	e, f := trainingEnv(t)
	acme := f.tokens[models.RoleTrainer]
	at := completedAt()
	batch := func(items ...map[string]any) []map[string]any { return items }
	count := func() int {
		var n int
		if err := e.db.Get(&n, `SELECT (SELECT count(*) FROM completions) + (SELECT count(*) FROM evidence WHERE completion_id IS NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	bad := completion("B4", "E2", at, true)
	bad["completed_at"] = "15/01/2026"
	p := e.as(acme, "POST", "/api/v1/completions", batch(completion("B1", "E1", at, true), completion("B2", "E2", at, true),
		completion("B3", "E1", at, false), bad)).problem(400)
	if len(p.Errors) != 1 || p.Errors[0].Field != "items[3].completed_at" || count() != 0 {
		t.Fatalf("problem %+v, %d rows", p, count())
	}
	// Unknown staff and courses: 422 naming each item; nothing applied.
	unknownStaff, unknownCourse := completion("B2", "NOBODY", at, true), completion("B3", "E1", at, true)
	unknownCourse["course"] = "NO-SUCH-COURSE"
	p = e.as(acme, "POST", "/api/v1/completions", batch(completion("B1", "E1", at, true), unknownStaff, unknownCourse)).problem(422)
	if len(p.Errors) != 2 || p.Errors[0].Field != "items[1].staff_external_id" || p.Errors[1].Field != "items[2].course" || count() != 0 {
		t.Fatalf("problem %+v, %d rows", p, count())
	}
	// Another provider's course is unknown to a trainer.
	p = e.as(e.mint(models.RoleTrainer, "", "rival-training"), "POST", "/api/v1/completions", completion("R1", "E1", at, true)).problem(422)
	if !p.hasFieldError("course") || p.hasFieldError("staff_external_id") || count() != 0 {
		t.Fatalf("problem %+v", p)
	}
	// A good batch applies; a batch reusing one of its ids with another payload does not.
	var res models.CompletionsResult
	e.as(acme, "POST", "/api/v1/completions", batch(completion("B1", "E1", at, true), completion("B2", "E2", at, false))).expect(201).decode(&res)
	if len(res.Items) != 2 || res.Items[0].Status != models.CompletionCreated || len(res.Items[0].Evidence) != 2 || len(res.Items[1].Evidence) != 0 || count() != 4 {
		t.Fatalf("result %+v, %d rows", res, count())
	}
	p = e.as(acme, "POST", "/api/v1/completions", batch(completion("B5", "E1", at, true), completion("B2", "E2", at, true))).problem(409)
	if len(p.Errors) != 1 || p.Errors[0].Field != "items[1].completion_id" || count() != 4 {
		t.Fatalf("problem %+v, %d rows", p, count())
	}
	// A batch mixing a retry and a new item reports each.
	e.as(acme, "POST", "/api/v1/completions", batch(completion("B2", "E2", at, false), completion("B5", "E1", at, true))).expect(201).decode(&res)
	if res.Items[0].Status != models.CompletionUnchanged || res.Items[1].Status != models.CompletionCreated || count() != 7 {
		t.Fatalf("result %+v, %d rows", res, count())
	}
	// Admin names the provider; the response says nothing about staff beyond the ids sent.
	e.as(e.admin(), "POST", "/api/v1/completions", completion("A1", "E1", at, true)).problem(400)
	r := e.as(e.admin(), "POST", "/api/v1/completions?provider=acme-training", completion("A1", "E1", at, true)).expect(201)
	if body := r.Body.String(); strings.Contains(body, "E1") || strings.Contains(body, "ORGA") {
		t.Fatalf("response shows staff data: %s", body)
	}
}

func TestCompletionsCloseEnrolments(t *testing.T) {
	e, f := trainingEnv(t)
	acme := f.tokens[models.RoleTrainer]
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/E3", map[string]any{"role": "orga-role"}).expect(201)
	at := completedAt()
	for _, staff := range []string{"E1", "E2", "E3"} {
		if _, err := e.db.Exec(`
			INSERT INTO enrolments (organisation_id, staff_id, course_id, enrolled_at, expected_completion)
			SELECT s.organisation_id, s.id, c.id, $2::date - 30, $2::date + 30
			  FROM staff s, courses c WHERE s.external_id = $1 AND c.code = 'SEC-201'`, staff, at); err != nil {
			t.Fatal(err)
		}
	}
	var res models.CompletionsResult
	e.as(acme, "POST", "/api/v1/completions", []map[string]any{completion("E-1", "E1", at, true), completion("E-2", "E2", at, false)}).expect(201).decode(&res)
	type enrolment struct {
		Staff        string     `db:"external_id"`
		Status       string     `db:"status"`
		ClosedAt     *time.Time `db:"closed_at"`
		CompletionID *string    `db:"completion_id"`
	}
	var got []enrolment
	if err := e.db.Select(&got, `
		SELECT s.external_id, n.status, n.closed_at, c.completion_id
		  FROM enrolments n JOIN staff s ON s.id = n.staff_id LEFT JOIN completions c ON c.id = n.completion_id
		  JOIN courses co ON co.id = n.course_id
		 WHERE co.code = 'SEC-201' ORDER BY s.external_id`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 ||
		got[0].Status != "completed" || got[0].ClosedAt == nil || !got[0].ClosedAt.Equal(at) || got[0].CompletionID == nil || *got[0].CompletionID != "E-1" ||
		got[1].Status != "failed" || got[1].ClosedAt == nil || got[1].CompletionID == nil || *got[1].CompletionID != "E-2" ||
		got[2].Status != "enrolled" || got[2].ClosedAt != nil || got[2].CompletionID != nil {
		t.Fatalf("enrolments %+v", got)
	}
	// A late report of an attempt from before the enrolment leaves it open.
	e.as(acme, "POST", "/api/v1/completions", completion("E-3", "E3", at.AddDate(0, 0, -60), true)).expect(201)
	var status string
	if err := e.db.Get(&status, `SELECT n.status FROM enrolments n JOIN staff s ON s.id = n.staff_id JOIN courses co ON co.id = n.course_id
		WHERE s.external_id = 'E3' AND co.code = 'SEC-201'`); err != nil || status != "enrolled" {
		t.Fatalf("E3's enrolment is %q (%v)", status, err)
	}
}

func TestConcurrentRetriesRecordOnce(t *testing.T) {
	e, f := xapiEnv(t)
	acme := f.tokens[models.RoleTrainer]
	at := completedAt()
	const n = 6
	statement := strings.Replace(passedStatement, "{", `{"id": "5f0e3a4b-8c2d-4e6f-9a1b-3c5d7e9f1a2b",`, 1)
	statuses := make([]int, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			statuses[i] = e.as(acme, "POST", "/api/v1/completions", completion("SAME", "E1", at, true)).Code
		}()
		go func() {
			defer wg.Done()
			statuses[n+i] = e.as(acme, "POST", "/xapi/statements", statement, xapiHeader...).Code
		}()
	}
	wg.Wait()
	created := 0
	for i, s := range statuses {
		switch {
		case i < n && s == 201:
			created++
		case i < n && s == 200, i >= n && s == 200:
		default:
			t.Fatalf("request %d answered %d", i, s)
		}
	}
	type counts struct {
		Completions int `db:"completions"`
		Statements  int `db:"statements"`
		Evidence    int `db:"evidence"`
	}
	var rows counts
	if err := e.db.Get(&rows, `SELECT (SELECT count(*) FROM completions) AS completions, (SELECT count(*) FROM xapi_statements) AS statements,
		(SELECT count(*) FROM evidence WHERE source = 'training') AS evidence`); err != nil {
		t.Fatal(err)
	}
	// SEC-201 confers two skills, CBT-1 one.
	if created != 1 || rows != (counts{Completions: 1, Statements: 1, Evidence: 3}) {
		t.Fatalf("%d created; rows %+v", created, rows)
	}
}
