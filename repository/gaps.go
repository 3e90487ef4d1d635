package repository

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cyberskills/models"
)

// live reports whether the query needs the counts computed from evidence rather than
// read from the maintained aggregates (another basis, or a past date).
// gapSQL is a gap query as this file builds its SQL: the fragments its options choose and
// their arguments.
type gapSQL struct{ models.GapQuery }

func (q gapSQL) live() bool {
	return q.At != nil || (q.Basis != "" && q.Basis != models.BasisVerified)
}

func (q gapSQL) at() time.Time {
	if q.At != nil {
		return *q.At
	}
	return q.Now
}

// past reports whether the report is as of an earlier date than now, when who was
// employed is read from start and end dates instead of the current status. A moment
// within the last minute is the present.
func (q gapSQL) past() bool {
	return q.At != nil && q.At.Before(q.Now.Add(-time.Minute))
}

func (q gapSQL) basis() string {
	if q.Basis == "" {
		return string(models.BasisVerified)
	}
	return string(q.Basis)
}

// The query fragments below are fixed text chosen by the report's options; parameters
// are always $1 organisation, $2 include descendants, $3 scope root (0: all),
// $4 moment, $5 basis.

// gapOrgs names the report's organisations. An organisation's figures cover everything
// below it (a trust's departments count towards the trust's targets), so the staff are
// those of the root's subtree; orgs is the root alone, or, for a roll-up, every
// organisation of the subtree, each judged on its own subtree. Both are re-checked
// against the caller's scope.
const gapOrgs = `
	subtree AS (
		SELECT t.descendant_id AS id FROM organisation_tree t
		 WHERE t.ancestor_id = $1
		   AND ($3 = 0 OR t.descendant_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $3))),
	orgs AS (
		SELECT id FROM subtree WHERE $2 OR id = $1)`

// gapStaffNow and gapStaffPast are the staff employed on the report's date: active now,
// or, for a past date, started by then and not yet left.
const (
	gapStaffNow = `
	staff_at AS (
		SELECT s.id, s.organisation_id, s.role_id FROM staff s
		 WHERE s.organisation_id IN (SELECT id FROM subtree) AND s.status = 'active')`
	gapStaffPast = `
	staff_at AS (
		SELECT s.id, s.organisation_id, s.role_id FROM staff s
		 WHERE s.organisation_id IN (SELECT id FROM subtree)
		   AND (s.start_date IS NULL OR s.start_date <= $4::date) AND (s.end_date IS NULL OR s.end_date > $4::date))`
)

// gapFactsLive and gapFactsMaintained are the ledger rows (person x skill: required
// level, held level) the report reads: computed, or maintained.
const (
	gapFactsLive = `
	facts AS (SELECT * FROM workforce_facts(ARRAY(SELECT id FROM staff_at), $4, $5))`
	gapFactsMaintained = `
	facts AS (SELECT w.* FROM workforce_skills w WHERE w.organisation_id IN (SELECT id FROM subtree) AND $4::timestamptz IS NOT NULL AND $5::text IS NOT NULL)`
)

// historyAsOf selects the history's changes of the subtree's organisations on a basis up
// to a moment: the years before the moment's year, the months of its year before its
// month and the moments of its month up to it (three index ranges per organisation). Its
// arguments are fixed SQL: the moment's placeholder and the basis as a "char".
func historyAsOf(moment, basis string) string {
	return strings.NewReplacer("MOMENT", moment, "BASIS", basis).Replace(`
		SELECT c.* FROM org_skill_changes c
		 WHERE c.organisation_id IN (SELECT id FROM subtree) AND c.basis = BASIS
		   AND c.grain = 'y' AND c.at < history_year(MOMENT)
		UNION ALL
		SELECT c.* FROM org_skill_changes c
		 WHERE c.organisation_id IN (SELECT id FROM subtree) AND c.basis = BASIS
		   AND c.grain = 'm' AND c.at >= history_year(MOMENT) AND c.at < history_month(MOMENT)
		UNION ALL
		SELECT c.* FROM org_skill_changes c
		 WHERE c.organisation_id IN (SELECT id FROM subtree) AND c.basis = BASIS
		   AND c.grain = 'e' AND c.at >= history_month(MOMENT) AND c.at <= MOMENT`)
}

