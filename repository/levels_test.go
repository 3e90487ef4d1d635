package repository_test

import (
	"math/rand"
	"sync"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// TestLevelRuleAgreesWithModels checks that the SQL current-level rule (evidence_levels)
// and the pure rule in models (CurrentLevels) give the same levels for random histories,
// at several moments.
func TestLevelRuleAgreesWithModels(t *testing.T) {
	db, ctx := testDB(t)
	rng := rand.New(rand.NewSource(7))
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	mustExec(t, db, `INSERT INTO staff (organisation_id, external_id) SELECT id, 'E' || g FROM organisations, generate_series(1, 5) g`)
	var staffIDs, skillIDs []int64
	if err := db.SelectContext(ctx, &staffIDs, `SELECT id FROM staff ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if err := db.SelectContext(ctx, &skillIDs, `SELECT id FROM skills ORDER BY id LIMIT 3`); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sources := []models.Source{models.SourceSelf, models.SourceManager, models.SourceCertification, models.SourceTraining}
	history := map[int64][]models.LevelEvidence{}
	for i := 0; i < 300; i++ {
		staff := staffIDs[rng.Intn(len(staffIDs))]
		e := models.LevelEvidence{
			SkillID: skillIDs[rng.Intn(len(skillIDs))], Level: rng.Intn(5),
			Source: sources[rng.Intn(len(sources))], AssessedAt: base.AddDate(0, 0, rng.Intn(300)),
		}
		if rng.Intn(2) == 0 {
			exp := e.AssessedAt.AddDate(0, 0, 1+rng.Intn(200))
			e.ExpiresAt = &exp
		}
		if prev := history[staff]; len(prev) > 0 && rng.Intn(6) == 0 {
			target := prev[rng.Intn(len(prev))]
			if target.RetractsID == 0 {
				e = models.LevelEvidence{SkillID: target.SkillID, Source: models.SourceManager,
					AssessedAt: target.AssessedAt.AddDate(0, 0, rng.Intn(100)), RetractsID: target.ID}
			}
		}
		var retracts *int64
		if e.RetractsID != 0 {
			retracts = &e.RetractsID
		}
		if err := db.GetContext(ctx, &e.ID, `
			INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at, retracts_id)
			VALUES ($1, $2, 1, $3, $4, $5, $6, $7) RETURNING id`,
			staff, e.SkillID, e.Level, string(e.Source), e.AssessedAt, e.ExpiresAt, retracts); err != nil {
			t.Fatal(err)
		}
		history[staff] = append(history[staff], e)
	}
	for _, at := range []time.Time{base.AddDate(0, 0, 30), base.AddDate(0, 0, 150), base.AddDate(0, 0, 290), base.AddDate(2, 0, 0)} {
		for _, staff := range staffIDs {
			want := map[int64]models.CurrentLevel{}
			for _, c := range models.CurrentLevels(history[staff], at) {
				want[c.SkillID] = c
			}
			var rows []struct {
				SkillID  int64      `db:"skill_id"`
				Verified int        `db:"verified"`
				Until    *time.Time `db:"verified_until"`
				Self     *int       `db:"self_level"`
			}
			if err := db.SelectContext(ctx, &rows, `SELECT skill_id, verified, verified_until, self_level FROM evidence_levels(ARRAY[$1::bigint], $2)`, staff, at); err != nil {
				t.Fatal(err)
			}
			got := map[int64]bool{}
			for _, r := range rows {
				got[r.SkillID] = true
				w := want[r.SkillID]
				if r.Verified != w.Verified || !sameInstant(r.Until, w.VerifiedUntil) || !sameInt(r.Self, w.Self) {
					t.Errorf("staff %d skill %d at %s: SQL (%d, %v, %v), models (%d, %v, %v)", staff, r.SkillID, at.Format("2006-01-02"),
						r.Verified, r.Until, r.Self, w.Verified, w.VerifiedUntil, w.Self)
				}
			}
			for id, w := range want {
				if !got[id] && (w.Verified != 0 || w.Self != nil) {
					t.Errorf("staff %d skill %d at %s: missing in SQL, models %+v", staff, id, at.Format("2006-01-02"), w)
				}
			}
		}
	}
}

// TestConcurrentEvidenceCountsOnce writes evidence for one person from many connections
// at once: the per-person lock must keep the counts exact.
func TestConcurrentEvidenceCountsOnce(t *testing.T) {
	db, ctx := testDB(t)
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	mustExec(t, db, `INSERT INTO staff (organisation_id, external_id) SELECT id, 'E' || g FROM organisations, generate_series(1, 3) g`)
	var skills []string
	if err := db.SelectContext(ctx, &skills, `SELECT code FROM skills ORDER BY id LIMIT 2`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			level := 1 + i%4
			_, err := db.AddEvidence(ctx, models.ScopeAll(), "T1", []string{"E1", "E2", "E3"}[i%3],
				models.NewEvidence{Skill: skills[i%2], Level: &level, Source: models.SourceManager}, 0, clocktest.Now())
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	assertStatsMatch(t, db, clocktest.Now(), "after concurrent writes")
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func sameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
