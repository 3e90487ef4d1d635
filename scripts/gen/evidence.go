package main

import (
	"context"
	"fmt"
	"time"
)

// courses the dataset's training comes from: the annual Data Security Awareness course
// every NHS employee takes, phishing awareness, and passwords and multi-factor sign-in.
const trainingProvider = "nhs-elearning"

var datasetCourses = []struct {
	code, title, skill string
	level, months      int
}{
	{"DSA-ANNUAL", "Data Security Awareness (annual)", "secure-data", 1, 12},
	{"PHISHING", "Recognising phishing and malware", "malware-protection", 1, 24},
	{"MFA-BASICS", "Passwords and multi-factor sign-in", "access-control", 1, 24},
}

// evidence writes the training record and assessments of every active person:
// completions of the last two years' awareness courses (and the training evidence they
// give, derived in SQL as a posted completion would), older training history as evidence,
// self-assessments, and for IT staff manager assessments and certificates around the
// levels their roles need.
func (g *generator) evidence(ctx context.Context, people []staffRow) error {
	skillID := map[string]int64{}
	var skills []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
	}
	if err := g.db.SelectContext(ctx, &skills, `SELECT k.id, k.code FROM skills k JOIN frameworks f ON f.id = k.framework_id WHERE f.is_default`); err != nil {
		return err
	}
	for _, s := range skills {
		skillID[s.Code] = s.ID
	}
	courseID := map[string]int64{}
	for _, c := range datasetCourses {
		var id int64
		if err := g.db.GetContext(ctx, &id, `
			WITH c AS (INSERT INTO courses (provider, code, title, validity_months, duration_hours, cost, activity_iri)
			           VALUES ($1, $2, $3, $4, 1.5, 0, 'https://elearning.example.nhs.uk/courses/' || $2) RETURNING id)
			INSERT INTO course_skills (course_id, skill_id, level) SELECT id, $5, $6 FROM c RETURNING course_id`,
			trainingProvider, c.code, c.title, c.months, skillID[c.skill], c.level); err != nil {
			return err
		}
		courseID[c.code] = id
	}
	requirements, err := g.requirements(ctx)
	if err != nil {
		return err
	}
	// Completions: this year's and last year's courses.
	n, err := g.copyRows(ctx, "completions", []string{"provider", "completion_id", "staff_id", "course_id", "completed_at", "passed", "score", "payload_hash"},
		func(emit func(...any) error) error {
			seq := 0
			for _, p := range people {
				for _, c := range datasetCourses {
					for year := 0; year < 2; year++ {
						if g.rng.Float64() > 0.82 {
							continue
						}
						seq++
						at := g.today.AddDate(-year, 0, -1-g.rng.IntN(360))
						passed := g.rng.Float64() < 0.96
						if err := emit(trainingProvider, fmt.Sprintf("C%09d", seq), p.id, courseID[c.code], at, passed,
							60+g.rng.IntN(41), []byte{byte(seq), byte(seq >> 8), byte(seq >> 16)}); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	g.step("wrote %d completions", n)
	if err := g.exec(ctx, `
		INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at, note, completion_id)
		SELECT c.staff_id, cs.skill_id, 1, cs.level, 'training', c.completed_at,
		       c.completed_at + make_interval(months => co.validity_months), 'course ' || co.code, c.id
		  FROM completions c JOIN courses co ON co.id = c.course_id JOIN course_skills cs ON cs.course_id = co.id
		 WHERE c.passed`); err != nil {
		return err
	}
	g.step("derived training evidence from the passed completions")
	n, err = g.copyRows(ctx, "evidence", []string{"staff_id", "skill_id", "framework_version", "level", "source", "assessed_at", "expires_at"},
		func(emit func(...any) error) error {
			for _, p := range people {
				if err := g.personHistory(p, skillID, requirements[p.role], emit); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	g.step("wrote %d further evidence records", n)
	return nil
}

// personHistory emits one person's older training, self-assessments and, for roles with
// technical requirements, assessments and certificates.
func (g *generator) personHistory(p staffRow, skillID map[string]int64, reqs []requirement, emit func(...any) error) error {
	for year := 2; year < 7; year++ { // older annual awareness training, long expired
		if g.rng.Float64() < 0.8 {
			at := g.today.AddDate(-year, 0, -g.rng.IntN(360))
			if err := emit(p.id, skillID["secure-data"], 1, 1, "training", at, at.AddDate(1, 0, 0)); err != nil {
				return err
			}
		}
	}
	for year := 2; year < 4; year++ {
		if g.rng.Float64() < 0.6 {
			at := g.today.AddDate(-year, 0, -g.rng.IntN(360))
			if err := emit(p.id, skillID["malware-protection"], 1, 1, "training", at, at.AddDate(2, 0, 0)); err != nil {
				return err
			}
		}
	}
	if g.rng.Float64() < 0.25 {
		at := g.today.AddDate(0, -g.rng.IntN(18), 0)
		if err := emit(p.id, skillID["secure-data"], 1, 1+g.rng.IntN(3), "self", at, nil); err != nil {
			return err
		}
	}
	for _, r := range reqs {
		if r.level <= 1 {
			continue
		}
		// Verified levels spread around the requirement: most meet it, some fall short.
		level := min(4, max(0, r.level+int(g.rng.NormFloat64()*0.9-0.2)))
		at := g.today.AddDate(0, -1-g.rng.IntN(30), 0)
		if err := emit(p.id, skillID[r.skill], 1, level, "manager", at, nil); err != nil {
			return err
		}
		if g.rng.Float64() < 0.35 { // a certificate, valid three years; some have lapsed
			cat := g.today.AddDate(0, -g.rng.IntN(48), 0)
			if err := emit(p.id, skillID[r.skill], 1, min(4, level+1), "certification", cat, cat.AddDate(3, 0, 0)); err != nil {
				return err
			}
		}
		if g.rng.Float64() < 0.3 {
			if err := emit(p.id, skillID[r.skill], 1, min(4, level+g.rng.IntN(2)), "self", at, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

type requirement struct {
	skill string
	level int
}

func (g *generator) requirements(ctx context.Context) (map[string][]requirement, error) {
	var rows []struct {
		Role  string `db:"role"`
		Skill string `db:"skill"`
		Level int    `db:"level"`
	}
	if err := g.db.SelectContext(ctx, &rows, `SELECT r.code AS role, k.code AS skill, q.level
		FROM role_requirements q JOIN job_roles r ON r.id = q.role_id JOIN skills k ON k.id = q.skill_id
		WHERE r.organisation_id IS NULL`); err != nil {
		return nil, err
	}
	out := map[string][]requirement{}
	for _, r := range rows {
		out[r.Role] = append(out[r.Role], requirement{r.Skill, r.Level})
	}
	return out, nil
}

// workforce writes staff and evidence, then rebuilds the gap aggregates once and
// refreshes the planner's statistics.
func (g *generator) workforce(ctx context.Context) error {
	g.sizes()
	people, err := g.staff(ctx)
	if err != nil {
		return err
	}
	if err := g.evidence(ctx, people); err != nil {
		return err
	}
	// Fresh statistics first: the rebuild's plan depends on them.
	if _, err := g.db.ExecContext(ctx, `SET statement_timeout = 0; ANALYZE staff, evidence, completions, organisations, organisation_tree`); err != nil {
		return err
	}
	start := time.Now()
	if err := g.rebuild(ctx, g.now); err != nil {
		return fmt.Errorf("rebuilding the gap aggregates: %w", err)
	}
	g.step("rebuilt the gap aggregates in %.0fs", time.Since(start).Seconds())
	if _, err := g.db.ExecContext(ctx, `SET statement_timeout = 0; ANALYZE`); err != nil {
		return err
	}
	return nil
}

// rebuild recomputes the gap aggregates from the evidence as of at, without the
// statement timeout.
func (g *generator) rebuild(ctx context.Context, at time.Time) error {
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT workforce_rebuild($1)`, at); err != nil {
		return err
	}
	return tx.Commit()
}

// summary counts what the dataset holds.
func (g *generator) summary(ctx context.Context) string {
	var orgs, staff, evidence, completions int
	g.db.QueryRowxContext(ctx, `SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM staff),
		(SELECT count(*) FROM evidence), (SELECT count(*) FROM completions)`).Scan(&orgs, &staff, &evidence, &completions)
	return fmt.Sprintf("%d organisations, %d staff, %d evidence records, %d completions", orgs, staff, evidence, completions)
}
