package repository_test

import (
	"context"
	"fmt"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// The hot queries, timed against a trust of benchStaff people with eight evidence
// records each, seeded in SQL and applied through the gap engine's own rebuild:
//
//	make bench-go (or, with TEST_DATABASE_URL set, go test ./repository -run '^$' -bench .)
//
// scripts/bench.sh measures the same paths through HTTP on generated national data.
const benchStaff = 20_000

type benchData struct {
	db     *repository.DB
	orgID  int64
	secret string
	skills []string
}

func seedBench(b *testing.B) benchData {
	b.Helper()
	db := pgtest.New(b)
	ctx := context.Background()
	mustExec(b, db, `INSERT INTO organisations (code, name, type) VALUES ('BIG', 'A large trust', 'trust')`)
	mustExec(b, db, `INSERT INTO organisations (code, name, type, parent_id)
		SELECT 'BIG-' || i, 'Directorate ' || i, 'department', (SELECT id FROM organisations WHERE code = 'BIG')
		  FROM generate_series(1, 20) AS i`)
	mustExec(b, db, fmt.Sprintf(`
		INSERT INTO staff (organisation_id, external_id, role_id, status)
		SELECT o.id, 'E' || lpad(i::text, 7, '0'), r.id, 'active'
		  FROM generate_series(1, %d) AS i
		  JOIN organisations o ON o.code = 'BIG-' || (1 + i %% 20)
		  JOIN LATERAL (SELECT id FROM job_roles WHERE organisation_id IS NULL ORDER BY id OFFSET i %% 5 LIMIT 1) r ON true`, benchStaff))
	mustExec(b, db, `
		INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at)
		SELECT s.id, k.id, f.version, 1 + (s.id + k.position) % 4,
		       (ARRAY['self', 'manager', 'training', 'assessment'])[1 + (s.id + k.position) % 4],
		       now() - interval '300 days', CASE WHEN k.position % 3 = 0 THEN now() + interval '400 days' END
		  FROM staff s, skills k JOIN frameworks f ON f.id = k.framework_id
		 WHERE f.is_default AND k.position % 2 = s.id % 2`)
	mustExec(b, db, `SELECT workforce_rebuild(now())`)
	mustExec(b, db, `ANALYZE`)
	d := benchData{db: db}
	var err error
	if d.orgID, err = db.OrganisationID(ctx, models.ScopeAll(), "BIG"); err != nil {
		b.Fatal(err)
	}
	if _, d.secret, err = db.CreateToken(ctx, models.NewToken{Name: "bench", Role: models.RoleHR, OrgCode: "BIG"}, clocktest.Now()); err != nil {
		b.Fatal(err)
	}
	if err := db.SelectContext(ctx, &d.skills, `SELECT k.code FROM skills k JOIN frameworks f ON f.id = k.framework_id
		WHERE f.is_default ORDER BY k.position`); err != nil {
		b.Fatal(err)
	}
	return d
}

func BenchmarkHotQueries(b *testing.B) {
	d := seedBench(b)
	ctx := context.Background()
	all := models.ScopeAll()

	b.Run("authenticate", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.db.Authenticate(ctx, d.secret, clocktest.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("staff-lookup", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			n := 1 + i%benchStaff
			id, err := d.db.OrganisationID(ctx, all, fmt.Sprintf("BIG-%d", 1+n%20))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := d.db.GetStaff(ctx, all, id, fmt.Sprintf("E%07d", n)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evidence-write", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			n := 1 + i%benchStaff
			level := 1 + i%4
			if _, err := d.db.AddEvidence(ctx, all, fmt.Sprintf("BIG-%d", 1+n%20), fmt.Sprintf("E%07d", n),
				models.NewEvidence{Skill: d.skills[i%len(d.skills)], Level: &level, Source: models.SourceManager}, 0, clocktest.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("flush-250-writes", func(b *testing.B) {
		// What the background flusher pays for a quarter second of writes at 1,000 a
		// second: each operation queues 250 records (not timed) and applies them.
		const batch = 250
		if _, err := d.db.Flush(ctx, clocktest.Now()); err != nil { // what the write benchmark left
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			b.StopTimer()
			for range batch {
				i++
				n := 1 + (i*7919)%benchStaff
				level := 1 + i%4
				if _, err := d.db.AddEvidence(ctx, all, fmt.Sprintf("BIG-%d", 1+n%20), fmt.Sprintf("E%07d", n),
					models.NewEvidence{Skill: d.skills[i%len(d.skills)], Level: &level, Source: models.SourceManager}, 0, clocktest.Now()); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			if _, err := d.db.Flush(ctx, clocktest.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch)/1e3, "µs/write")
	})
	b.Run("gap-report-trust", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.db.SkillGaps(ctx, models.GapQuery{OrgID: d.orgID, Scope: all}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gap-report-trust-live", func(b *testing.B) {
		// The path for another basis or a past date: computed from the evidence.
		for b.Loop() {
			if _, err := d.db.SkillGaps(ctx, models.GapQuery{OrgID: d.orgID, Scope: all, Basis: models.BasisAny}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("national-headline", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.db.StatisticsHeadline(ctx, models.StatisticsFilter{}, clocktest.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("breakdown-by-region", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.db.StatisticsBreakdown(ctx, models.StatisticsFilter{}, []string{"region"}, clocktest.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
