package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// StaffGaps is one person's development needs.
type StaffGaps struct {
	Organisation string                   `json:"organisation" example:"RJ1"`
	ExternalID   string                   `json:"external_id" example:"E10234"`
	At           time.Time                `json:"at"`
	Needs        []models.DevelopmentNeed `json:"needs"`
}

func (g StaffGaps) csvTable() ([]string, [][]string) {
	var rows [][]string
	for _, n := range g.Needs {
		courses := ""
		for i, c := range n.Courses {
			if i > 0 {
				courses += " "
			}
			courses += c.Course
		}
		rows = append(rows, []string{g.Organisation, g.ExternalID, n.Skill, n.Tier, n.Criticality,
			itoaCell(n.RequiredLevel), itoaCell(n.Level), itoaCell(n.Depth), courses})
	}
	return []string{"organisation", "external_id", "skill", "tier", "criticality", "required_level", "level", "depth", "courses"}, rows
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
// @Success      200          {object}  StaffGaps
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id}/gaps [get]
func (s *Server) getStaffGaps(c *gin.Context) {
	q := queryParams(c)
	at := now(c)
	if t := q.pastTime("at"); t != nil {
		at = *t
	}
	q.oneOf("format", "json", "json", "csv")
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	var levels []models.Competency
	if err == nil {
		levels, err = s.db.Competencies(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"), at)
	}
	needs := models.DevelopmentNeeds(levels)
	skills := make([]string, len(needs))
	for i, n := range needs {
		skills[i] = n.Skill
	}
	var courses map[string][]models.CourseOption
	if err == nil {
		courses, err = s.db.CoursesConferring(c.Request.Context(), skills)
	}
	for i, n := range needs {
		for _, opt := range courses[n.Skill] {
			if opt.Level > n.Level {
				needs[i].Courses = append(needs[i].Courses, opt)
			}
		}
	}
	if needs == nil {
		needs = []models.DevelopmentNeed{}
	}
	respondTable(c, StaffGaps{Organisation: c.Param("code"), ExternalID: c.Param("external_id"), At: at, Needs: needs}, err)
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
// @Router       /api/v1/organisations/{code}/gaps/candidates [get]
func (s *Server) getCandidates(c *gin.Context) {
	g, q, err := s.gapQuery(c, false)
	skill, page := q.str("skill"), q.page()
	q.v.Check(skill != "", "skill", "is required")
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.Candidates(c.Request.Context(), g, skill, page)
	if items == nil {
		items = []models.Candidate{}
	}
	if next != "" && wantsCSV(c) {
		c.Header("X-Next-Cursor", next) // a CSV body has nowhere else to carry it
	}
	respondTable(c, candidatePage{Page[models.Candidate]{Items: items, NextCursor: next}}, err)
}

// candidatePage is a page of candidates that can also be written as CSV.
type candidatePage struct{ Page[models.Candidate] }

func (p candidatePage) csvTable() ([]string, [][]string) {
	rows := make([][]string, len(p.Items))
	for i, x := range p.Items {
		rows[i] = []string{x.Organisation, x.ExternalID, x.DisplayName, x.Role, itoaCell(x.Level), itoaCell(x.TargetLevel),
			itoaCell(x.Depth), boolCell(x.Essential), x.Reason}
	}
	return []string{"organisation", "external_id", "display_name", "role", "level", "target_level", "depth", "essential", "reason"}, rows
}
