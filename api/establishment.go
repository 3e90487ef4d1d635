package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// EstablishmentBody sets funded posts for the periods it names.
type EstablishmentBody struct {
	Entries []models.EstablishmentEntry `json:"entries"`
}

// getEstablishment godoc
// @Summary      Funded posts by role and period
// @Description  The organisation's establishment: funded posts per role for each month or quarter. The entry in force today (the latest period begun) shows the posts filled by active staff in the role and the vacancies (funded - filled). Gap reports with include_vacancies=true count each vacant post's role requirements as unmet demand.
// @ID           getEstablishment
// @Tags         planning
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.Establishment
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/establishment [get]
func (s *Server) getEstablishment(c *gin.Context) (reply, error) {
	return readList(c, s.svc.Establishment)
}

// putEstablishment godoc
// @Summary      Set funded posts
// @Description  Replaces the organisation's entries for every period the body names (other periods are kept): [{role, period: "2027-01" or "2027-Q1", funded_posts from 0 to 1000000}]. Answers with the whole establishment; no entry is in force while every period is still to come.
// @ID           putEstablishment
// @Tags         planning
// @Accept       json
// @Produce      json
// @Param        code  path      string             true  "Organisation code"
// @Param        body  body      EstablishmentBody  true  "Entries"
// @Success      200   {object}  models.Establishment
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/establishment [put]
func (s *Server) putEstablishment(c *gin.Context) (reply, error) {
	return replaceList(c, func(b EstablishmentBody) []models.EstablishmentEntry { return b.Entries }, s.svc.SetEstablishment)
}
