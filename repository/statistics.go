package repository

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cyberskills/models"
)

// statsArgs are the parameters of statsEvaluated.
func statsArgs(f models.StatisticsFilter, at time.Time) []any {
	t := f.Type
	if t == "" {
		t = "trust"
	}
	return []any{t, f.Region, f.ICB, f.Sector, f.SizeBand, models.TodayAt(at)}
}

// statsOrgs names the organisations every national figure is over (statsEvaluated's
// parameters $1 to $5): the active organisations of the type in the filter that no
// active organisation of the same type lies above, with the values statistics group
// them by.
const statsOrgs = `
	WITH base AS (
		SELECT o.id, COALESCE(r.code, '') AS region, COALESCE(r.name, '') AS region_name,
		       COALESCE(i.code, '') AS icb, COALESCE(i.name, '') AS icb_name,
		       COALESCE(o.sector, 'unknown') AS sector,
		       size_band_of(o.size_band, o.headcount, h.active_staff) AS size_band
		  FROM organisations o
		  LEFT JOIN organisations r ON r.id = o.region_id
		  LEFT JOIN organisations i ON i.id = o.icb_id
		  LEFT JOIN org_headcount h ON h.organisation_id = o.id
		 WHERE o.active AND o.type = $1 AND ($2 = '' OR r.code = $2) AND ($3 = '' OR i.code = $3)
		   AND ($4 = '' OR o.sector = $4)
		   AND NOT EXISTS (SELECT 1 FROM organisation_tree t JOIN organisations a ON a.id = t.ancestor_id
		                    WHERE t.descendant_id = o.id AND t.depth > 0 AND a.active AND a.type = $1)),
	orgs AS (SELECT * FROM base WHERE $5 = '' OR size_band = $5)`

// statsEvaluated evaluates every skill of every organisation in the filter, from the
// maintained counts summed over each organisation's subtree, its targets and coverage:
// the basis of every national figure. Parameters: $1 type, $2 region, $3 ICB, $4 sector,
// $5 size band, $6 the date the figures are as of (external contracts end on a date).
//
// An organisation counts only when no active organisation of the same type lies above
// it: its staff are in that one's subtree already. Summing both subtrees counted the
// same people twice (a department inside a department, or a "trust" created inside a
// trust before the tree was typed, which also counted as one more trust), so the
// organisations counted never contain one another and every person is counted once.
const statsEvaluated = statsOrgs + `,
	rolled AS (
		SELECT t.ancestor_id AS org, s.skill_id,
		       sum(s.demand)::int AS demand, sum(s.supply)::int AS supply,
		       sum(s.demand_essential)::int AS demand_essential, sum(s.supply_essential)::int AS supply_essential,
		       sum(s.held_1)::int AS held_1, sum(s.held_2)::int AS held_2, sum(s.held_3)::int AS held_3, sum(s.held_4)::int AS held_4
		  FROM org_skill_stats s JOIN organisation_tree t ON t.descendant_id = s.organisation_id
		 WHERE t.ancestor_id IN (SELECT id FROM orgs)
		 GROUP BY 1, 2),
	covered AS (
		SELECT v.organisation_id, v.skill_id FROM external_coverage v
		 WHERE v.organisation_id IN (SELECT id FROM orgs) AND (v.contract_end IS NULL OR $6::date < v.contract_end)),
	-- Materialised so that each organisation's skill is judged once, however many
	-- figures read the verdict.
	ev AS MATERIALIZED (
		SELECT COALESCE(c.org, tg.organisation_id) AS org, COALESCE(c.skill_id, tg.skill_id) AS skill_id,
		       COALESCE(c.demand, 0) AS demand, COALESCE(c.supply, 0) AS supply,
		       COALESCE(c.held_1, 0) AS held_1, COALESCE(c.held_2, 0) AS held_2,
		       COALESCE(c.held_3, 0) AS held_3, COALESCE(c.held_4, 0) AS held_4,
		       skill_gap(c.demand_essential, c.supply_essential, c.held_1, c.held_2, c.held_3, c.held_4,
		                 tg.min_level, tg.min_headcount, v.organisation_id IS NOT NULL) AS gap
		  FROM rolled c
		  FULL JOIN org_targets_of(ARRAY(SELECT id FROM orgs)) tg ON tg.organisation_id = c.org AND tg.skill_id = c.skill_id
		  LEFT JOIN covered v ON v.organisation_id = COALESCE(c.org, tg.organisation_id) AND v.skill_id = COALESCE(c.skill_id, tg.skill_id))`

