package api

import (
	"context"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// tokenID is the id of the token whose secret is given.
func (e *testEnv) tokenID(secret string) int64 {
	e.t.Helper()
	p, err := e.db.Authenticate(context.Background(), secret, clocktest.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return p.TokenID
}

func TestEvidenceSaysWhatCreatedIt(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr, trainer := f.tokens[models.RoleHR], f.tokens[models.RoleTrainer]
	history := func() []models.Evidence {
		return getJSON[Page[models.Evidence]](e, hr, "/api/v1/organisations/ORGA/staff/E1/evidence?limit=100").Items
	}
	find := func(kind string) []models.Origin {
		var out []models.Origin
		for _, ev := range history() {
			if ev.Origin.Kind == kind {
				out = append(out, ev.Origin)
			}
		}
		return out
	}

	// Posted one at a time: the token that posted it.
	var posted models.Evidence
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/E1/evidence", map[string]any{"skill": "backup-recovery", "level": 1, "source": "self"}).
		expect(201).decode(&posted)
	if posted.Origin != (models.Origin{Kind: "api", Token: e.tokenID(hr)}) {
		t.Errorf("posted: %+v", posted.Origin)
	}

	// Imported, at once and as a job: the import's job, and its token.
	file := ndjson(`{"external_id":"E1","skill":"secure-data","level":2,"source":"manager"}` + "\n")
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", file).expect(200)
	loc, job := e.startJob(hr, "/api/v1/organisations/ORGA/evidence/import", file)
	e.waitForJob(hr, loc)
	jobs := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs?kind=evidence_import").Items
	imported := find("import")
	if len(jobs) != 2 || len(imported) != 2 || imported[0].ImportJob != job.ID || imported[1].ImportJob != jobs[1].ID ||
		imported[0].Token != e.tokenID(hr) {
		t.Errorf("imported: %+v, jobs %+v", imported, jobs)
	}

	// A provider's completion, and its xAPI statement: the provider and their ids.
	e.as(trainer, "POST", "/api/v1/completions", map[string]any{"completion_id": "LMS-7", "organisation": "ORGA",
		"staff_external_id": "E1", "course": "MATRIX-101", "completed_at": clocktest.Days(-3).Format(time.RFC3339), "passed": true}).expect(201)
	if c := find("completion"); len(c) != 1 || c[0].CompletionID != "LMS-7" || c[0].Provider != "acme-training" || c[0].Token != e.tokenID(trainer) {
		t.Errorf("completion: %+v", c)
	}
	statement := map[string]any{"id": "6f1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c", "actor": matrixStatement["actor"],
		"verb": matrixStatement["verb"], "object": matrixStatement["object"], "timestamp": clocktest.Days(-2).Format(time.RFC3339)}
	e.as(trainer, "POST", "/xapi/statements", statement, xapiHeader...).expect(200)
	if s := find("statement"); len(s) != 1 || s[0].StatementID != "6f1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c" || s[0].Provider != "acme-training" {
		t.Errorf("statement: %+v", s)
	}
}

func TestEvidenceOriginKindFollowsWhatItRefersTo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		origin models.Origin
		want   string
	}{
		{models.NewOrigin("p", "", "uuid", 0, 7), "statement"},
		{models.NewOrigin("p", "C1", "", 0, 7), "completion"},
		{models.NewOrigin("", "", "", 12, 7), "import"},
		{models.NewOrigin("", "", "", 0, 7), "api"},
		{models.NewOrigin("", "", "", 0, 0), "unknown"},
	} {
		if tc.origin.Kind != tc.want {
			t.Errorf("%+v, want %s", tc.origin, tc.want)
		}
	}
}