// gapCounts are the per-organisation, per-skill counts of staff directly in each
// organisation: maintained, or summed from facts. gapRolled sums them over each
// evaluated organisation's subtree.
const (
	gapCountsMaintained = `
	counts AS (SELECT s.* FROM org_skill_stats s WHERE s.organisation_id IN (SELECT id FROM subtree))`
	gapHistoryNow = `
		        UNION ALL SELECT * FROM corrections`
	gapCorrections = `
	odd_anywhere AS MATERIALIZED (
		-- each through its partial index, nationally (a handful at any time), then the subtree's
		SELECT s.id, s.organisation_id, true AS counts FROM staff s WHERE s.status = 'active' AND s.start_date > $4::date
		UNION ALL
		SELECT s.id, s.organisation_id, true FROM staff s WHERE s.status = 'active' AND s.end_date <= $4::date
		UNION ALL
		SELECT s.id, s.organisation_id, false FROM staff s
		 WHERE s.status <> 'active' AND s.end_date > $4::date AND (s.start_date IS NULL OR s.start_date <= $4::date)
		UNION ALL
		SELECT s.id, s.organisation_id, false FROM staff s
		 WHERE s.status <> 'active' AND s.end_date IS NULL AND (s.start_date IS NULL OR s.start_date <= $4::date)),
	odd AS (SELECT DISTINCT id, counts FROM odd_anywhere WHERE organisation_id IN (SELECT id FROM subtree)),
	odd_facts AS (
		SELECT f.*, o.counts FROM workforce_facts(ARRAY(SELECT id FROM odd), $4, $5) f JOIN odd o ON o.id = f.staff_id),
	corrections AS (
		SELECT c.organisation_id, c.skill_id, sign * c.demand, sign * c.supply, sign * c.demand_essential, sign * c.supply_essential,
		       sign * c.required_essential, sign * c.required_desirable, sign * c.depth_essential, sign * c.depth_desirable,
		       sign * c.held_1, sign * c.held_2, sign * c.held_3, sign * c.held_4
		  FROM (VALUES (true, 1), (false, -1)) AS v (counts, sign),
		       LATERAL (SELECT array_agg(organisation_id) o, array_agg(skill_id) k, array_agg(required_level) r,
		                       array_agg(essential) e, array_agg(level) l FROM odd_facts f WHERE f.counts = v.counts) a,
		       LATERAL skill_counts(a.o, a.k, a.r, a.e, a.l) c)`
	gapRolled = `
	rolled AS (
		SELECT t.ancestor_id AS organisation_id, c.skill_id,
		       sum(c.demand)::int AS demand, sum(c.supply)::int AS supply,
		       sum(c.demand_essential)::int AS demand_essential, sum(c.supply_essential)::int AS supply_essential,
		       sum(c.required_essential)::int AS required_essential, sum(c.required_desirable)::int AS required_desirable,
		       sum(c.depth_essential)::int AS depth_essential, sum(c.depth_desirable)::int AS depth_desirable,
		       sum(c.held_1)::int AS held_1, sum(c.held_2)::int AS held_2, sum(c.held_3)::int AS held_3, sum(c.held_4)::int AS held_4
		  FROM counted c JOIN organisation_tree t ON t.descendant_id = c.organisation_id
		 WHERE t.ancestor_id IN (SELECT id FROM orgs)
		 GROUP BY 1, 2)`
	// gapCounted is what is counted: the staff, and, with vacancies, the vacant posts.
	gapCountedStaff = `
	counted AS (SELECT * FROM counts)`
	gapCountedVacancies = `
	vacant AS (
		SELECT e.organisation_id, e.role_id, round(GREATEST(e.funded_posts - COALESCE(f.filled, 0), 0))::int AS posts
		  FROM establishment_in_force($4::date) e
		  LEFT JOIN (SELECT organisation_id, role_id, count(*) AS filled FROM staff_at GROUP BY 1, 2) f
		         ON f.organisation_id = e.organisation_id AND f.role_id = e.role_id
		 WHERE e.organisation_id IN (SELECT id FROM subtree)),
	counted AS (
		SELECT * FROM counts
		UNION ALL
		SELECT v.organisation_id, k.effective_id, sum(v.posts)::int, 0,
		       (sum(v.posts) FILTER (WHERE r.criticality = 'essential'))::int, 0,
		       COALESCE(sum(v.posts * r.level) FILTER (WHERE r.criticality = 'essential'), 0)::int,
		       COALESCE(sum(v.posts * r.level) FILTER (WHERE r.criticality <> 'essential'), 0)::int,
		       COALESCE(sum(v.posts * r.level) FILTER (WHERE r.criticality = 'essential'), 0)::int,
		       COALESCE(sum(v.posts * r.level) FILTER (WHERE r.criticality <> 'essential'), 0)::int,
		       0, 0, 0, 0
		  FROM vacant v JOIN role_requirements r ON r.role_id = v.role_id JOIN skills k ON k.id = r.skill_id
		 WHERE v.posts > 0
		 GROUP BY 1, 2)`
)

