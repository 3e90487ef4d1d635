package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// AssurancePopulation is every organisation national statistics count for a type (as
// statsOrgs names them), with its region, ICB, sector and size band and what its B6
// indicators read as of at, each organisation judged over its own subtree by its own
// requirements, as its B6 report judges it: per staff group, how many people its
// requirement applies to and how many are in date; everyone's figures at then (the first
// month-end of the evaluation); and its skills with a gap then and at at.
func (db *DB) AssurancePopulation(ctx context.Context, orgType string, then, at time.Time) ([]models.OrgTraining, error) {
	// The gap counts read today's maintained counts and the history: apply recent writes.
	if err := db.FlushHistoryForRead(ctx, at); err != nil {
		return nil, err
	}
	return assurancePopulation(ctx, db, orgType, then, at)
}

// assurancePopulation is AssurancePopulation's reading, on q: the pool, or the
// transaction of a background computation with a time budget of its own.
func assurancePopulation(ctx context.Context, q sqlx.QueryerContext, orgType string, then, at time.Time) ([]models.OrgTraining, error) {
	var rows []struct {
		statOrgRow
		Instant   int    `db:"instant"`
		Audience  string `db:"audience"`
		Headcount int    `db:"headcount"`
		InDate    int    `db:"in_date"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, statsOrgs+`
		SELECT orgs.id AS org, orgs.region, orgs.region_name, orgs.icb, orgs.icb_name, orgs.sector, orgs.size_band,
		       COALESCE(f.instant, 1) AS instant, COALESCE(f.audience, '') AS audience,
		       COALESCE(f.headcount, 0) AS headcount, COALESCE(f.in_date, 0) AS in_date
		  FROM orgs
		  -- every organisation at once (training_counts reads the evidence once): judging one
		  -- organisation at a time looked each person up in evidence again
		  LEFT JOIN (
		        SELECT c.root, c.instant, c.audience, c.headcount, c.in_date
		          FROM training_counts(ARRAY(SELECT id FROM orgs), ARRAY[$6::timestamptz, $7::timestamptz]) c
		         WHERE c.instant = 1 OR c.audience = 'all_staff') f ON f.root = orgs.id
		 ORDER BY orgs.id, f.instant, f.audience`, orgType, "", "", "", "", at.UTC(), then.UTC())
	if err != nil {
		return nil, translate(err)
	}
	gaps, err := skillsWithGap(ctx, q, orgType, then, at)
	if err != nil {
		return nil, err
	}
	var out []models.OrgTraining
	index := map[int64]int{}
	for _, r := range rows {
		i, ok := index[r.Org]
		if !ok {
			i = len(out)
			index[r.Org] = i
			keys, labels := r.dimensions()
			g := gaps[r.Org]
			out = append(out, models.OrgTraining{Keys: keys, Labels: labels, Figures: map[models.Audience]models.TrainingFigures{},
				SkillGaps: models.SkillGapChange{From: then, To: at, SkillsWithGapFrom: g[0], SkillsWithGapTo: g[1], Change: g[1] - g[0]}})
		}
		f := models.TrainingFigures{Headcount: r.Headcount, InDate: r.InDate}
		switch {
		case r.Audience == "":
		case r.Instant == 1:
			out[i].Figures[models.Audience(r.Audience)] = f
		default:
			out[i].Then = f
		}
	}
	return out, nil
}

// skillsWithGap counts, per organisation of the statistics (statsOrgs), the skills of its
// gap report with a gap at then and at at, as its B6 report's evaluation compares them:
// at at from today's maintained counts (statsEvaluated), at then from the maintained
// history (historyAsOf), each summed over the organisation's subtree and judged by the
// gap rule in SQL (skill_gap) with its targets and its external cover on that day.
func skillsWithGap(ctx context.Context, q sqlx.QueryerContext, orgType string, then, at time.Time) (map[int64][2]int, error) {
	var rows []struct {
		Org  int64 `db:"org"`
		Then int   `db:"gaps_then"`
		Now  int   `db:"gaps_now"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, statsEvaluated+`,
	subtree AS (
		SELECT DISTINCT t.descendant_id AS id FROM organisation_tree t WHERE t.ancestor_id IN (SELECT id FROM orgs)),
	history AS (`+historyAsOf("$7::timestamptz", `'v'::"char"`)+`),
	rolled_then AS (
		SELECT t.ancestor_id AS org, h.skill_id,
		       sum(h.demand_essential)::int AS demand_essential, sum(h.supply_essential)::int AS supply_essential,
		       sum(h.held_1)::int AS held_1, sum(h.held_2)::int AS held_2, sum(h.held_3)::int AS held_3, sum(h.held_4)::int AS held_4
		  FROM history h JOIN organisation_tree t ON t.descendant_id = h.organisation_id
		 WHERE t.ancestor_id IN (SELECT id FROM orgs)
		 GROUP BY 1, 2),
	ev_then AS (
		SELECT COALESCE(c.org, tg.organisation_id) AS org,
		       skill_gap(c.demand_essential, c.supply_essential, c.held_1, c.held_2, c.held_3, c.held_4,
		                 tg.min_level, tg.min_headcount, v.organisation_id IS NOT NULL) AS gap
		  FROM rolled_then c
		  FULL JOIN org_targets_of(ARRAY(SELECT id FROM orgs)) tg ON tg.organisation_id = c.org AND tg.skill_id = c.skill_id
		  LEFT JOIN external_coverage v ON v.organisation_id = COALESCE(c.org, tg.organisation_id)
		        AND v.skill_id = COALESCE(c.skill_id, tg.skill_id) AND (v.contract_end IS NULL OR $7::timestamptz::date < v.contract_end))
	SELECT orgs.id AS org, COALESCE(t.gaps, 0) AS gaps_then, COALESCE(n.gaps, 0) AS gaps_now
	  FROM orgs
	  LEFT JOIN (SELECT org, count(*) FILTER (WHERE gap)::int AS gaps FROM ev_then GROUP BY org) t ON t.org = orgs.id
	  LEFT JOIN (SELECT org, count(*) FILTER (WHERE gap)::int AS gaps FROM ev GROUP BY org) n ON n.org = orgs.id`,
		append(statsArgs(models.StatisticsFilter{Type: orgType}, at), then.UTC())...)
	out := make(map[int64][2]int, len(rows))
	for _, r := range rows {
		out[r.Org] = [2]int{r.Then, r.Now}
	}
	return out, translate(err)
}
