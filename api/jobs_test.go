package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/service"
)

// async asks for an import to run as a job.
var async = []string{"Prefer", "respond-async"}

// staffFile is a CSV file of n people in the matrix template role.
func staffFile(n int) string {
	var b strings.Builder
	b.WriteString("external_id,role,fte\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "J%d,matrix-template,1\n", i)
	}
	return b.String()
}

// startJob posts an import that prefers to run as a job and returns the job's address.
func (e *testEnv) startJob(token, path string, body rawBody, headers ...string) (string, models.Job) {
	e.t.Helper()
	r := e.as(token, "POST", path, body, append(async, headers...)...).expect(202)
	loc := r.Header().Get("Location")
	var job models.Job
	r.decode(&job)
	if !strings.HasPrefix(loc, "/api/v1/jobs/") || loc != jobPath(job.ID) || r.Header().Get("Preference-Applied") != "respond-async" {
		e.t.Fatalf("202 with Location %q and Preference-Applied %q for job %+v", loc, r.Header().Get("Preference-Applied"), job)
	}
	return loc, job
}

// waitForJob polls a job until it has finished, failing the test after ten seconds.
func (e *testEnv) waitForJob(token, loc string) models.Job {
	e.t.Helper()
	return e.waitForJobTo(token, loc, func(j models.Job) bool { return j.State.Finished() })
}

// waitForJobTo polls a job until done says it is where the test wants it.
func (e *testEnv) waitForJobTo(token, loc string, done func(models.Job) bool) models.Job {
	e.t.Helper()
	var job models.Job
	if !clocktest.Eventually(10*time.Second, 10*time.Millisecond, func() bool {
		job = getJSON[models.Job](e, token, loc)
		return done(job)
	}) {
		e.t.Fatalf("job %s did not get there in time: %+v", loc, job)
	}
	return job
}

func TestAnAsyncImportAnswers202AndItsJobEndsWithTheSynchronousAnswer(t *testing.T) {
	e, f := newWorkforceEnv(t)
	admin := f.tokens[models.RoleAdmin]
	file := csvBody(staffFile(25))
	sync := e.as(admin, "POST", "/api/v1/organisations/ORGB/staff/import", file).expect(200)

	loc, started := e.startJob(admin, "/api/v1/organisations/ORGA/staff/import", file)
	if !started.Async || started.Kind != models.JobStaffImport || started.Organisation != "ORGA" || started.State != models.JobQueued {
		t.Errorf("the 202's job: %+v", started)
	}
	job := e.waitForJob(admin, loc)
	if job.State != models.JobSucceeded || job.Phase != models.PhaseDone || job.Result == nil || job.Result.Status != 200 {
		t.Fatalf("job %+v", job)
	}
	if !bytes.Equal(job.Result.Body, bytes.TrimSpace(sync.Body.Bytes())) {
		t.Errorf("the job's report\n%s\nis not the synchronous answer\n%s", job.Result.Body, sync.Body.String())
	}
	p := job.Progress
	if p.RowsRead != 25 || p.RowsChecked != 25 || p.RowsApplied != 25 || p.BytesTotal == nil || p.BytesRead != *p.BytesTotal ||
		job.RowsPerSecond == nil || job.StartedAt == nil || job.FinishedAt == nil {
		t.Errorf("progress %+v, rate %v", p, job.RowsPerSecond)
	}
	if got := getJSON[Page[models.Staff]](e, admin, "/api/v1/organisations/ORGA/staff?q=J"); len(got.Items) != 25 {
		t.Errorf("%d people imported, want 25", len(got.Items))
	}

	// A bad file: the job fails with the 400 the request would have had, nothing applied.
	bad := csvBody("external_id,role\nK1,no-such-role\n")
	syncBad := e.as(admin, "POST", "/api/v1/organisations/ORGB/staff/import", bad).problem(400)
	loc, _ = e.startJob(admin, "/api/v1/organisations/ORGA/staff/import", bad)
	job = e.waitForJob(admin, loc)
	var p2 problemBody
	if job.State != models.JobFailed || job.Result == nil || job.Result.Status != 400 || job.Result.ContentType != "application/problem+json" {
		t.Fatalf("bad file's job %+v", job)
	}
	if err := json.Unmarshal(job.Result.Body, &p2); err != nil || p2.Detail != syncBad.Detail || p2.Instance != "/api/v1/organisations/ORGA/staff/import" {
		t.Errorf("the job's problem %s, the request's %+v", job.Result.Body, syncBad)
	}
	// Asking for the job does not change the import's checks: a wrong media type or
	// parameter is refused at once, not in a job.
	e.as(admin, "POST", "/api/v1/organisations/ORGA/staff/import", `{"external_id":"x"}`, async...).problem(415)
	e.as(admin, "POST", "/api/v1/organisations/ORGA/staff/import?mode=most", file, async...).problem(400)
}