// The history read is a variable: its SQL is built once from fixed fragments.
var (
	// gapCountsHistory are the counts as of $4 on basis $5 from the maintained history
	// (migration 0027, historyAsOf); an organisation and skill whose sums came back to
	// nothing has no line, as when nobody there needs or holds the skill. The history
	// counts the people employed by their dates, as a report on a past date does;
	// gapHistoryNow corrects it, for the present, by the few whose status says otherwise
	// (a start date still to come, an end date passed but not yet swept, a leaver without
	// an end date), counted from their evidence.
	gapCountsHistory = `
	history AS (` + historyAsOf("$4", `left($5, 1)::"char"`) + `),
	counts AS (
		SELECT organisation_id, skill_id,
		       sum(demand)::int AS demand, sum(supply)::int AS supply,
		       sum(demand_essential)::int AS demand_essential, sum(supply_essential)::int AS supply_essential,
		       sum(required_essential)::int AS required_essential, sum(required_desirable)::int AS required_desirable,
		       sum(depth_essential)::int AS depth_essential, sum(depth_desirable)::int AS depth_desirable,
		       sum(held_1)::int AS held_1, sum(held_2)::int AS held_2, sum(held_3)::int AS held_3, sum(held_4)::int AS held_4
		  FROM (SELECT organisation_id, skill_id, demand, supply, demand_essential, supply_essential, required_essential,
		               required_desirable, depth_essential, depth_desirable, held_1, held_2, held_3, held_4 FROM history
		        %s) h
		 GROUP BY 1, 2
		HAVING sum(demand) <> 0 OR sum(held_1) <> 0 OR sum(held_2) <> 0 OR sum(held_3) <> 0 OR sum(held_4) <> 0)`
)

func (q gapSQL) args() []any {
	return []any{q.OrgID, q.IncludeDescendants, q.Scope.OrgID(), q.at(), q.basis()}
}

func (q gapSQL) prelude() string {
	staff := gapStaffNow
	if q.past() {
		staff = gapStaffPast
	}
	if q.live() {
		return `WITH` + gapOrgs + `,` + staff + `,` + gapFactsLive
	}
	return `WITH` + gapOrgs + `,` + staff + `,` + gapFactsMaintained
}

type skillLineRow struct {
	Skill             string     `db:"skill"`
	Name              string     `db:"name"`
	Tier              string     `db:"tier"`
	Framework         string     `db:"framework"`
	Demand            int        `db:"demand"`
	Supply            int        `db:"supply"`
	DemandEssential   int        `db:"demand_essential"`
	SupplyEssential   int        `db:"supply_essential"`
	RequiredEssential int        `db:"required_essential"`
	RequiredDesirable int        `db:"required_desirable"`
	DepthEssential    int        `db:"depth_essential"`
	DepthDesirable    int        `db:"depth_desirable"`
	Held1             int        `db:"held_1"`
	Held2             int        `db:"held_2"`
	Held3             int        `db:"held_3"`
	Held4             int        `db:"held_4"`
	MinLevel          *int       `db:"min_level"`
	MinHeadcount      *int       `db:"min_headcount"`
	TargetSource      *string    `db:"target_source"`
	Provider          *string    `db:"provider"`
	ContractEnd       *time.Time `db:"contract_end"`
	Organisations     int        `db:"organisations"`
	OrgsWithGap       int        `db:"orgs_with_gap"`
	Queued            bool       `db:"queued"`
}