// StatisticsHeadline counts the organisations in the filter and those with a basic,
// incident response and advanced skills gap, and per skill those with a gap in it, as of at.
func (db *DB) StatisticsHeadline(ctx context.Context, f models.StatisticsFilter, at time.Time) (models.Headline, error) {
	var h models.Headline
	if err := db.FlushForRead(ctx, at); err != nil {
		return h, err
	}
	orgs, skills := headlineSQL()
	if err := db.GetContext(ctx, &h, orgs, statsArgs(f, at)...); err != nil {
		return h, translate(err)
	}
	err := db.SelectContext(ctx, &h.Skills, skills, statsArgs(f, at)...)
	return h, translate(err)
}

// headlineQueries is the pair of queries behind StatisticsHeadline, also run directly
// by the benchmarks as the floor.
func headlineQueries(f models.StatisticsFilter, at time.Time) ([]string, []any) {
	orgs, skills := headlineSQL()
	return []string{orgs, skills}, statsArgs(f, at)
}

func headlineSQL() (orgs, skills string) {
	return statsEvaluated + `,
	per_org AS (
		SELECT ev.org, bool_or(ev.gap AND k.survey_tier = 'basic') AS basic,
		       bool_or(ev.gap AND k.survey_tier = 'incident_response') AS ir, bool_or(ev.gap AND k.survey_tier = 'advanced') AS adv
		  FROM ev JOIN skills k ON k.id = ev.skill_id GROUP BY ev.org)
	SELECT count(*)::int AS organisations,
	       count(*) FILTER (WHERE p.basic)::int AS withbasicgap,
	       count(*) FILTER (WHERE p.ir)::int AS withincidentresponsegap,
	       count(*) FILTER (WHERE p.adv)::int AS withadvancedgap
	  FROM orgs LEFT JOIN per_org p ON p.org = orgs.id`, statsEvaluated + `
	SELECT k.code AS skill, k.name, COALESCE(k.survey_tier, '') AS tier, count(DISTINCT ev.org) FILTER (WHERE ev.gap)::int AS withgap
	  FROM ev JOIN skills k ON k.id = ev.skill_id
	 GROUP BY k.id, k.code, k.name, k.survey_tier, k.position
	 ORDER BY k.position, k.code`
}

// Dimensions a breakdown may group by, with the SQL that yields each key and label.
// Keys are fixed strings: a request can only choose among them.
var statDimensions = map[string]struct {
	key, label string
	org        bool
}{
	"region":    {"orgs.region", "orgs.region_name", true},
	"icb":       {"orgs.icb", "orgs.icb_name", true},
	"sector":    {"orgs.sector", "orgs.sector", true},
	"size_band": {"orgs.size_band", "orgs.size_band", true},
	"skill":     {"k.code", "k.name", false},
	"tier":      {"k.survey_tier", "k.survey_tier", false},
}

type groupRow struct {
	K0            string `db:"k0"`
	L0            string `db:"l0"`
	K1            string `db:"k1"`
	L1            string `db:"l1"`
	Organisations int    `db:"organisations"`
	WithGap       int    `db:"with_gap"`
	staffColumns
}

// staffColumns are the staff figures a statistics row carries.
type staffColumns struct {
	Demand int `db:"demand"`
	Supply int `db:"supply"`
	Held1  int `db:"held_1"`
	Held2  int `db:"held_2"`
	Held3  int `db:"held_3"`
	Held4  int `db:"held_4"`
}

// held is the staff at each level, indexed by level.
func (c staffColumns) held() [models.MaxLevel + 1]int {
	return [models.MaxLevel + 1]int{0, c.Held1, c.Held2, c.Held3, c.Held4}
}

