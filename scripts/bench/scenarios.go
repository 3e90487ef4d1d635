//go:build bench

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"cyberskills/models"
	"cyberskills/repository"
)

type bench struct {
	ctx                     context.Context
	db                      *repository.DB
	dbURL, url, pgbench     string
	f                       fixture
	duration                time.Duration
	workers                 uint64
	staffRows, evidenceRows int
}

// A scenario is a read, given as its requests and the SQL behind them, or any other run.
type scenario struct {
	name  string
	query func() (readQuery, error)
	run   func() result
}

// readQuery is a read scenario's requests, and the statements (with their arguments)
// the server runs to answer them.
type readQuery struct {
	targets    []vegeta.Target
	statements []string
	args       []any
	note       string // what preparing the requests found, for the result
}

func (b *bench) scenarios() []scenario {
	return []scenario{
		{name: "gap-report-largest-trust", query: b.gapReport},
		{name: "gap-report-past-dates", query: b.gapReportPast},
		{name: "gap-report-other-bases", query: b.gapReportBases},
		{name: "projection-region", run: b.regionProjection},
		{name: "scenario-region", run: b.regionScenario},
		{name: "national-headline", query: b.headline},
		{name: "breakdown-by-region", query: b.breakdown},
		{name: "assurance-statistics", query: b.assuranceStatistics},
		{name: "staff-lookup", query: b.staffLookup},
		{name: "evidence-write", run: b.evidenceWrite},
		{name: "completions-batch", run: b.completions},
		{name: "staff-import-100k", run: b.staffImport},
		{name: "evidence-import-1m", run: b.evidenceImport},
	}
}

// read runs a read scenario at full speed, then at half that rate, and its SQL floor.
func (b *bench) read(name string, q readQuery) result {
	r := attack(name, roundRobin(q.targets), 0, b.workers, b.workers, b.duration)
	r.Note = strings.TrimSpace(q.note + " " + r.Note)
	if rate := int(r.Throughput / 2); rate > 0 {
		paced := attack(name, roundRobin(q.targets), rate, b.workers, b.pacedWorkers(), b.duration)
		r = r.withPaced(rate, paced)
	}
	if len(q.statements) > 0 {
		p50, err := floor(b.pgbench, b.dbURL, q.statements, q.args, int(b.workers), min(b.duration, 10*time.Second))
		if err != nil {
			r.Note = strings.TrimSpace(r.Note + " floor: " + err.Error())
		}
		r.FloorP50 = p50
	}
	return r
}

func (b *bench) gapReport() (readQuery, error) {
	url := b.url + "/api/v1/organisations/" + b.f.largestTrust + "/gaps"
	q := models.GapQuery{OrgID: b.f.largestTrustID, Scope: models.ScopeAll(), Now: time.Now()}
	sql, args := repository.SkillGapsSQL(q)
	return readQuery{targets: []vegeta.Target{target("GET", url, b.f.admin, nil, "")}, statements: []string{sql}, args: args}, nil
}

// gapReportPast asks for the largest trust's report as of dates spread over the
// evidence history (a week to six years back), on each basis in turn; the floor is one of
// them (a year back, self-assessed).
func (b *bench) gapReportPast() (readQuery, error) {
	var targets []vegeta.Target
	now := time.Now()
	for i, days := range []int{7, 45, 200, 365, 500, 800, 1200, 1800, 2200} {
		basis := []string{"verified", "self", "any"}[i%3]
		at := now.AddDate(0, 0, -days).UTC().Format(time.RFC3339)
		targets = append(targets, target("GET", b.url+"/api/v1/organisations/"+b.f.largestTrust+"/gaps?basis="+basis+"&at="+at, b.f.admin, nil, ""))
	}
	at := now.AddDate(-1, 0, 0)
	sql, args := repository.SkillGapsSQL(models.GapQuery{OrgID: b.f.largestTrustID, Scope: models.ScopeAll(), Now: now, At: &at, Basis: models.BasisSelf})
	return readQuery{targets: targets, statements: []string{sql}, args: args}, nil
}

// gapReportBases asks for the largest trust's report today on the self-assessed and the
// "any" basis; the floor is the "any" one.
func (b *bench) gapReportBases() (readQuery, error) {
	var targets []vegeta.Target
	for _, basis := range []string{"self", "any"} {
		targets = append(targets, target("GET", b.url+"/api/v1/organisations/"+b.f.largestTrust+"/gaps?basis="+basis, b.f.admin, nil, ""))
	}
	sql, args := repository.SkillGapsSQL(models.GapQuery{OrgID: b.f.largestTrustID, Scope: models.ScopeAll(), Now: time.Now(), Basis: models.BasisAny})
	return readQuery{targets: targets, statements: []string{sql}, args: args}, nil
}

// regionProjection projects the largest region twelve months ahead with every
// organisation below it judged on its own, one request at a time.
func (b *bench) regionProjection() result {
	url := b.url + "/api/v1/organisations/" + b.f.largestRegion + "/projection?months=12&include_descendants=true"
	return b.serial("projection-region", target("GET", url, b.f.admin, nil, ""))
}

