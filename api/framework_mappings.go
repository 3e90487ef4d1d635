package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// listMappings godoc
// @Summary      List a framework's mapping to the default framework
// @Description  The framework's skills that correspond to skills of the default framework, in document order, each with the default framework's skills it maps to (maps_to) and the survey tier it counts under in statistics (the most basic of theirs). The NICE Framework ships with a mapping of its knowledge and skill statements, hand-curated from the statement texts; national statistics count a gap in a mapped statement in that tier.
// @ID           listMappings
// @Tags         frameworks
// @Produce      json
// @Param        code    path      string  true   "Framework code"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.SkillMapping]
// @Failure      400     {object}  problem.Problem  "Bad cursor or limit"
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem  "No such framework"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code}/mappings [get]
func (s *Server) listMappings(c *gin.Context) (reply, error) {
	q := queryParams(c)
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Mappings(c.Request.Context(), c.Param("code"), page)
	return pageOf(items, next), err
}

// putMappings godoc
// @Summary      Replace a framework's mapping to the default framework
// @Description  The body lists every skill of the framework that corresponds to skills of the default framework (by code, in maps_to); skills left out map to none. Statistics then count each mapped skill under the most basic survey tier of the skills it maps to. The default framework's own skills cannot be mapped: they count under their own tiers. A mapping equal to the current one writes nothing (unchanged: true).
// @ID           putMappings
// @Tags         frameworks
// @Accept       json
// @Produce      json
// @Param        code  path      string                true  "Framework code"
// @Param        body  body      models.SkillMappings  true  "The whole mapping"
// @Success      200   {object}  models.MappingResult
// @Failure      400   {object}  problem.Problem  "Unknown skills, named by path (mappings[3].maps_to[0])"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such framework"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code}/mappings [put]
func (s *Server) putMappings(c *gin.Context) (reply, error) {
	var m models.SkillMappings
	if err := bindJSON(c, &m); err != nil {
		return reply{}, err
	}
	res, err := s.svc.ReplaceMappings(c.Request.Context(), c.Param("code"), m)
	return ok(res), err
}
