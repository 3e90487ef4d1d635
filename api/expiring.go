package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// ExpiringList is the verified levels that lapse within a window.
type ExpiringList struct {
	Organisation string         `json:"organisation" example:"RJ1"`
	From         time.Time      `json:"from"`
	To           time.Time      `json:"to"`
	Items        []models.Lapse `json:"items"`
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
// @Success      200                  {object}  ExpiringList
// @Failure      400                  {object}  problem.Problem
// @Failure      403                  {object}  problem.Problem
// @Failure      404                  {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/expiring [get]
func (s *Server) getExpiring(c *gin.Context) {
	g, q, err := s.gapQuery(c, false)
	within := 90 * 24 * time.Hour
	if w := q.str("within"); w != "" {
		d, perr := models.ParseLifetime(w)
		if perr != nil || d <= 0 || d > 5*365*24*time.Hour {
			q.v.Add("within", "must be a window such as 30d, 90d or 12h, at most five years")
		} else {
			within = d
		}
	}
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, err := s.db.Expiring(c.Request.Context(), g, within)
	if items == nil {
		items = []models.Lapse{}
	}
	from := g.Now
	respondTable(c, ExpiringList{Organisation: c.Param("code"), From: from, To: from.Add(within), Items: items}, err)
}

func (l ExpiringList) csvTable() ([]string, [][]string) {
	rows := make([][]string, len(l.Items))
	for i, x := range l.Items {
		rows[i] = []string{x.Organisation, x.ExternalID, x.Role, x.Skill, x.Tier, itoaCell(x.Level), x.LapsesAt.Format(time.RFC3339),
			itoaCell(x.LevelAfter), itoaCell(x.RequiredLevel), boolCell(x.OpensRoleGap), boolCell(x.OpensTargetGap)}
	}
	return []string{"organisation", "external_id", "role", "skill", "tier", "level", "lapses_at", "level_after",
		"required_level", "opens_role_gap", "opens_target_gap"}, rows
}
