package api

import (
	"encoding/json"

	"github.com/gin-gonic/gin"
)

// postCompletions godoc
// @Summary      Record course completions
// @Description  One completion object, or an array of up to 1,000, applied all or nothing. A passed completion creates training evidence for each skill the course confers, at its level, assessed at completed_at and expiring after the course's validity; passed and failed completions close the person's open enrolment on the course. Idempotent per provider and completion_id: the same payload again is "unchanged" and creates nothing; another payload under a used id is 409. Staff are named by organisation code and external id; nothing about them is returned. Problems name the item: items[3].completed_at.
// @ID           postCompletions
// @Tags         training
// @Accept       json
// @Produce      json
// @Param        provider  query     string                false "Admin tokens: the provider of items that do not name one (trainers: their own)"
// @Param        body      body      models.NewCompletion  true  "A completion, or an array of them"
// @Success      200       {object}  models.CompletionsResult     "Every item was recorded before"
// @Success      201       {object}  models.CompletionsResult     "Something was recorded"
// @Failure      400       {object}  problem.Problem       "Invalid items, each named"
// @Failure      403       {object}  problem.Problem
// @Failure      409       {object}  problem.Problem       "A completion_id was used before with another payload"
// @Failure      422       {object}  problem.Problem       "Unknown staff or course (or another provider's), each item named"
// @Security     BearerAuth
// @Router       /api/v1/completions [post]
func (s *Server) postCompletions(c *gin.Context) (reply, error) {
	provider := queryParams(c).str("provider") // admin tokens only; a trainer's are its own
	if err := requireMediaType(c, "application/json"); err != nil {
		return reply{}, err
	}
	var body json.RawMessage
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		return reply{}, err
	}
	r, err := s.svc.RecordCompletions(c.Request.Context(), principal(c), body, provider)
	return okOrCreated(r.AnyCreated(), r), err
}
