package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/service"
)

// gapOptions reads the options every gap report shares. Only the organisation report
// rolls up (include_descendants) and adds vacancies (include_vacancies); the others
// always cover everything below, and refuse those options rather than ignore them.
func gapOptions(c *gin.Context, rollUp bool) (service.GapOptions, *params) {
	q := queryParams(c)
	o := service.GapOptions{
		Basis: models.Basis(q.oneOf("basis", "verified", "verified", "self", "any")),
		At:    q.pastTime("at"),
	}
	if rollUp {
		o.IncludeDescendants = q.boolean("include_descendants", false)
		o.IncludeVacancies = q.boolean("include_vacancies", false)
	} else {
		q.refuse("only the organisation gap report takes it; this report always covers everything below",
			"include_descendants", "include_vacancies")
	}
	q.oneOf("format", "json", "json", "csv")
	return o, q
}

// gapReport answers a report that takes only the shared gap options: what report finds
// for the route's organisation, in CSV as the rows csv makes of it when asked.
func gapReport[R any](c *gin.Context, rollUp bool, report func(context.Context, models.Principal, models.OrgRef, service.GapOptions) (R, error),
	csv func(R) ([]string, [][]cell)) (reply, error) {
	o, q := gapOptions(c, rollUp)
	if err := q.err(); err != nil {
		return reply{}, err
	}
	r, err := report(c.Request.Context(), principal(c), organisationOf(c), o)
	return ok(tabular(r, csv)), err
}

// getGaps godoc
// @Summary      An organisation's skills gap
// @Description  Per skill of any framework (named by framework; tier is the survey tier it counts under, through the published mapping for another framework's skill, empty for none): demand (active staff whose role requires it), supply (of those, staff who meet it), shortfall, coverage (supply/demand), the capability target and how many hold it, gap (an unmet essential requirement or an unmet target, unless covered externally), covered_externally and the criticality-weighted risk; per tier has_gap; and the survey's three measures basic_skills_gap, incident_response_gap and advanced_skills_gap. An organisation's figures cover everything below it (a trust's departments count towards the trust's targets). include_descendants adds, per skill, how many organisations below have a gap, each judged on its own subtree (the skill then has a gap when the organisation or any below has). basis picks the level counted; at answers as of a past date from the evidence history (roles and targets as they are now). Read from aggregates maintained as data changes, so it answers in milliseconds; other bases and dates are computed from evidence.
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
// @x-csv-header  "organisation,skill,name,tier,demand,supply,shortfall,coverage,target_level,target_headcount,target_holders,target_met,covered_externally,gap,risk,staff_level_1,staff_level_2,staff_level_3,staff_level_4,organisations,organisations_with_gap,framework"
// @Router       /api/v1/organisations/{code}/gaps [get]
func (s *Server) getGaps(c *gin.Context) (reply, error) {
	return gapReport(c, true, s.svc.GapReport, gapReportCSV)
}

func gapReportCSV(r models.GapReport) ([]string, [][]cell) {
	header := []string{"organisation", "skill", "name", "tier", "demand", "supply", "shortfall", "coverage",
		"target_level", "target_headcount", "target_holders", "target_met", "covered_externally", "gap", "risk",
		"staff_level_1", "staff_level_2", "staff_level_3", "staff_level_4", "organisations", "organisations_with_gap", "framework"}
	rows := make([][]cell, 0, len(r.Skills))
	for _, l := range r.Skills {
		level, head := text(""), text("")
		if l.Target != nil {
			level, head = itoaCell(l.Target.MinLevel), itoaCell(l.Target.MinHeadcount)
		}
		risk := l.Risk
		rows = append(rows, []cell{text(r.Organisation), text(l.Skill), text(l.Name), text(l.Tier), itoaCell(l.Demand), itoaCell(l.Supply),
			itoaCell(l.Shortfall), floatCell(l.Coverage), level, head, itoaCell(l.TargetHolders), boolCell(l.TargetMet),
			boolCell(l.CoveredExternally), boolCell(l.Gap), floatCell(&risk),
			itoaCell(l.StaffByLevel["1"]), itoaCell(l.StaffByLevel["2"]), itoaCell(l.StaffByLevel["3"]), itoaCell(l.StaffByLevel["4"]),
			intPtrCell(l.Organisations), intPtrCell(l.OrganisationsWith), text(l.Framework)})
	}
	return header, rows
}

