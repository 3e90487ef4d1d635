package api

import (
	"slices"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// courseCodes lists the codes of a page of courses.
func courseCodes(p Page[models.Course]) []string {
	out := []string{}
	for _, c := range p.Items {
		out = append(out, c.Code)
	}
	return out
}

// listCourseCodes reads a list of courses as token and returns the codes.
func listCourseCodes(t *testing.T, e *testEnv, token, query string) []string {
	t.Helper()
	page := getJSON[Page[models.Course]](e, token, "/api/v1/courses"+query)
	return courseCodes(page)
}

func TestCoursesBelongToTheirProvider(t *testing.T) {
	e, f := newWorkforceEnv(t)
	acme, rival := f.tokens[models.RoleTrainer], e.mint(models.RoleTrainer, "", "rival-training")
	body := map[string]any{
		"code": "SEC-201", "title": "Backup and patching in practice", "description": "Two days.",
		"activity_iri": "https://acme.example/xapi/courses/sec-201", "validity_months": 24, "duration_hours": 14, "cost": 350,
		"skills": []map[string]any{{"skill": "patch-management", "level": 2}, {"skill": "backup-recovery", "level": 3}},
	}
	var created models.Course
	e.as(acme, "POST", "/api/v1/courses", body).expect(201).decode(&created)
	if created.Provider != "acme-training" || created.Framework != "cyber" || created.ActivityIRI != "https://acme.example/xapi/courses/sec-201" ||
		*created.ValidityMonths != 24 || *created.DurationHours != 14 || *created.Cost != 350 || created.RetiredAt != nil ||
		len(created.Skills) != 2 || created.Skills[0].Level+created.Skills[1].Level != 5 {
		t.Fatalf("created %+v", created)
	}

	// Another provider cannot see or change it: for it the course does not exist.
	e.as(rival, "GET", "/api/v1/courses/SEC-201", nil).problem(404)
	e.as(rival, "PUT", "/api/v1/courses/SEC-201", body).problem(404)
	e.as(rival, "DELETE", "/api/v1/courses/SEC-201", nil).problem(404)
	if got := listCourseCodes(t, e, rival, ""); len(got) != 0 {
		t.Fatalf("rival lists %v", got)
	}
	// Nor create one in another provider's name; the code is taken anyway.
	other := map[string]any{"code": "RIV-1", "title": "Rival course", "provider": "acme-training", "skills": []map[string]any{}}
	if p := e.as(rival, "POST", "/api/v1/courses", other).problem(400); !p.hasFieldError("provider") {
		t.Fatalf("problem %+v", p)
	}
	body["code"] = "SEC-201"
	e.as(rival, "POST", "/api/v1/courses", body).problem(409)
	delete(other, "provider")
	e.as(rival, "POST", "/api/v1/courses", other).expect(201)

	// Each trainer lists its own; admin and hr see the whole catalogue, with filters.
	if got := listCourseCodes(t, e, acme, ""); !slices.Equal(got, []string{"MATRIX-101", "MATRIX-SPARE", "SEC-201"}) {
		t.Fatalf("acme lists %v", got)
	}
	if got := listCourseCodes(t, e, rival, ""); !slices.Equal(got, []string{"RIV-1"}) {
		t.Fatalf("rival lists %v", got)
	}
	hr := f.tokens[models.RoleHR]
	for query, want := range map[string][]string{
		"":                           {"MATRIX-101", "MATRIX-SPARE", "RIV-1", "SEC-201"},
		"?provider=rival-training":   {"RIV-1"},
		"?skill=backup-recovery":     {"SEC-201"},
		"?skill=firewall-config":     {"MATRIX-101", "MATRIX-SPARE"},
		"?q=patching":                {"SEC-201"},
		"?q=matrix&provider=nobody":  {},
		"?provider=acme-training&q=": {"MATRIX-101", "MATRIX-SPARE", "SEC-201"},
	} {
		if got := listCourseCodes(t, e, hr, query); !slices.Equal(got, want) {
			t.Errorf("hr %s lists %v, want %v", query, got, want)
		}
	}
	// Keyset pagination.
	page := getJSON[Page[models.Course]](e, e.admin(), "/api/v1/courses?limit=3")
	if got := courseCodes(page); !slices.Equal(got, []string{"MATRIX-101", "MATRIX-SPARE", "RIV-1"}) || page.NextCursor == "" {
		t.Fatalf("first page %v next %q", got, page.NextCursor)
	}
	rest := getJSON[Page[models.Course]](e, e.admin(), "/api/v1/courses?limit=3&cursor="+page.NextCursor)
	if got := courseCodes(rest); !slices.Equal(got, []string{"SEC-201"}) || rest.NextCursor != "" {
		t.Fatalf("second page %v next %q", got, rest.NextCursor)
	}
	// hr reads only; analysts see no course.
	read := getJSON[models.Course](e, hr, "/api/v1/courses/RIV-1")
	if read.Provider != "rival-training" || read.Title != "Rival course" {
		t.Fatalf("hr reads %+v", read)
	}
	e.as(hr, "POST", "/api/v1/courses", body).problem(403)
	e.as(hr, "PUT", "/api/v1/courses/SEC-201", body).problem(403)
	e.as(hr, "DELETE", "/api/v1/courses/SEC-201", nil).problem(403)
	e.as(f.tokens[models.RoleAnalyst], "GET", "/api/v1/courses", nil).problem(403)
}

func TestCoursePutIsAnIdempotentUpsert(t *testing.T) {
	e, f := newWorkforceEnv(t)
	acme, admin := f.tokens[models.RoleTrainer], e.admin()
	body := map[string]any{"title": "Incident response basics", "skills": []map[string]any{{"skill": "incident-detection", "level": 2}}}
	var first, again models.Course
	e.as(acme, "PUT", "/api/v1/courses/IR-100", body).expect(201).decode(&first)
	e.as(acme, "PUT", "/api/v1/courses/IR-100", body).expect(200).decode(&again)
	if first.Code != "IR-100" || again.Title != first.Title || again.ValidityMonths != nil || len(again.Skills) != 1 || !again.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("first %+v again %+v", first, again)
	}
	// A replacement changes the skills conferred.
	body["skills"] = []map[string]any{{"skill": "incident-detection", "level": 3}, {"skill": "security-monitoring", "level": 1}}
	var changed models.Course
	e.as(acme, "PUT", "/api/v1/courses/IR-100", body).expect(200).decode(&changed)
	if len(changed.Skills) != 2 || changed.Provider != "acme-training" {
		t.Fatalf("changed %+v", changed)
	}
	// Admin keeps the provider when it names none, and must name one to create.
	e.as(admin, "PUT", "/api/v1/courses/IR-100", body).expect(200).decode(&changed)
	if changed.Provider != "acme-training" {
		t.Fatalf("admin moved the course to %q", changed.Provider)
	}
	if p := e.as(admin, "PUT", "/api/v1/courses/IR-200", body).problem(400); !p.hasFieldError("provider") {
		t.Fatalf("problem %+v", p)
	}
	body["provider"] = "rival-training"
	e.as(admin, "PUT", "/api/v1/courses/IR-200", body).expect(201)
	// Validation names fields; an activity IRI belongs to one course.
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"title": "x", "skills": []map[string]any{{"skill": "no-such-skill", "level": 2}}}, "skills[0].skill"},
		{map[string]any{"title": "x", "skills": []map[string]any{{"skill": "incident-detection", "level": 5}}}, "skills[0].level"},
		{map[string]any{"title": "", "skills": []map[string]any{}}, "title"},
		{map[string]any{"title": "x", "skills": []map[string]any{}, "validity_months": 0}, "validity_months"},
		{map[string]any{"title": "x", "skills": []map[string]any{}, "activity_iri": "not an iri"}, "activity_iri"},
		{map[string]any{"title": "x", "skills": []map[string]any{}, "framework": "nope"}, "framework"},
		{map[string]any{"code": "OTHER", "title": "x", "skills": []map[string]any{}}, "code"},
	} {
		if p := e.as(acme, "PUT", "/api/v1/courses/IR-300", c.body).problem(400); !p.hasFieldError(c.field) {
			t.Errorf("%v: problem %+v, want field %s", c.body, p, c.field)
		}
	}
	e.as(acme, "PUT", "/api/v1/courses/IR-300", map[string]any{"title": "x", "skills": []map[string]any{}, "activity_iri": matrixCourseIRI}).problem(409)
}