// regionScenario evaluates a what-if for the largest region (hires, a leaver, an
// enrolment, an outsourced skill), one request at a time.
func (b *bench) regionScenario() result {
	p := b.f.regionPerson
	next := time.Now().AddDate(0, 1, 0).Format("2006-01")
	body, _ := json.Marshal(map[string]any{"months": 12, "changes": []map[string]any{
		{"type": "hire", "role": "service-desk-analyst", "count": 5, "from": next},
		{"type": "leaver", "organisation": p.org, "staff_external_id": p.id, "from": next},
		{"type": "enrol", "organisation": p.org, "staff_external_id": p.id, "course": b.f.course, "from": next},
		{"type": "outsource", "skill": b.f.skills[0], "provider": "Regional SOC", "from": next},
	}})
	return b.serial("scenario-region", target("POST", b.url+"/api/v1/organisations/"+b.f.largestRegion+"/scenarios/evaluate", b.f.admin, body, "application/json"))
}

// serial sends one request at a time for the load phase's length (at least three): the
// latency of a heavy report, which nobody asks for eight at a time.
func (b *bench) serial(name string, t vegeta.Target) result {
	r := attack(name, vegeta.NewStaticTargeter(t), 0, 1, 1, b.duration)
	r.Note = strings.TrimSpace(r.Note + fmt.Sprintf(" %s: %d organisations below, %d staff", b.f.largestRegion, b.f.largestRegionUnits, b.f.largestRegionStaff))
	return r
}

func (b *bench) headline() (readQuery, error) {
	statements, args := repository.HeadlineSQL(models.StatisticsFilter{}, time.Now())
	return readQuery{targets: []vegeta.Target{target("GET", b.url+"/api/v1/statistics/headline", b.f.analyst, nil, "")}, statements: statements, args: args}, nil
}

func (b *bench) breakdown() (readQuery, error) {
	sql, args, err := repository.BreakdownSQL(models.StatisticsFilter{}, []string{"region"}, time.Now())
	return readQuery{targets: []vegeta.Target{target("GET", b.url+"/api/v1/statistics/gaps?group_by=region", b.f.analyst, nil, "")}, statements: []string{sql}, args: args}, err
}

func (b *bench) staffLookup() (readQuery, error) {
	var targets []vegeta.Target
	for _, p := range b.f.people {
		targets = append(targets, target("GET", b.url+"/api/v1/organisations/"+p.org+"/staff/"+p.id, b.f.admin, nil, ""))
	}
	p := b.f.people[0]
	sql, args := repository.StaffLookupSQL(models.ScopeAll(), p.orgID, p.id)
	return readQuery{targets: targets, statements: []string{sql}, args: args}, nil
}

// evidenceWrite posts single evidence records for random staff at 1,000 requests a second.
func (b *bench) evidenceWrite() result {
	var targets []vegeta.Target
	for i, p := range b.f.people {
		body, _ := json.Marshal(map[string]any{"skill": b.f.skills[i%len(b.f.skills)], "level": 1 + i%4, "source": "manager"})
		targets = append(targets, target("POST", b.url+"/api/v1/organisations/"+p.org+"/staff/"+p.id+"/evidence", b.f.admin, body, "application/json"))
	}
	// First as fast as 8 clients go (the capacity), then at the target rate of 1,000 a
	// second from as many clients as that takes (the latency a busy service gives).
	r := attack("evidence-write", roundRobin(targets), 0, b.workers, b.workers, b.duration)
	paced := attack("evidence-write", roundRobin(targets), 1000, b.workers, b.pacedWorkers(), b.duration)
	r = r.withPaced(1000, paced)
	if paced.Success < 1 {
		r.Note = strings.TrimSpace(r.Note + fmt.Sprintf(" at 1000/s: %.1f%% ok %s", 100*paced.Success, paced.Note))
	}
	return r
}