// getRoleGaps godoc
// @Summary      An organisation's skills gap per role
// @Description  For each role held in the organisation or below it: holders, holders meeting every essential requirement, and per requirement the demand, supply, shortfall, coverage and total missing levels. Covers the organisation and everything below it; basis and at as for the organisation gap report.
// @ID           getRoleGaps
// @Tags         gaps
// @Produce      json,text/csv
// @Param        code                 path      string  true   "Organisation code"
// @Param        basis                query     string  false  "Level counted (default verified)"  Enums(verified,self,any)
// @Param        at                   query     string  false  "As of this past date or time"
// @Param        format               query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                  {object}  models.RoleGapsReport
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,role,title,headcount,meeting_essential,skill,tier,required_level,criticality,demand,supply,shortfall,coverage,depth"
// @Router       /api/v1/organisations/{code}/gaps/roles [get]
func (s *Server) getRoleGaps(c *gin.Context) (reply, error) {
	return gapReport(c, false, s.svc.RoleGaps, roleGapsCSV)
}

func roleGapsCSV(r models.RoleGapsReport) ([]string, [][]cell) {
	header := []string{"organisation", "role", "title", "headcount", "meeting_essential", "skill", "tier",
		"required_level", "criticality", "demand", "supply", "shortfall", "coverage", "depth"}
	var rows [][]cell
	for _, role := range r.Roles {
		for _, q := range role.Requirements {
			rows = append(rows, []cell{text(r.Organisation), text(role.Role), text(role.Title), itoaCell(role.Headcount), itoaCell(role.MeetingEssential),
				text(q.Skill), text(q.Tier), itoaCell(q.RequiredLevel), text(q.Criticality), itoaCell(q.Demand), itoaCell(q.Supply),
				itoaCell(q.Shortfall), floatCell(q.Coverage), itoaCell(q.Depth)})
		}
	}
	return header, rows
}

// getGapMatrix godoc
// @Summary      Role x skill coverage, for a heat map
// @Description  The roles held and the skills they require on the axes, and for each requirement the demand, supply and coverage (supply/demand). Covers the organisation and everything below it; basis and at as for the organisation gap report.
// @ID           getGapMatrix
// @Tags         gaps
// @Produce      json,text/csv
// @Param        code                 path      string  true   "Organisation code"
// @Param        basis                query     string  false  "Level counted (default verified)"  Enums(verified,self,any)
// @Param        at                   query     string  false  "As of this past date or time"
// @Param        format               query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                  {object}  models.GapMatrix
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,role,skill,required_level,demand,supply,coverage"
// @Router       /api/v1/organisations/{code}/gaps/matrix [get]
func (s *Server) getGapMatrix(c *gin.Context) (reply, error) {
	return gapReport(c, false, s.svc.GapMatrix, gapMatrixCSV)
}

func gapMatrixCSV(m models.GapMatrix) ([]string, [][]cell) {
	rows := make([][]cell, len(m.Cells))
	for i, c := range m.Cells {
		rows[i] = []cell{text(m.Organisation), text(c.Role), text(c.Skill), itoaCell(c.RequiredLevel), itoaCell(c.Demand),
			itoaCell(c.Supply), floatCell(c.Coverage)}
	}
	return []string{"organisation", "role", "skill", "required_level", "demand", "supply", "coverage"}, rows
}