func (r skillLineRow) line() models.SkillLine {
	l := models.SkillLine{
		Skill: r.Skill, Name: r.Name, Tier: r.Tier, Framework: r.Framework, Organisations: r.Organisations, OrganisationsWithGap: r.OrgsWithGap,
		Counts: models.SkillCounts{
			Demand: r.Demand, Supply: r.Supply, DemandEssential: r.DemandEssential, SupplyEssential: r.SupplyEssential,
			RequiredEssential: r.RequiredEssential, RequiredDesirable: r.RequiredDesirable,
			DepthEssential: r.DepthEssential, DepthDesirable: r.DepthDesirable,
			Held: [models.MaxLevel + 1]int{0, r.Held1, r.Held2, r.Held3, r.Held4},
		},
	}
	if r.MinLevel != nil {
		l.Target = &models.Target{MinLevel: *r.MinLevel, MinHeadcount: *r.MinHeadcount, Source: deref(r.TargetSource)}
	}
	if r.Provider != nil {
		l.Coverage = &models.ExternalCoverage{Provider: *r.Provider, ContractEnd: r.ContractEnd}
	}
	return l
}

// skillGapsSQL is the query behind SkillGaps and its arguments, also run by the
// benchmarks directly against PostgreSQL as the floor an API call is compared with.
func (q gapSQL) skillGapsSQL() (string, []any) {
	switch {
	case q.live() && q.past():
		return q.skillGapsWith(fmt.Sprintf(gapCountsHistory, ""))
	case q.live():
		return q.skillGapsWith(gapCorrections + `,` + fmt.Sprintf(gapCountsHistory, gapHistoryNow))
	}
	return q.skillGapsWith(gapCountsMaintained)
}

