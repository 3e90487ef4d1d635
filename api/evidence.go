package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// getCompetencies godoc
// @Summary      A person's current levels
// @Description  For every skill the person holds or their role requires: the verified level (highest level among unexpired, unretracted evidence from any source but self), when it may next fall, the latest self-assessed level beside it, and the level their role requires. With at, as of that moment.
// @ID           getCompetencies
// @Tags         evidence
// @Produce      json,text/csv
// @Param        code         path      string  true   "Organisation code"
// @Param        external_id  path      string  true   "The HR system's id of the person"
// @Param        at           query     string  false  "As of this date or time (default now)"
// @Param        format       query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200          {object}  models.Competencies
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,external_id,skill,name,tier,verified_level,verified_until,self_level,required_level,criticality,depth"
// @Router       /api/v1/organisations/{code}/staff/{external_id}/competencies [get]
func (s *Server) getCompetencies(c *gin.Context) (reply, error) {
	q := queryParams(c)
	at := q.time("at")
	q.oneOf("format", "json", "json", "csv")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	out, err := s.svc.Competencies(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"), at)
	return ok(tabular(out, competenciesCSV)), err
}

func competenciesCSV(cs models.Competencies) ([]string, [][]cell) {
	rows := make([][]cell, len(cs.Items))
	for i, c := range cs.Items {
		until := ""
		if c.VerifiedUntil != nil {
			until = c.VerifiedUntil.Format(time.RFC3339)
		}
		rows[i] = []cell{text(cs.Organisation), text(cs.ExternalID), text(c.Skill), text(c.Name), text(c.Tier),
			itoaCell(c.VerifiedLevel), text(until), intPtrCell(c.SelfLevel), itoaCell(c.RequiredLevel), text(c.Criticality), itoaCell(c.Depth)}
	}
	return []string{"organisation", "external_id", "skill", "name", "tier", "verified_level", "verified_until", "self_level",
		"required_level", "criticality", "depth"}, rows
}

// listEvidence godoc
// @Summary      A person's evidence history
// @Description  Every record, newest first, retractions included (each withdrawn record names the retraction that withdrew it). Each says what created it (origin): a provider's completion (completion_id, provider), an xAPI statement (statement_id, provider), an import (import_job: GET /api/v1/jobs/{id}), or a token that posted it (token, given for every kind).
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
func (s *Server) listEvidence(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.EvidenceFilter{Skill: q.str("skill")}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Evidence(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"), f, page)
	return pageOf(items, next), err
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
// @Failure      410          {object}  problem.Problem  "The person was erased: their record is never written again"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id}/evidence [post]
func (s *Server) addEvidence(c *gin.Context) (reply, error) {
	var body models.NewEvidence
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	ev, err := s.svc.AddEvidence(c.Request.Context(), principal(c), c.Param("code"), c.Param("external_id"), body)
	return created(ev), err
}
