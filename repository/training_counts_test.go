package repository_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// trainingCountsTable loads the table the training_counts tests judge: trusts with their
// own requirements and key role flags, a department, leavers and joiners, appointed key
// roles, evidence of every level and source, of a superseded skill, expiring, overlapping
// and retracted at different moments; and trust K, whose people have known answers
// (TestTrainingCountsKnownAnswers).
func trainingCountsTable(t *testing.T, exec func(q string, args ...any), now time.Time) {
	t.Helper()
	day := func(days int) time.Time { return now.AddDate(0, 0, days) }
	for _, q := range []string{
		`INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust one', 'trust'), ('T2', 'Trust two', 'trust'), ('K', 'Trust K', 'trust')`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'T1-A', 'Unit', 'department', id FROM organisations WHERE code = 'T1'`,
		`INSERT INTO training_requirements (organisation_id, audience, skill_id, level, refresh_months, reason)
		 SELECT o.id, 'all_staff', k.id, 2, 6, 'Twice a year' FROM organisations o, skills k WHERE o.code = 'T2' AND k.code = 'secure-data'`,
		`INSERT INTO key_role_roles (organisation_id, role_code, key_roles)
		 SELECT id, 'clinical-staff', ARRAY['privileged_user'] FROM organisations WHERE code = 'T2'`,
		`INSERT INTO skills (framework_id, code, name, tier, status, superseded_by, effective_id, introduced_version)
		 SELECT framework_id, 'old-secure-data', 'Secure data (old)', tier, 'deprecated', id, id, 1 FROM skills WHERE code = 'secure-data'`,
		// 150 people: every fifth a leaver (some without an end date), joiners during the year
		`INSERT INTO staff (organisation_id, external_id, fte, role_id, status, start_date, end_date)
		 SELECT o.id, 'P' || g, 1, r.id, CASE WHEN g % 5 = 0 THEN 'leaver' ELSE 'active' END,
		        CASE WHEN g % 7 = 0 AND g % 5 <> 0 THEN ($1::timestamptz - (g % 13) * interval '1 month')::date END,
		        CASE WHEN g % 5 = 0 AND g % 10 <> 0 THEN ($1::timestamptz - (g % 11) * interval '1 month')::date END
		   FROM generate_series(1, 150) g
		   JOIN organisations o ON o.code = (ARRAY['T1', 'T1-A', 'T2'])[1 + g % 3]
		   LEFT JOIN job_roles r ON r.organisation_id IS NULL
		        AND r.code = (ARRAY['clinical-staff', 'network-engineer', 'information-governance-lead', 'service-desk-analyst'])[1 + g % 6]`,
		`INSERT INTO key_role_staff (organisation_id, staff_id, key_role)
		 SELECT s.organisation_id, s.id, (ARRAY['siro', 'dpo', 'caldicott_guardian'])[1 + s.id % 3] FROM staff s WHERE s.id % 9 = 0`,
		// six records each, over three years, of the required skills and one that is not
		`INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at)
		 SELECT s.id, k.id, 1, 1 + (s.id * 7 + n) % 4, (ARRAY['self', 'training', 'assessment', 'import'])[1 + (s.id + n) % 4],
		        $1::timestamptz - ((s.id * 37 + n * 53) % 1100) * interval '1 day',
		        CASE WHEN (s.id + n) % 3 = 0 THEN $1::timestamptz - ((s.id * 37 + n * 53) % 1100 - 200) * interval '1 day' END
		   FROM staff s CROSS JOIN generate_series(1, 6) n
		   JOIN skills k ON k.code = (ARRAY['secure-data', 'old-secure-data', 'incident-management', 'access-control', 'incident-detection', 'secure-data', 'risk-management'])[1 + (s.id + n * 3) % 7]`,
		// retractions, before, during and after the year
		`INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, retracts_id)
		 SELECT e.staff_id, e.skill_id, 1, 0, 'manager', e.assessed_at + ((e.id * 31) % 500) * interval '1 day', e.id
		   FROM evidence e WHERE e.id % 4 = 0 AND e.assessed_at + ((e.id * 31) % 500) * interval '1 day' <= $1::timestamptz`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, now)
		}
		exec(q, args...)
	}
	// trust K: K1 trained on the superseded skill; K2 trained, then retracted; K3 only
	// self-assessed; K4 appointed DPO (level 3) with a level 1 record; K5 a leaver, in
	// date when still employed; K6 a joiner, untrained
	exec(`INSERT INTO staff (organisation_id, external_id, fte, status, start_date, end_date)
		SELECT o.id, p.code, 1, p.status, p.start_date, p.end_date FROM organisations o,
		       (VALUES ('K1', 'active', NULL::date, NULL::date), ('K2', 'active', NULL, NULL), ('K3', 'active', NULL, NULL),
		               ('K4', 'active', NULL, NULL), ('K5', 'leaver', NULL, $1::date), ('K6', 'active', $2::date, NULL))
		       AS p (code, status, start_date, end_date)
		 WHERE o.code = 'K'`, day(-100), day(-50))
	exec(`INSERT INTO key_role_staff (organisation_id, staff_id, key_role)
		SELECT organisation_id, id, 'dpo' FROM staff WHERE external_id = 'K4'`)
	exec(`INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at)
		SELECT s.id, k.id, 1, e.level, e.source, e.assessed_at
		  FROM (VALUES ('K1', 'old-secure-data', 1, 'training', $1::timestamptz), ('K2', 'secure-data', 2, 'training', $2),
		               ('K3', 'secure-data', 4, 'self', $1), ('K4', 'secure-data', 1, 'assessment', $3),
		               ('K5', 'secure-data', 1, 'import', $4)) AS e (person, skill, level, source, assessed_at)
		  JOIN staff s ON s.external_id = e.person JOIN skills k ON k.code = e.skill`,
		day(-30), day(-300), day(-60), day(-250))
	exec(`INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, retracts_id)
		SELECT e.staff_id, e.skill_id, 1, 0, 'manager', $1::timestamptz, e.id
		  FROM evidence e JOIN staff s ON s.id = e.staff_id WHERE s.external_id = 'K2'`, day(-10))
}

// Trust K's people (trainingCountsTable) judged now and 200 days ago: who counts, who
// is in date, after supersession, retraction, self-assessment, a key role's level,
// leaving and joining.
func TestTrainingCountsKnownAnswers(t *testing.T) {
	db, ctx := testDB(t)
	now := clocktest.Now()
	trainingCountsTable(t, func(q string, args ...any) { db.MustExecContext(ctx, q, args...) }, now)
	type count struct {
		Instant   int    `db:"instant"`
		Audience  string `db:"audience"`
		Headcount int    `db:"headcount"`
		InDate    int    `db:"in_date"`
	}
	var got []count
	if err := db.SelectContext(ctx, &got, `SELECT c.instant, c.audience, c.headcount, c.in_date
		FROM organisations o, training_counts(ARRAY[o.id], ARRAY[$1::timestamptz, $2::timestamptz]) c
		WHERE o.code = 'K' ORDER BY c.instant, c.audience`, now, now.AddDate(0, 0, -200)); err != nil {
		t.Fatal(err)
	}
	want := []count{
		{1, "all_staff", 5, 2}, // K1 (superseded skill), K4; K2 retracted, K3 self, K6 untrained; K5 gone
		{1, "dpo", 1, 0},       // K4's level 1 is below the DPO's 3
		{2, "all_staff", 5, 2}, // K2 (not yet retracted), K5; K1 and K4 not yet trained; K6 not yet joined
		{2, "dpo", 1, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("trust K: got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("trust K, row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// training_counts (the national statistics, every organisation at once) and
// training_status (one organisation's B6 report, person by person), counted alike, agree
// on every organisation of the table, at the two instants the statistics ask for and at
// the thirteen of a B6 report.
func TestTrainingCountsMatchTrainingStatus(t *testing.T) {
	db, ctx := testDB(t)
	now := clocktest.Now()
	trainingCountsTable(t, func(q string, args ...any) { db.MustExecContext(ctx, q, args...) }, now)
	ends := models.MonthEnds(now, 12)
	for name, instants := range map[string][]time.Time{
		"now and the first month-end": {now, ends[0]},
		"every month-end and now":     append(ends, now),
	} {
		at := pq.Array(instantStrings(instants))
		var groups, partly, missing, extra int
		if err := db.QueryRowContext(ctx, `WITH person_by_person AS (
				SELECT o.id AS root, st.instant, st.audience, count(*)::int AS headcount,
				       count(*) FILTER (WHERE st.valid_until > st.at)::int AS in_date
				  FROM organisations o, training_status(o.id, 0, $1::timestamptz[]) st
				 GROUP BY o.id, st.instant, st.audience),
			counted AS (SELECT * FROM training_counts(ARRAY(SELECT id FROM organisations ORDER BY id), $1::timestamptz[]))
			SELECT (SELECT count(*) FROM person_by_person),
			       (SELECT count(*) FROM person_by_person WHERE in_date BETWEEN 1 AND headcount - 1),
			       (SELECT count(*) FROM (SELECT * FROM person_by_person EXCEPT ALL SELECT * FROM counted) d),
			       (SELECT count(*) FROM (SELECT * FROM counted EXCEPT ALL SELECT * FROM person_by_person) d)`,
			at).Scan(&groups, &partly, &missing, &extra); err != nil {
			t.Fatal(err)
		}
		if groups < 4*len(instants) || partly < 2*len(instants) {
			t.Fatalf("%s: the table tests too little: %d groups, %d partly in date", name, groups, partly)
		}
		if missing != 0 || extra != 0 {
			t.Errorf("%s: %d of training_status's %d counts differ or are missing, %d are new", name, missing, groups, extra)
		}
	}
}

// instantStrings formats instants for a PostgreSQL timestamptz array.
func instantStrings(ts []time.Time) []string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.UTC().Format(time.RFC3339Nano)
	}
	return s
}
