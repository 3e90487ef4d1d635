package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cyberskills/api"
	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
	"cyberskills/service"
)

// importServer is a server over a fresh database, with organisation ORGA, reached over
// HTTP as the command reaches one; wrap, when not nil, stands in front of the API.
func importServer(t *testing.T, wrap func(http.Handler) http.Handler) (*httptest.Server, *repository.DB) {
	t.Helper()
	db := pgtest.New(t)
	if _, err := db.Exec(`INSERT INTO organisations (code, name, type) VALUES ('ORGA', 'Organisation A', 'trust')`); err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, clocktest.Clock{}, service.Config{DefaultPassRate: 0.8, JobHeartbeat: 20 * time.Millisecond})
	srv := api.NewServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{
		RequestTimeout: 30 * time.Second, ImportTimeout: time.Minute, BodyLimit: 1 << 20, ImportBodyLimit: 64 << 20})
	var h http.Handler = srv.Router()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, db
}

// tokenFor mints a token in db and returns its secret.
func tokenFor(t *testing.T, db *repository.DB, role models.Role, org string) string {
	t.Helper()
	_, secret, err := db.CreateToken(context.Background(), models.NewToken{Name: "cli", Role: role, OrgCode: org}, clocktest.Now())
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// fileWith writes a file of the given name and content in the test's folder.
func fileWith(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommandUploadsToAServerAndFollowsTheJob(t *testing.T) {
	ts, db := importServer(t, nil)
	hr := tokenFor(t, db, models.RoleHR, "ORGA")
	staff := fileWith(t, "staff.csv", "external_id,role\nC1,network-engineer\nC2,network-engineer\nC3,\n")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"import", "staff", "--server", ts.URL, "--token", hr, "--org", "ORGA", staff}, clocktest.Clock{}, &stdout, &stderr); err != nil {
		t.Fatalf("import staff: %v\n%s", err, stderr.String())
	}
	var report models.ImportReport
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || report.Inserted != 3 || !report.Applied {
		t.Fatalf("report %s: %v", stdout.String(), err)
	}
	// Not a terminal: plain lines, the upload's and the job's, ending with how it ended.
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if !strings.HasPrefix(lines[0], "uploading") || !strings.Contains(stderr.String(), "uploading  [########################] 100%") ||
		!strings.HasPrefix(lines[len(lines)-1], "job 1  succeeded") || strings.Contains(stderr.String(), "\r") {
		t.Errorf("progress:\n%s", stderr.String())
	}

	// NDJSON by its extension; the token from the environment.
	t.Setenv("CYBERSKILLS_TOKEN", hr)
	evidence := fileWith(t, "evidence.ndjson", `{"external_id":"C1","skill":"firewall-config","level":3,"source":"manager"}`+"\n")
	stdout.Reset()
	if err := run([]string{"import", "evidence", "--server", ts.URL, "--org", "ORGA", evidence}, clocktest.Clock{}, &stdout, io.Discard); err != nil {
		t.Fatalf("import evidence: %v", err)
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || report.Inserted != 1 {
		t.Fatalf("evidence report %s: %v", stdout.String(), err)
	}

	// A bad file: the job's problem is the command's error, with the line.
	bad := fileWith(t, "bad.csv", "external_id,role\nC4,no-such-role\n")
	err := run([]string{"import", "staff", "--server", ts.URL, "--org", "ORGA", bad}, clocktest.Clock{}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 row is invalid") || !strings.Contains(err.Error(), "line 2: role") {
		t.Errorf("bad file: %v", err)
	}
	// Organisations over the API, as an administrator.
	admin := tokenFor(t, db, models.RoleAdmin, "")
	orgs := fileWith(t, "units.csv", "code,name,type,parent\nORGA-1,Unit one,department,ORGA\n")
	stdout.Reset()
	if err := run([]string{"import", "organisations", "--server", ts.URL, "--token", admin, orgs}, clocktest.Clock{}, &stdout, io.Discard); err != nil {
		t.Fatalf("import organisations: %v", err)
	}
	var res models.OrganisationImportResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || res.Inserted != 1 {
		t.Errorf("organisations %s: %v", stdout.String(), err)
	}
	// Refusals the server never sees.
	for _, args := range [][]string{
		{"import", "staff", "--server", ts.URL, staff},                                         // no organisation
		{"import", "staff", "--server", ts.URL, "--org", "ORGA", "--retire", "missing", staff}, // an organisations flag
		{"import", "evidence", "--server", ts.URL, "--org", "ORGA", "--leavers", "mark", evidence},
		{"import", "people", staff},
	} {
		if err := run(args, clocktest.Clock{}, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestImportCommandSendsTheUploadAgainWithTheSameKeyWhenTheServerIsAway(t *testing.T) {
	var posts atomic.Int32
	ts, db := importServer(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && posts.Add(1) == 1 {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Retry-After", "1")
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `{"status":503,"detail":"the database does not answer"}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	hr := tokenFor(t, db, models.RoleHR, "ORGA")
	staff := fileWith(t, "staff.csv", "external_id\nR1\n")
	var stderr bytes.Buffer
	if err := run([]string{"import", "staff", "--server", ts.URL, "--token", hr, "--org", "ORGA", staff}, clocktest.Clock{}, io.Discard, &stderr); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr.String())
	}
	var jobs int
	if err := db.Get(&jobs, `SELECT count(*) FROM jobs`); err != nil || jobs != 1 || posts.Load() != 2 {
		t.Errorf("%d jobs after %d uploads (%v), want 1 after 2", jobs, posts.Load(), err)
	}
	if !strings.Contains(stderr.String(), "the database does not answer (503); sending again in 1s") {
		t.Errorf("progress:\n%s", stderr.String())
	}
}

func TestProgressLinesSayWhereTheJobIs(t *testing.T) {
	t.Parallel()
	total := int64(2_000_000)
	rate, left := 41234.5, 3.4
	j := models.Job{ID: 12, State: models.JobRunning, Phase: models.PhaseReading, RowsPerSecond: &rate, SecondsLeft: &left,
		Progress: models.JobProgress{BytesTotal: &total, BytesRead: 500_000, RowsRead: 123456}}
	want := "job 12  reading   [######..................]  25%  123,456 rows read, 0 checked, 0 applied  41,234 rows/s  about 3s left"
	if got := jobLine(j); got != want {
		t.Errorf("reading:\n%q\nwant\n%q", got, want)
	}
	started := clocktest.Now()
	j.State, j.Phase, j.SecondsLeft, j.Progress.RowsChecked, j.Progress.RowsApplied = models.JobSucceeded, models.PhaseDone, nil, 123456, 123456
	j.StartedAt, j.Seconds = &started, 6.9
	if got := jobLine(j); got != "job 12  succeeded  123,456 rows read, 123,456 checked, 123,456 applied  7s" {
		t.Errorf("done: %q", got)
	}
	if got := uploadLine(1_500_000, 3_000_000); got != "uploading  [############............]  50%  1.5 MB of 3.0 MB" {
		t.Errorf("upload: %q", got)
	}
	// A terminal redraws one line in place.
	var term bytes.Buffer
	v := newProgressView(&term, true)
	v.upload(10, 10)
	v.job(j)
	v.finish()
	if !strings.HasPrefix(term.String(), "\r\033[Kuploading") || !strings.Contains(term.String(), "\r\033[Kjob 12") || !strings.HasSuffix(term.String(), "\n") {
		t.Errorf("terminal: %q", term.String())
	}
}