// skillGapsWith is the gap query over the given counts.
func (q gapSQL) skillGapsWith(counts string) (string, []any) {
	counted := gapCountedStaff
	if q.IncludeVacancies {
		counted = gapCountedVacancies
	}
	return q.prelude() + `,` + counts + `,` + counted + `,` + gapRolled + `,
	tg AS (SELECT * FROM org_targets_of(ARRAY(SELECT id FROM orgs))),
	cv AS (SELECT * FROM external_coverage WHERE organisation_id IN (SELECT id FROM orgs)),
	per_org AS (
		SELECT COALESCE(c.organisation_id, tg.organisation_id, cv.organisation_id) AS org,
		       COALESCE(c.skill_id, tg.skill_id, cv.skill_id) AS skill_id,
		       COALESCE(c.demand, 0) AS demand, COALESCE(c.supply, 0) AS supply,
		       COALESCE(c.demand_essential, 0) AS demand_essential, COALESCE(c.supply_essential, 0) AS supply_essential,
		       COALESCE(c.required_essential, 0) AS required_essential, COALESCE(c.required_desirable, 0) AS required_desirable,
		       COALESCE(c.depth_essential, 0) AS depth_essential, COALESCE(c.depth_desirable, 0) AS depth_desirable,
		       COALESCE(c.held_1, 0) AS held_1, COALESCE(c.held_2, 0) AS held_2,
		       COALESCE(c.held_3, 0) AS held_3, COALESCE(c.held_4, 0) AS held_4,
		       tg.min_level, tg.min_headcount, tg.source AS target_source, cv.provider, cv.contract_end,
		       cv.provider IS NOT NULL AND (cv.contract_end IS NULL OR $4::date < cv.contract_end) AS covered
		  FROM rolled c
		  FULL JOIN tg ON tg.organisation_id = c.organisation_id AND tg.skill_id = c.skill_id
		  FULL JOIN cv ON cv.organisation_id = COALESCE(c.organisation_id, tg.organisation_id)
		              AND cv.skill_id = COALESCE(c.skill_id, tg.skill_id))
	SELECT k.code AS skill, k.name, COALESCE(k.survey_tier, '') AS tier, fw.code AS framework,
	       COALESCE(max(demand) FILTER (WHERE org = $1), 0) AS demand, COALESCE(max(supply) FILTER (WHERE org = $1), 0) AS supply,
	       COALESCE(max(demand_essential) FILTER (WHERE org = $1), 0) AS demand_essential,
	       COALESCE(max(supply_essential) FILTER (WHERE org = $1), 0) AS supply_essential,
	       COALESCE(max(required_essential) FILTER (WHERE org = $1), 0) AS required_essential,
	       COALESCE(max(required_desirable) FILTER (WHERE org = $1), 0) AS required_desirable,
	       COALESCE(max(depth_essential) FILTER (WHERE org = $1), 0) AS depth_essential,
	       COALESCE(max(depth_desirable) FILTER (WHERE org = $1), 0) AS depth_desirable,
	       COALESCE(max(held_1) FILTER (WHERE org = $1), 0) AS held_1, COALESCE(max(held_2) FILTER (WHERE org = $1), 0) AS held_2,
	       COALESCE(max(held_3) FILTER (WHERE org = $1), 0) AS held_3, COALESCE(max(held_4) FILTER (WHERE org = $1), 0) AS held_4,
	       max(min_level) FILTER (WHERE org = $1) AS min_level, max(min_headcount) FILTER (WHERE org = $1) AS min_headcount,
	       max(target_source) FILTER (WHERE org = $1) AS target_source,
	       max(provider) FILTER (WHERE org = $1) AS provider, max(contract_end) FILTER (WHERE org = $1) AS contract_end,
	       count(DISTINCT org) FILTER (WHERE org <> $1)::int AS organisations,
	       count(*) FILTER (WHERE org <> $1 AND skill_gap(demand_essential, supply_essential, held_1, held_2, held_3,
	                                                      held_4, min_level, min_headcount, covered))::int AS orgs_with_gap,
	       (SELECT id FROM workforce_dirty ORDER BY id LIMIT 1) IS NOT NULL AS queued
	  FROM per_org JOIN skills k ON k.id = per_org.skill_id JOIN frameworks fw ON fw.id = k.framework_id
	 GROUP BY k.id, k.code, k.name, k.survey_tier, fw.code, k.position
	 ORDER BY k.position, k.code`, q.args()
}

// SkillGaps returns one line per skill that anyone needs, holds, is targeted or covered:
// the root's counts (over its subtree), its own target and external coverage, and, for a
// roll-up, how many organisations of the subtree (each on its own subtree) have a gap.
// Every basis and date reads maintained figures, which must reflect the writes made
// before the report. A past date or another basis applies the queued writes first; the
// present reads at once, and says in the same statement whether any writes were queued
// when it read (the queue and the counts change in one transaction, so an empty queue in
// the statement's snapshot means every earlier write is counted): only then does it
// apply them and read again. Nothing queued, the usual case, costs one round trip.
func (db *DB) SkillGaps(ctx context.Context, gq models.GapQuery) ([]models.SkillLine, error) {
	q := gapSQL{gq}
	if q.live() {
		if err := db.FlushHistoryForRead(ctx, q.Now); err != nil {
			return nil, err
		}
		lines, _, err := db.skillGaps(ctx, q)
		return lines, err
	}
	lines, queued, err := db.skillGaps(ctx, q)
	if err != nil || !queued || db.readOnly {
		return lines, err
	}
	if err := db.FlushForRead(ctx, q.Now); err != nil {
		return nil, err
	}
	lines, _, err = db.skillGaps(ctx, q)
	return lines, err
}