func TestCourseWithHistoryIsRetiredNotDeleted(t *testing.T) {
	e, f := newWorkforceEnv(t)
	acme := f.tokens[models.RoleTrainer]
	// Without history a course goes for good.
	e.as(acme, "DELETE", "/api/v1/courses/MATRIX-SPARE", nil).expect(204)
	e.as(acme, "GET", "/api/v1/courses/MATRIX-SPARE", nil).problem(404)
	e.as(acme, "DELETE", "/api/v1/courses/MATRIX-SPARE", nil).problem(404)

	// With a completion it is retired: it leaves the catalogue but answers to its code.
	e.as(acme, "POST", "/api/v1/completions", map[string]any{"completion_id": "H1", "organisation": "ORGA", "staff_external_id": "E1",
		"course": "MATRIX-101", "completed_at": clocktest.Days(-30).Format(time.RFC3339), "passed": true}).expect(201)
	var retired models.Course
	e.as(acme, "DELETE", "/api/v1/courses/MATRIX-101", nil).expect(200).decode(&retired)
	// Retired as of the service's clock, not the database's.
	if retired.RetiredAt == nil || !retired.RetiredAt.Equal(clocktest.Now()) || retired.Code != "MATRIX-101" {
		t.Fatalf("retired %+v, want retired_at %s (%s)", retired, clocktest.Now(), clocktest.Describe())
	}
	if got := listCourseCodes(t, e, acme, ""); len(got) != 0 {
		t.Fatalf("the catalogue still lists %v", got)
	}
	var read models.Course
	e.as(f.tokens[models.RoleHR], "GET", "/api/v1/courses/MATRIX-101", nil).expect(200).decode(&read)
	if read.RetiredAt == nil || !read.RetiredAt.Equal(*retired.RetiredAt) {
		t.Fatalf("read %+v", read)
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM evidence WHERE completion_id IS NOT NULL`); err != nil || n != 1 {
		t.Fatalf("%d training records, %v", n, err)
	}
	// PUT brings it back.
	var back models.Course
	e.as(acme, "PUT", "/api/v1/courses/MATRIX-101", courseBody("", matrixCourseIRI)).expect(200).decode(&back)
	if back.RetiredAt != nil {
		t.Fatalf("still retired: %+v", back)
	}
	if got := listCourseCodes(t, e, acme, ""); !slices.Equal(got, []string{"MATRIX-101"}) {
		t.Fatalf("catalogue %v", got)
	}
}
