package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// gapQuery reads the options every gap report shares and resolves the organisation in
// the caller's scope. Only the organisation report rolls up (include_descendants) and
// adds vacancies (include_vacancies); the others always cover everything below, and
// refuse those options rather than ignore them.
func (s *Server) gapQuery(c *gin.Context, rollUp bool) (models.GapQuery, *params, error) {
	q := queryParams(c)
	g := models.GapQuery{
		Scope: principal(c).Scope(),
		Basis: models.Basis(q.oneOf("basis", "verified", "verified", "self", "any")),
		At:    q.pastTime("at"),
		Now:   now(c),
	}
	if rollUp {
		g.IncludeDescendants = q.boolean("include_descendants", false)
		g.IncludeVacancies = q.boolean("include_vacancies", false)
	} else {
		q.refuse("only the organisation gap report takes it; this report always covers everything below",
			"include_descendants", "include_vacancies")
	}
	q.oneOf("format", "json", "json", "csv")
	id, err := s.scopedOrg(c)
	g.OrgID = id
	return g, q, err
}

// reportTime is the moment a report describes.
func reportTime(g models.GapQuery) time.Time {
	if g.At != nil {
		return *g.At
	}
	return g.Now
}

// GapReport is an organisation's skills gap (see models.GapReport).
type GapReport struct{ models.GapReport }

// getGaps godoc
// @Summary      An organisation's skills gap
// @Description  Per skill: demand (active staff whose role requires it), supply (of those, staff who meet it), shortfall, coverage (supply/demand), the capability target and how many hold it, gap (an unmet essential requirement or an unmet target, unless covered externally), covered_externally and the criticality-weighted risk; per tier has_gap; and the survey's three measures basic_skills_gap, incident_response_gap and advanced_skills_gap. An organisation's figures cover everything below it (a trust's departments count towards the trust's targets). include_descendants adds, per skill, how many organisations below have a gap, each judged on its own subtree (the skill then has a gap when the organisation or any below has). basis picks the level counted; at answers as of a past date from the evidence history (roles and targets as they are now). Read from aggregates maintained as data changes, so it answers in milliseconds; other bases and dates are computed from evidence.
// @ID           getGaps
// @Tags         gaps
// @Produce      json,text/csv
// @Param        code                 path      string  true   "Organisation code"
// @Param        include_descendants  query     bool    false  "Count the organisations below with a gap"
// @Param        include_vacancies    query     bool    false  "Count each vacant funded post's role requirements as unmet demand"
// @Param        basis                query     string  false  "Level counted (default verified)"  Enums(verified,self,any)
// @Param        at                   query     string  false  "As of this past date or time"
// @Param        format               query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                  {object}  models.GapReport
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem  "No such organisation in your scope"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/gaps [get]
func (s *Server) getGaps(c *gin.Context) {
	g, q, err := s.gapQuery(c, true)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	lines, err := s.db.SkillGaps(c.Request.Context(), g)
	at := reportTime(g)
	r := GapReport{models.GapReport{Organisation: c.Param("code"), IncludeDescendants: g.IncludeDescendants, Basis: g.Basis, At: at}}
	r.Apply(lines, at)
	respondTable(c, r, err)
}

func (r GapReport) csvTable() ([]string, [][]string) {
	header := []string{"organisation", "skill", "name", "tier", "demand", "supply", "shortfall", "coverage",
		"target_level", "target_headcount", "target_holders", "target_met", "covered_externally", "gap", "risk",
		"staff_level_1", "staff_level_2", "staff_level_3", "staff_level_4", "organisations", "organisations_with_gap"}
	rows := make([][]string, 0, len(r.Skills))
	for _, l := range r.Skills {
		level, head := "", ""
		if l.Target != nil {
			level, head = itoaCell(l.Target.MinLevel), itoaCell(l.Target.MinHeadcount)
		}
		risk := l.Risk
		rows = append(rows, []string{r.Organisation, l.Skill, l.Name, l.Tier, itoaCell(l.Demand), itoaCell(l.Supply),
			itoaCell(l.Shortfall), floatCell(l.Coverage), level, head, itoaCell(l.TargetHolders), boolCell(l.TargetMet),
			boolCell(l.CoveredExternally), boolCell(l.Gap), floatCell(&risk),
			itoaCell(l.StaffByLevel["1"]), itoaCell(l.StaffByLevel["2"]), itoaCell(l.StaffByLevel["3"]), itoaCell(l.StaffByLevel["4"]),
			intPtrCell(l.Organisations), intPtrCell(l.OrganisationsWith)})
	}
	return header, rows
}