// getStaffGaps godoc
// @Summary      One person's development needs
// @Description  The requirements of the person's role they do not meet on the verified basis, essential first, then deepest first, each with the current courses that confer the skill at a level above theirs.
// @ID           getStaffGaps
// @Tags         gaps
// @Produce      json,text/csv
// @Param        code         path      string  true   "Organisation code"
// @Param        external_id  path      string  true   "The HR system's id of the person"
// @Param        at           query     string  false  "As of this past date or time"
// @Param        format       query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200          {object}  models.StaffGaps
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,external_id,skill,tier,criticality,required_level,level,depth,courses"
// @Router       /api/v1/organisations/{code}/staff/{external_id}/gaps [get]
func (s *Server) getStaffGaps(c *gin.Context) (reply, error) {
	q := queryParams(c)
	at := q.pastTime("at")
	q.oneOf("format", "json", "json", "csv")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	g, err := s.svc.StaffGaps(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"), at)
	return ok(tabular(g, staffGapsCSV)), err
}

func staffGapsCSV(g models.StaffGaps) ([]string, [][]cell) {
	var rows [][]cell
	for _, n := range g.Needs {
		courses := ""
		for i, c := range n.Courses {
			if i > 0 {
				courses += " "
			}
			courses += c.Course
		}
		rows = append(rows, []cell{text(g.Organisation), text(g.ExternalID), text(n.Skill), text(n.Tier), text(n.Criticality),
			itoaCell(n.RequiredLevel), itoaCell(n.Level), itoaCell(n.Depth), text(courses)})
	}
	return []string{"organisation", "external_id", "skill", "tier", "criticality", "required_level", "level", "depth", "courses"}, rows
}

// getCandidates godoc
// @Summary      Staff closest to meeting a skill
// @Description  Active staff of the organisation and everything below it, below the level a skill asks of them (their role's requirement, or else their organisation's capability target), closest first (smallest depth, then highest current level): whom to train first.
// @ID           getCandidates
// @Tags         gaps
// @Produce      json,text/csv
// @Param        code                 path      string  true   "Organisation code"
// @Param        skill                query     string  true   "Skill code"
// @Param        basis                query     string  false  "Level counted (default verified)"  Enums(verified,self,any)
// @Param        cursor               query     string  false  "Cursor from the previous page"
// @Param        limit                query     int     false  "Page size (1-1000, default 50)"
// @Param        format               query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                  {object}  Page[models.Candidate]
// @Header       200                  {string}  X-Next-Cursor  "CSV only: the cursor of the next page, when there is one"
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,external_id,display_name,role,level,target_level,depth,essential,reason"
// @Router       /api/v1/organisations/{code}/gaps/candidates [get]
func (s *Server) getCandidates(c *gin.Context) (reply, error) {
	o, q := gapOptions(c, false)
	skill, page := q.str("skill"), q.page()
	q.v.Check(skill != "", "skill", "is required")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Candidates(c.Request.Context(), principal(c), organisationOf(c), o, skill, page)
	if next != "" && wantsCSV(c) {
		c.Header("X-Next-Cursor", next) // a CSV body has nowhere else to carry it
	}
	return ok(tabular(Page[models.Candidate]{Items: items, NextCursor: next}, candidatesCSV)), err
}

func candidatesCSV(p Page[models.Candidate]) ([]string, [][]cell) {
	rows := make([][]cell, len(p.Items))
	for i, x := range p.Items {
		rows[i] = []cell{text(x.Organisation), text(x.ExternalID), text(x.DisplayName), text(x.Role), itoaCell(x.Level), itoaCell(x.TargetLevel),
			itoaCell(x.Depth), boolCell(x.Essential), text(x.Reason)}
	}
	return []string{"organisation", "external_id", "display_name", "role", "level", "target_level", "depth", "essential", "reason"}, rows
}

// getExpiring godoc
// @Summary      Evidence and certifications about to lapse
// @Description  Verified levels that fall within the window because their evidence (certificates, time-limited training) expires, soonest first, with the level left afterwards and the gap each lapse would open: the person no longer meeting their role's requirement, or the organisation dropping below its capability target. Covers the staff of the organisation and everything below it.
// @ID           getExpiring
// @Tags         evidence
// @Produce      json,text/csv
// @Param        code                 path      string  true   "Organisation code"
// @Param        within               query     string  false  "Window such as 30d, 90d (default) or 12h"
// @Param        format               query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                  {object}  models.ExpiringList
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,external_id,role,skill,tier,level,lapses_at,level_after,required_level,opens_role_gap,opens_target_gap"
// @Router       /api/v1/organisations/{code}/expiring [get]
func (s *Server) getExpiring(c *gin.Context) (reply, error) {
	q := queryParams(c)
	within := 90 * 24 * time.Hour
	if w := q.str("within"); w != "" {
		d, perr := models.ParseLifetime(w)
		if perr != nil || d <= 0 || d > 5*365*24*time.Hour {
			q.v.Add("within", "must be a window such as 30d, 90d or 12h, at most five years")
		} else {
			within = d
		}
	}
	q.refuse("the window always starts now", "at")
	q.oneOf("format", "json", "json", "csv")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	l, err := s.svc.Expiring(c.Request.Context(), principal(c), organisationOf(c), within)
	return ok(tabular(l, expiringCSV)), err
}

func expiringCSV(l models.ExpiringList) ([]string, [][]cell) {
	rows := make([][]cell, len(l.Items))
	for i, x := range l.Items {
		rows[i] = []cell{text(x.Organisation), text(x.ExternalID), text(x.Role), text(x.Skill), text(x.Tier), itoaCell(x.Level), text(x.LapsesAt.Format(time.RFC3339)),
			itoaCell(x.LevelAfter), itoaCell(x.RequiredLevel), boolCell(x.OpensRoleGap), boolCell(x.OpensTargetGap)}
	}
	return []string{"organisation", "external_id", "role", "skill", "tier", "level", "lapses_at", "level_after",
		"required_level", "opens_role_gap", "opens_target_gap"}, rows
}