// skillGaps runs the report's statement: its lines, and whether writes were queued for
// the counts when it read (a report with no line cannot say, so it counts as queued).
func (db *DB) skillGaps(ctx context.Context, q gapSQL) ([]models.SkillLine, bool, error) {
	var rows []skillLineRow
	query, args := q.skillGapsSQL()
	if err := db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, false, translate(err)
	}
	out := make([]models.SkillLine, len(rows))
	for i, r := range rows {
		out[i] = r.line()
	}
	return out, len(rows) == 0 || rows[0].Queued, nil
}

// RoleGaps returns, per role held in the report's organisations, its holders and, per
// required skill, how many holders meet the requirement.
func (db *DB) RoleGaps(ctx context.Context, gq models.GapQuery) ([]models.RoleHeadcount, []models.RoleSkillGap, error) {
	q := gapSQL{gq}
	if err := db.flushUnlessLive(ctx, q); err != nil {
		return nil, nil, err
	}
	var heads []struct {
		Role         string  `db:"role"`
		Title        string  `db:"title"`
		Organisation *string `db:"organisation"`
		Headcount    int     `db:"headcount"`
		Meeting      int     `db:"meeting"`
	}
	err := db.SelectContext(ctx, &heads, q.prelude()+`,
	per_staff AS (
		SELECT f.staff_id, bool_and(f.level >= f.required_level) FILTER (WHERE f.essential AND f.required_level > 0) AS meets
		  FROM facts f GROUP BY f.staff_id)
	SELECT r.code AS role, r.title, o.code AS organisation, count(*)::int AS headcount,
	       count(*) FILTER (WHERE COALESCE(p.meets, true))::int AS meeting
	  FROM staff_at s JOIN job_roles r ON r.id = s.role_id
	  LEFT JOIN organisations o ON o.id = r.organisation_id
	  LEFT JOIN per_staff p ON p.staff_id = s.id
	 GROUP BY r.id, r.code, r.title, o.code
	 ORDER BY r.code, o.code NULLS FIRST`, q.args()...)
	if err != nil {
		return nil, nil, translate(err)
	}
	var cells []struct {
		Role      string  `db:"role"`
		RoleTitle string  `db:"role_title"`
		Owner     *string `db:"owner"`
		Skill     string  `db:"skill"`
		SkillName string  `db:"skill_name"`
		Tier      string  `db:"tier"`
		Required  int     `db:"required_level"`
		Essential bool    `db:"essential"`
		Demand    int     `db:"demand"`
		Supply    int     `db:"supply"`
		Depth     int     `db:"depth"`
	}
	err = db.SelectContext(ctx, &cells, q.prelude()+`
	SELECT r.code AS role, r.title AS role_title, o.code AS owner, k.code AS skill, k.name AS skill_name,
	       COALESCE(k.survey_tier, '') AS tier,
	       max(f.required_level)::int AS required_level, bool_or(f.essential) AS essential,
	       count(*)::int AS demand, count(*) FILTER (WHERE f.level >= f.required_level)::int AS supply,
	       COALESCE(sum(f.required_level - f.level) FILTER (WHERE f.level < f.required_level), 0)::int AS depth
	  FROM facts f
	  JOIN staff_at s ON s.id = f.staff_id
	  JOIN job_roles r ON r.id = s.role_id
	  LEFT JOIN organisations o ON o.id = r.organisation_id
	  JOIN skills k ON k.id = f.skill_id
	 WHERE f.required_level > 0
	 GROUP BY r.id, r.code, r.title, o.code, k.id, k.code, k.name, k.survey_tier, k.position
	 ORDER BY r.code, o.code NULLS FIRST, k.position, k.code`, q.args()...)
	if err != nil {
		return nil, nil, translate(err)
	}
	outHeads := make([]models.RoleHeadcount, len(heads))
	for i, h := range heads {
		outHeads[i] = models.RoleHeadcount{Role: h.Role, Title: h.Title, Organisation: deref(h.Organisation), Headcount: h.Headcount, MeetingEssential: h.Meeting}
	}
	outCells := make([]models.RoleSkillGap, len(cells))
	for i, c := range cells {
		outCells[i] = models.RoleSkillGap{Role: c.Role, RoleTitle: c.RoleTitle, Owner: deref(c.Owner), Skill: c.Skill, SkillName: c.SkillName, Tier: c.Tier,
			RequiredLevel: c.Required, Essential: c.Essential, Demand: c.Demand, Supply: c.Supply, Depth: c.Depth}
	}
	return outHeads, outCells, nil
}