// StatisticsBreakdown groups the filter's organisations by one or two dimensions: per
// group the organisations, those with a gap (in the group's skills when grouped by skill
// or tier, in any skill otherwise), staff demand and supply summed over the skills, and
// staff at each level.
func (db *DB) StatisticsBreakdown(ctx context.Context, f models.StatisticsFilter, groupBy []string, at time.Time) ([]models.RawGroup, error) {
	q, args, err := breakdownQuery(f, groupBy, at)
	if err != nil {
		return nil, err
	}
	if err := db.FlushForRead(ctx, at); err != nil {
		return nil, err
	}
	var rows []groupRow
	if err := db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, translate(err)
	}
	out := make([]models.RawGroup, len(rows))
	for i, r := range rows {
		out[i] = models.RawGroup{Keys: []string{r.K0, r.K1}[:len(groupBy)], Labels: []string{r.L0, r.L1}[:len(groupBy)],
			Organisations: r.Organisations, WithGap: r.WithGap, Demand: r.Demand, Supply: r.Supply,
			Held: r.held()}
	}
	return out, nil
}

// breakdownQuery builds the query behind StatisticsBreakdown from fixed fragments: the
// dimensions can only be chosen among statDimensions.
func breakdownQuery(f models.StatisticsFilter, groupBy []string, at time.Time) (string, []any, error) {
	if err := models.CheckGroupBy(groupBy); err != nil {
		return "", nil, err
	}
	var gSel, gGroup, nSel, nGroup, join []string
	skillDim := false
	for i, d := range groupBy {
		dim := statDimensions[d]
		k, l := fmt.Sprintf("k%d", i), fmt.Sprintf("l%d", i)
		gSel = append(gSel, dim.key+" AS "+k, dim.label+" AS "+l)
		gGroup = append(gGroup, dim.key, dim.label)
		if dim.org {
			nSel = append(nSel, dim.key+" AS "+k, dim.label+" AS "+l)
			nGroup = append(nGroup, dim.key, dim.label)
			join = append(join, "n."+k+" = g."+k)
		} else {
			skillDim = true
		}
	}
	if len(groupBy) == 1 {
		gSel = append(gSel, "''::text AS k1", "''::text AS l1")
		nSel = append(nSel, "''::text AS k1", "''::text AS l1")
	}
	if len(nSel) == 0 {
		nSel = []string{"''::text AS k0"}
	}
	nGroupBy := ""
	if len(nGroup) > 0 {
		nGroupBy = " GROUP BY " + strings.Join(nGroup, ", ")
	}
	if len(join) == 0 {
		join = []string{"true"}
	}
	// Grouped by tier, the skills in no survey tier (another framework's, unmapped) are left out.
	tiered := ""
	if slices.Contains(groupBy, "tier") {
		tiered = " WHERE k.survey_tier IS NOT NULL"
	}
	final := `SELECT g.k0, g.l0, g.k1, g.l1, n.organisations, g.with_gap, g.demand, g.supply, g.held_1, g.held_2, g.held_3, g.held_4
	  FROM g JOIN n ON ` + strings.Join(join, " AND ")
	if !skillDim {
		final = `SELECT n.k0, n.l0, n.k1, n.l1, n.organisations, COALESCE(g.with_gap, 0) AS with_gap,
		       COALESCE(g.demand, 0) AS demand, COALESCE(g.supply, 0) AS supply, COALESCE(g.held_1, 0) AS held_1,
		       COALESCE(g.held_2, 0) AS held_2, COALESCE(g.held_3, 0) AS held_3, COALESCE(g.held_4, 0) AS held_4
		  FROM n LEFT JOIN g ON ` + strings.Join(join, " AND ")
	}
	q := statsEvaluated + `,
	n AS (SELECT ` + strings.Join(nSel, ", ") + `, count(*)::int AS organisations FROM orgs` + nGroupBy + `),
	g AS (
		SELECT ` + strings.Join(gSel, ", ") + `,
		       count(DISTINCT ev.org) FILTER (WHERE ev.gap)::int AS with_gap,
		       sum(ev.demand)::int AS demand, sum(ev.supply)::int AS supply, sum(ev.held_1)::int AS held_1,
		       sum(ev.held_2)::int AS held_2, sum(ev.held_3)::int AS held_3, sum(ev.held_4)::int AS held_4
		  FROM ev JOIN orgs ON orgs.id = ev.org JOIN skills k ON k.id = ev.skill_id` + tiered + `
		 GROUP BY ` + strings.Join(gGroup, ", ") + `)
	` + final + ` ORDER BY 1, 3`
	return q, statsArgs(f, at), nil
}