func TestJobsAreScopedToTheirTokensOrganisation(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr, admin := f.tokens[models.RoleHR], f.tokens[models.RoleAdmin]
	staffJob, _ := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", csvBody(staffFile(2)))
	e.waitForJob(hr, staffJob)
	orgJob, _ := e.startJob(admin, "/api/v1/organisations/import", csvBody("code,name,type,parent\nORGA-9,Unit nine,department,ORGA\n"))
	if job := e.waitForJob(admin, orgJob); job.State != models.JobSucceeded || job.Organisation != "" {
		t.Fatalf("organisation import job %+v", job)
	}
	// Another organisation's hr token: neither job exists for it.
	e.as(f.otherHR, "GET", staffJob, nil).problem(404)
	e.as(f.otherHR, "GET", orgJob, nil).problem(404)
	if list := getJSON[Page[models.Job]](e, f.otherHR, "/api/v1/jobs"); len(list.Items) != 0 {
		t.Errorf("another organisation's hr lists %+v", list.Items)
	}
	// hr of ORGA sees its staff imports (the fixture's and this one), not the
	// administrator's organisation import.
	e.as(hr, "GET", orgJob, nil).problem(404)
	if list := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs"); len(list.Items) != 2 || jobPath(list.Items[0].ID) != staffJob {
		t.Errorf("ORGA's hr lists %+v", list.Items)
	}
	// Administrators see every job; lists page and filter.
	all := getJSON[Page[models.Job]](e, admin, "/api/v1/jobs?limit=1")
	if len(all.Items) != 1 || all.NextCursor == "" || jobPath(all.Items[0].ID) != orgJob {
		t.Fatalf("first page %+v", all)
	}
	next := getJSON[Page[models.Job]](e, admin, "/api/v1/jobs?limit=1&cursor="+all.NextCursor)
	if len(next.Items) != 1 || jobPath(next.Items[0].ID) != staffJob {
		t.Errorf("second page %+v", next)
	}
	if k := getJSON[Page[models.Job]](e, admin, "/api/v1/jobs?kind=organisation_import&state=succeeded"); len(k.Items) != 1 {
		t.Errorf("filtered %+v", k.Items)
	}
	e.as(admin, "GET", "/api/v1/jobs?state=lost", nil).problem(400)
	e.as(admin, "GET", "/api/v1/jobs/99999", nil).problem(404)
	e.as(f.tokens[models.RoleAnalyst], "GET", "/api/v1/jobs", nil).problem(403)
}

func TestEverySynchronousImportIsAJobToo(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	before := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs").Items
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(staffFile(3))).expect(200)
	list := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs")
	if len(list.Items) != len(before)+1 {
		t.Fatalf("jobs %+v", list.Items)
	}
	j := list.Items[0]
	if j.Async || j.State != models.JobSucceeded || j.Progress.RowsApplied != 3 || j.Result == nil || j.Result.Status != 200 {
		t.Errorf("the synchronous import's job %+v", j)
	}
}

func TestARetriedAsyncImportReturnsTheSameJob(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	body := csvBody(staffFile(4))
	before := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs").Items
	loc, _ := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", body, "Idempotency-Key", "upload-1")
	again := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", body, append(async, "Idempotency-Key", "upload-1")...).expect(202)
	if again.Header().Get("Location") != loc || again.Header().Get("Idempotent-Replayed") != "true" ||
		again.Header().Get("Preference-Applied") != "respond-async" {
		t.Errorf("the retry answers Location %q (want %q), headers %v", again.Header().Get("Location"), loc, again.Header())
	}
	e.waitForJob(hr, loc)
	if list := getJSON[Page[models.Job]](e, hr, "/api/v1/jobs"); len(list.Items) != len(before)+1 {
		t.Errorf("%d jobs, want one more than %d", len(list.Items), len(before))
	}
}

