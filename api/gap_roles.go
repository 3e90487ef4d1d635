package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// RequirementGap is how a role's holders fare against one of its requirements.
type RequirementGap struct {
	Skill         string   `json:"skill" example:"firewall-config"`
	Name          string   `json:"name" example:"Firewall configuration"`
	Tier          string   `json:"tier" example:"basic"`
	RequiredLevel int      `json:"required_level" example:"3"`
	Criticality   string   `json:"criticality" example:"essential"`
	Demand        int      `json:"demand" example:"8"`
	Supply        int      `json:"supply" example:"5"`
	Shortfall     int      `json:"shortfall" example:"3"`
	Coverage      *float64 `json:"coverage" example:"0.625"`
	Depth         int      `json:"depth" example:"4"` // levels missing, summed over holders
}

// RoleGap is one role's gap.
type RoleGap struct {
	Role             string           `json:"role" example:"network-engineer"`
	Title            string           `json:"title" example:"Infrastructure and network engineer"`
	Owner            string           `json:"owner,omitempty" example:"RJ1"` // organisation of an organisation role
	Headcount        int              `json:"headcount" example:"8"`
	MeetingEssential int              `json:"meeting_essential" example:"4"` // holders meeting every essential requirement
	Requirements     []RequirementGap `json:"requirements"`
}

// RoleGapsReport is an organisation's gap per role.
type RoleGapsReport struct {
	Organisation string       `json:"organisation" example:"RJ1"`
	Basis        models.Basis `json:"basis" example:"verified"`
	At           time.Time    `json:"at"`
	Roles        []RoleGap    `json:"roles"`
}

func newRequirementGap(c models.RoleSkillGap) RequirementGap {
	crit := models.Desirable
	if c.Essential {
		crit = models.Essential
	}
	g := RequirementGap{Skill: c.Skill, Name: c.SkillName, Tier: c.Tier, RequiredLevel: c.RequiredLevel,
		Criticality: string(crit), Demand: c.Demand, Supply: c.Supply, Shortfall: c.Demand - c.Supply, Depth: c.Depth}
	if c.Demand > 0 {
		ratio := float64(c.Supply) / float64(c.Demand)
		g.Coverage = &ratio
	}
	return g
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
// @Success      200                  {object}  RoleGapsReport
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/gaps/roles [get]
func (s *Server) getRoleGaps(c *gin.Context) {
	g, q, err := s.gapQuery(c, false)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	heads, cells, err := s.db.RoleGaps(c.Request.Context(), g)
	r := RoleGapsReport{Organisation: c.Param("code"), Basis: g.Basis, At: reportTime(g), Roles: []RoleGap{}}
	byRole := map[string]int{}
	for _, h := range heads {
		byRole[h.Organisation+"/"+h.Role] = len(r.Roles)
		r.Roles = append(r.Roles, RoleGap{Role: h.Role, Title: h.Title, Owner: h.Organisation, Headcount: h.Headcount,
			MeetingEssential: h.MeetingEssential, Requirements: []RequirementGap{}})
	}
	for _, cell := range cells {
		if i, ok := byRole[cell.Owner+"/"+cell.Role]; ok {
			r.Roles[i].Requirements = append(r.Roles[i].Requirements, newRequirementGap(cell))
		}
	}
	respondTable(c, r, err)
}

func (r RoleGapsReport) csvTable() ([]string, [][]string) {
	header := []string{"organisation", "role", "title", "headcount", "meeting_essential", "skill", "tier",
		"required_level", "criticality", "demand", "supply", "shortfall", "coverage", "depth"}
	var rows [][]string
	for _, role := range r.Roles {
		for _, q := range role.Requirements {
			rows = append(rows, []string{r.Organisation, role.Role, role.Title, itoaCell(role.Headcount), itoaCell(role.MeetingEssential),
				q.Skill, q.Tier, itoaCell(q.RequiredLevel), q.Criticality, itoaCell(q.Demand), itoaCell(q.Supply),
				itoaCell(q.Shortfall), floatCell(q.Coverage), itoaCell(q.Depth)})
		}
	}
	return header, rows
}

// MatrixCell is one role x skill cell of the heat map.
type MatrixCell struct {
	Role          string   `json:"role" example:"network-engineer"`
	Skill         string   `json:"skill" example:"firewall-config"`
	RequiredLevel int      `json:"required_level" example:"3"`
	Demand        int      `json:"demand" example:"8"`
	Supply        int      `json:"supply" example:"5"`
	Coverage      *float64 `json:"coverage" example:"0.625"`
}

// GapMatrix is role x skill coverage for a heat map: the roles and skills on its axes,
// and a cell wherever a role requires a skill.
type GapMatrix struct {
	Organisation string       `json:"organisation" example:"RJ1"`
	At           time.Time    `json:"at"`
	Roles        []string     `json:"roles"`
	Skills       []string     `json:"skills"`
	Cells        []MatrixCell `json:"cells"`
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
// @Success      200                  {object}  GapMatrix
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/gaps/matrix [get]
func (s *Server) getGapMatrix(c *gin.Context) {
	g, q, err := s.gapQuery(c, false)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	_, cells, err := s.db.RoleGaps(c.Request.Context(), g)
	m := GapMatrix{Organisation: c.Param("code"), At: reportTime(g), Roles: []string{}, Skills: []string{}, Cells: []MatrixCell{}}
	seenRole, seenSkill := map[string]bool{}, map[string]bool{}
	for _, cell := range cells {
		if !seenRole[cell.Role] {
			seenRole[cell.Role] = true
			m.Roles = append(m.Roles, cell.Role)
		}
		if !seenSkill[cell.Skill] {
			seenSkill[cell.Skill] = true
			m.Skills = append(m.Skills, cell.Skill)
		}
		rg := newRequirementGap(cell)
		m.Cells = append(m.Cells, MatrixCell{Role: cell.Role, Skill: cell.Skill, RequiredLevel: cell.RequiredLevel,
			Demand: cell.Demand, Supply: cell.Supply, Coverage: rg.Coverage})
	}
	respondTable(c, m, err)
}

func (m GapMatrix) csvTable() ([]string, [][]string) {
	rows := make([][]string, len(m.Cells))
	for i, cell := range m.Cells {
		rows[i] = []string{m.Organisation, cell.Role, cell.Skill, itoaCell(cell.RequiredLevel), itoaCell(cell.Demand),
			itoaCell(cell.Supply), floatCell(cell.Coverage)}
	}
	return []string{"organisation", "role", "skill", "required_level", "demand", "supply", "coverage"}, rows
}