// completions posts batches of 100 completions (distinct ids) ten times a second.
func (b *bench) completions() result {
	var targets []vegeta.Target
	n := int(b.duration.Seconds())*10 + 10
	stamp := time.Now().UnixNano()
	for i := 0; i < n; i++ {
		var batch []map[string]any
		for j := 0; j < 100; j++ {
			p := b.f.people[(i*100+j)%len(b.f.people)]
			batch = append(batch, map[string]any{"completion_id": fmt.Sprintf("bench-%d-%d-%d", stamp, i, j),
				"organisation": p.org, "staff_external_id": p.id, "course": b.f.course,
				"completed_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "passed": j%5 != 0, "score": 80})
		}
		body, _ := json.Marshal(batch)
		targets = append(targets, target("POST", b.url+"/api/v1/completions", b.f.trainer, body, "application/json"))
	}
	return attack("completions-batch", vegeta.NewStaticTargeter(targets...), 10, 16, 16, b.duration)
}

// staffImport loads staffRows new people into an empty organisation in one request.
func (b *bench) staffImport() result {
	var buf bytes.Buffer
	buf.WriteString("external_id,role,fte,start_date\n")
	roles := []string{"clinical-staff", "clinical-staff", "clinical-staff", "administrative-staff", "service-desk-analyst"}
	for i := 0; i < b.staffRows; i++ {
		fmt.Fprintf(&buf, "B%07d,%s,1,2020-01-01\n", i, roles[i%len(roles)])
	}
	r := b.upload("staff-import-100k", "/api/v1/organisations/"+b.f.importOrg+"/staff/import", buf.Bytes(), b.staffRows)
	if r.Success == 0 {
		return r
	}
	// The floor copies the same people into a new organisation (their ids are taken where
	// the import put them).
	rows, err := b.importedRows(`SELECT 0::bigint AS organisation_id, external_id, role_id, fte, start_date, status
		FROM staff WHERE organisation_id = $1`, b.f.importOrgID)
	if err == nil {
		var orgID int64
		if err = b.db.GetContext(b.ctx, &orgID, `SELECT nextval(pg_get_serial_sequence('organisations', 'id'))`); err == nil {
			for _, row := range rows {
				row[0] = orgID
			}
			took, err := b.copyFloor("staff", []string{"organisation_id", "external_id", "role_id", "fte", "start_date", "status"}, rows,
				`INSERT INTO organisations (id, code, name, type) OVERRIDING SYSTEM VALUE VALUES ($1, 'BENCH-COPY', 'Copy floor', 'other')`, orgID)
			return withCopyFloor(r, took, err)
		}
	}
	return withCopyFloor(r, 0, err)
}

// evidenceImport loads evidenceRows records for the imported people in one request.
func (b *bench) evidenceImport() result {
	var buf bytes.Buffer
	buf.WriteString("external_id,skill,level,source,assessed_at,expires_at\n")
	for i := 0; i < b.evidenceRows; i++ {
		fmt.Fprintf(&buf, "B%07d,%s,%d,training,2025-0%d-15,2027-0%d-15\n", i%b.staffRows, b.f.skills[i%len(b.f.skills)], 1+i%4, 1+i%9, 1+i%9)
	}
	started := time.Now()
	r := b.upload("evidence-import-1m", "/api/v1/organisations/"+b.f.importOrg+"/evidence/import", buf.Bytes(), b.evidenceRows)
	if r.Success == 0 {
		return r
	}
	r.Note = strings.TrimSpace(r.Note + " " + b.untilCurrent())
	rows, err := b.importedRows(`SELECT staff_id, skill_id, framework_version, level, source, assessed_at, expires_at, recorded_by, import_job_id
		FROM evidence WHERE staff_id IN (SELECT id FROM staff WHERE organisation_id = $1) AND recorded_at >= $2`, b.f.importOrgID, started.Add(-time.Minute))
	if err != nil {
		return withCopyFloor(r, 0, err)
	}
	took, err := b.copyFloor("evidence", []string{"staff_id", "skill_id", "framework_version", "level", "source", "assessed_at",
		"expires_at", "recorded_by", "import_job_id"}, rows, "")
	return withCopyFloor(r, took, err)
}

// untilCurrent waits for the gap figures to take in everything written so far (the
// flush queue to empty; the national statistics are computed from them), then for the
// history (past dates, other bases, projections), and says how long each took.
func (b *bench) untilCurrent() string {
	start := time.Now()
	var out []string
	for _, q := range []struct{ table, what string }{{"workforce_dirty", "gap figures"}, {"history_dirty", "history"}} {
		for {
			var queued int
			if err := b.db.GetContext(b.ctx, &queued, `SELECT count(*) FROM `+q.table); err != nil {
				return "queue: " + err.Error()
			}
			if queued == 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		out = append(out, fmt.Sprintf("%s current %s after the import answered", q.what, time.Since(start).Round(100*time.Millisecond)))
	}
	return strings.Join(out, "; ")
}

func (b *bench) upload(name, path string, body []byte, rows int) result {
	req, _ := http.NewRequest("POST", b.url+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+b.f.admin)
	req.Header.Set("Content-Type", "text/csv")
	start, before := time.Now(), readCPU()
	resp, err := (&http.Client{Timeout: 15 * time.Minute}).Do(req)
	took := time.Since(start)
	r := result{Name: name, Requests: 1, P50: took, P99: took, Rows: rows, RowsPerSec: float64(rows) / took.Seconds(),
		CPU: readCPU().since(before)}
	if err != nil {
		r.Note = err.Error()
		return r
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		r.Note = fmt.Sprintf("status %d: %s", resp.StatusCode, truncate(string(msg), 300))
		r.Rows, r.RowsPerSec = 0, 0
		return r
	}
	r.Success, r.Throughput = 1, 1/took.Seconds()
	return r
}

// pacedWorkers bounds the clients of a fixed-rate run. An unbounded open-loop attacker
// answers a momentary stall by opening ever more connections, and on two shared cores
// the extra clients, goroutines and backends then cost more than the stall did: the run
// measures the attacker's spiral, not the service. Four times the closed-loop clients is
// more than a healthy run at half the capacity needs; when it is not enough the run falls
// short of its rate, which the throughput shows.
func (b *bench) pacedWorkers() uint64 { return 4 * b.workers }