// candidateKey orders candidates: closest first, then the higher current level, then id.
type candidateKey struct {
	Depth int   `json:"d"`
	Level int   `json:"l"`
	ID    int64 `json:"i"`
}

// Candidates lists the people of the report's organisations closest to meeting a skill,
// to decide whom to train first, a page at a time.
func (db *DB) Candidates(ctx context.Context, gq models.GapQuery, skill string, page models.Page) ([]models.Candidate, string, error) {
	q := gapSQL{gq}
	if err := db.flushUnlessLive(ctx, q); err != nil {
		return nil, "", err
	}
	page = page.Normalize()
	after := candidateKey{Depth: -1}
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	var rows []struct {
		ID           int64  `db:"id"`
		Organisation string `db:"organisation"`
		ExternalID   string `db:"external_id"`
		DisplayName  string `db:"display_name"`
		Role         string `db:"role"`
		Level        int    `db:"level"`
		TargetLevel  int    `db:"target_level"`
		Depth        int    `db:"depth"`
		Essential    bool   `db:"essential"`
		Reason       string `db:"reason"`
	}
	err := db.SelectContext(ctx, &rows, q.prelude()+`,
	sk AS (SELECT k.id FROM skills k JOIN frameworks fw ON fw.id = k.framework_id WHERE k.code = $6 ORDER BY fw.is_default DESC, k.id LIMIT 1),
	cand AS (
		SELECT s.id, o.code AS organisation, st.external_id, COALESCE(st.display_name, '') AS display_name,
		       COALESCE(r.code, '') AS role, COALESCE(f.level, 0)::int AS level,
		       COALESCE(NULLIF(f.required_level, 0), tg.min_level)::int AS target_level,
		       COALESCE(f.essential AND f.required_level > 0, false) AS essential,
		       CASE WHEN COALESCE(f.required_level, 0) > 0 THEN 'role' ELSE 'target' END AS reason
		  FROM staff_at s
		  JOIN staff st ON st.id = s.id
		  JOIN organisations o ON o.id = s.organisation_id
		  LEFT JOIN job_roles r ON r.id = s.role_id
		  LEFT JOIN facts f ON f.staff_id = s.id AND f.skill_id = (SELECT id FROM sk)
		  LEFT JOIN org_targets_of(ARRAY(SELECT DISTINCT organisation_id FROM staff_at)) tg ON tg.organisation_id = s.organisation_id AND tg.skill_id = (SELECT id FROM sk))
	SELECT id, organisation, external_id, display_name, role, level, target_level, target_level - level AS depth, essential, reason
	  FROM cand
	 WHERE target_level > level
	   AND (target_level - level, -level, id) > ($7::int, -$8::int, $9::bigint)
	 ORDER BY target_level - level, -level, id
	 LIMIT $10`, append(q.args(), skill, after.Depth, after.Level, after.ID, page.Limit+1)...)
	if err != nil {
		return nil, "", translate(err)
	}
	out := make([]models.Candidate, len(rows))
	keys := map[string]candidateKey{}
	for i, r := range rows {
		out[i] = models.Candidate{Organisation: r.Organisation, ExternalID: r.ExternalID, DisplayName: r.DisplayName,
			Role: r.Role, Level: r.Level, TargetLevel: r.TargetLevel, Depth: r.Depth, Essential: r.Essential, Reason: r.Reason}
		keys[r.Organisation+"/"+r.ExternalID] = candidateKey{Depth: r.Depth, Level: r.Level, ID: r.ID}
	}
	return paginate(out, page.Limit, func(c models.Candidate) any { return keys[c.Organisation+"/"+c.ExternalID] })
}

// flushUnlessLive applies recent writes before a report reads the maintained counts.
func (db *DB) flushUnlessLive(ctx context.Context, q gapSQL) error {
	if q.live() {
		return nil
	}
	return db.FlushForRead(ctx, q.Now)
}