func TestAnAsyncImportSurvivesItsClientGoingAway(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	ctx, hangUp := context.WithCancel(context.Background())
	file := staffFile(30)
	req := httptest.NewRequest("POST", "/api/v1/organisations/ORGA/staff/import", strings.NewReader(file)).WithContext(ctx)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+hr)
	req.Header.Set("Prefer", "respond-async")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	hangUp() // the client is gone as soon as it has its answer
	checkExchange(t, req, []byte(file), rec)
	if rec.Code != 202 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if job := e.waitForJob(hr, rec.Header().Get("Location")); job.State != models.JobSucceeded || job.Progress.RowsApplied != 30 {
		t.Errorf("job %+v", job)
	}
}

func TestARunningJobShowsItsPhaseAndRows(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	// Another transaction holds staff: the import reads and checks its rows, then waits
	// to apply them.
	tx, err := e.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE staff IN SHARE MODE`); err != nil {
		t.Fatal(err)
	}
	loc, _ := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", csvBody(staffFile(40)))
	waiting := e.waitForJobTo(hr, loc, func(j models.Job) bool { return j.Phase == models.PhaseApplying })
	if waiting.State != models.JobRunning || waiting.Progress.RowsRead != 40 || waiting.Progress.RowsChecked != 40 ||
		waiting.Progress.RowsApplied != 0 || waiting.RowsPerSecond == nil || *waiting.RowsPerSecond <= 0 {
		t.Errorf("while applying: %+v", waiting)
	}
	beat := waiting.HeartbeatAt
	later := e.waitForJobTo(hr, loc, func(j models.Job) bool { return j.HeartbeatAt.After(beat) })
	if later.State != models.JobRunning {
		t.Errorf("after a beat: %+v", later)
	}
	tx.Rollback()
	if done := e.waitForJob(hr, loc); done.State != models.JobSucceeded || done.Progress.RowsApplied != 40 {
		t.Errorf("done: %+v", done)
	}
}

func TestAServerStartingFailsTheJobsItsLastRunLeftWithNothingApplied(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	ctx := context.Background()
	p, err := e.db.Authenticate(ctx, hr, clocktest.Now())
	if err != nil {
		t.Fatal(err)
	}
	org := models.OrgRef{Code: "ORGA"}
	if org.ID, err = e.db.OrganisationID(ctx, p.Scope(), "ORGA"); err != nil {
		t.Fatal(err)
	}
	// A job of the server "host-a :8080", running when it stopped, and one of a live server.
	before := service.New(e.db, clocktest.Clock{}, service.Config{Instance: "host-a :8080"})
	_, left, err := before.StartJob(ctx, p, service.JobSpec{Kind: models.JobStaffImport, Org: &org})
	if err != nil {
		t.Fatal(err)
	}
	other := service.New(e.db, clocktest.Clock{}, service.Config{Instance: "host-b :8080"})
	_, live, err := other.StartJob(ctx, p, service.JobSpec{Kind: models.JobStaffImport, Org: &org})
	if err != nil {
		t.Fatal(err)
	}
	restarted := service.New(e.db, clocktest.Clock{}, service.Config{Instance: "host-a :8080"})
	if n, err := restarted.FailAbandonedJobs(ctx); err != nil || n != 1 {
		t.Fatalf("failed %d jobs (%v), want the one its last run left", n, err)
	}
	job := getJSON[models.Job](e, hr, jobPath(left.ID))
	var p2 problemBody
	if job.State != models.JobFailed || job.Failure != models.JobAbandoned || job.Result == nil || job.Result.Status != 503 ||
		json.Unmarshal(job.Result.Body, &p2) != nil || !strings.Contains(p2.Detail, "nothing was imported") {
		t.Errorf("the abandoned job %+v", job)
	}
	if job := getJSON[models.Job](e, hr, jobPath(live.ID)); job.State != models.JobRunning {
		t.Errorf("the live server's job %+v", job)
	}
	// The import of a job given up while it ran applies nothing, even when it gets to the end.
	_, err = restarted.ImportStaff(models.WithJob(ctx, left), org, models.ImportAllOrNothing, false, rowsOf(models.StaffImportRow{
		Line: 2, Staff: models.Staff{ExternalID: "LATE", FTE: 1, Status: models.StaffActive}}))
	if models.ErrorCode(err) != models.EUNAVAILABLE {
		t.Errorf("the abandoned job's import: %v", err)
	}
	e.as(hr, "GET", "/api/v1/organisations/ORGA/staff/LATE", nil).problem(404)
	// A job whose heartbeat stopped a minute ago, wherever it ran, is given up too; one
	// that was applied (its import committed) before its server went succeeded.
	_, applied, err := other.StartJob(ctx, p, service.JobSpec{Kind: models.JobStaffImport, Org: &org})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`UPDATE jobs SET heartbeat_at = now() - interval '2 minutes', phase = CASE WHEN id = $2 THEN 'done' ELSE phase END
		WHERE id IN ($1, $2)`, live.ID, applied.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := restarted.FailAbandonedJobs(ctx); err != nil || n != 2 {
		t.Errorf("ended %d stale jobs (%v), want 2", n, err)
	}
	if job := getJSON[models.Job](e, hr, jobPath(live.ID)); job.State != models.JobFailed {
		t.Errorf("the stale job %+v", job)
	}
	if job := getJSON[models.Job](e, hr, jobPath(applied.ID)); job.State != models.JobSucceeded || job.Failure != "" || job.Result != nil {
		t.Errorf("the applied job %+v", job)
	}
}

// rowsOf yields rows to an import, then io.EOF.
func rowsOf(rows ...models.StaffImportRow) func() (models.StaffImportRow, error) {
	return func() (models.StaffImportRow, error) {
		if len(rows) == 0 {
			return models.StaffImportRow{}, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
}

func TestErasureEmptiesTheJobAnswersThatNameThePerson(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	loc, _ := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", csvBody("external_id,role\nE1,no-such-role\n"))
	if job := e.waitForJob(hr, loc); job.Result == nil || !strings.Contains(string(job.Result.Body), `"E1"`) {
		t.Fatalf("the job's answer does not name E1: %+v", job)
	}
	other, _ := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", csvBody(staffFile(1)))
	e.waitForJob(hr, other)
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA/staff/E1?erase=true", nil).expect(200)
	if job := getJSON[models.Job](e, hr, loc); job.Result != nil || !job.ResultErased || job.State != models.JobFailed {
		t.Errorf("after erasure: %+v", job)
	}
	if job := getJSON[models.Job](e, hr, other); job.Result == nil || job.ResultErased {
		t.Errorf("a job that does not name E1 lost its answer: %+v", job)
	}
}

func TestABackgroundImportHasItsOwnAuditEntry(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	loc, job := e.startJob(hr, "/api/v1/organisations/ORGA/staff/import", csvBody(staffFile(2)))
	e.waitForJob(hr, loc)
	// The request's entry (202, the job's creation) and the import's own (the job's
	// write, with its answer's status), both of ORGA.
	var statuses []string
	// The request's status is filled in in the background.
	clocktest.Eventually(10*time.Second, 10*time.Millisecond, func() bool {
		statuses = nil
		for _, a := range getJSON[Page[models.AuditEntry]](e, e.admin(), "/api/v1/audit?organisation=ORGA&limit=1000").Items {
			if a.Route == "/api/v1/organisations/:code/staff/import" && a.Status != nil && a.Organisation == "ORGA" &&
				(a.Target["job"] == "" || a.Target["job"] == fmt.Sprint(job.ID)) {
				statuses = append(statuses, fmt.Sprintf("%d job=%s", *a.Status, a.Target["job"]))
			}
		}
		return len(statuses) >= 3
	})
	want := fmt.Sprintf("[%d job=%d 202 job= 200 job=]", 200, job.ID) // newest first; the fixture's own import last
	if fmt.Sprint(statuses) != want {
		t.Errorf("audit entries %v, want %s", statuses, want)
	}
}
