package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// TargetsBody replaces an organisation's own capability targets.
type TargetsBody struct {
	Targets []models.SkillTarget `json:"targets"`
}

// CoverageBody replaces an organisation's external coverage declarations.
type CoverageBody struct {
	Coverage []models.SkillCoverage `json:"coverage"`
}

// getTargets godoc
// @Summary      Capability targets in force
// @Description  Each skill's target (at least min_headcount active staff at min_level or above): the organisation's own, or the default for its type and size band (source says which).
// @ID           getTargets
// @Tags         gaps
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.TargetsList
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/targets [get]
func (s *Server) getTargets(c *gin.Context) (reply, error) {
	return readList(c, s.svc.Targets)
}

// putTargets godoc
// @Summary      Set the organisation's own capability targets
// @Description  Replaces the organisation's own targets with the list given; skills not listed fall back to the defaults, and min_headcount 0 switches a default off. Answers with the targets now in force.
// @ID           putTargets
// @Tags         gaps
// @Accept       json
// @Produce      json
// @Param        code  path      string       true  "Organisation code"
// @Param        body  body      TargetsBody  true  "The organisation's own targets"
// @Success      200   {object}  models.TargetsList
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/targets [put]
func (s *Server) putTargets(c *gin.Context) (reply, error) {
	return replaceList(c, func(b TargetsBody) []models.SkillTarget { return b.Targets }, s.svc.SetTargets)
}

// getCoverage godoc
// @Summary      Skills covered by external providers
// @Description  Skills the organisation buys in as a managed service: reported in gap reports but not counted as gaps until the contract ends.
// @ID           getCoverage
// @Tags         gaps
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.CoverageList
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/coverage [get]
func (s *Server) getCoverage(c *gin.Context) (reply, error) {
	return readList(c, s.svc.Coverage)
}

// putCoverage godoc
// @Summary      Declare skills covered by external providers
// @Description  Replaces the declarations with the list given: skill, provider and contract end date (the skill counts as a gap again from that date).
// @ID           putCoverage
// @Tags         gaps
// @Accept       json
// @Produce      json
// @Param        code  path      string        true  "Organisation code"
// @Param        body  body      CoverageBody  true  "The declarations"
// @Success      200   {object}  models.CoverageList
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/coverage [put]
func (s *Server) putCoverage(c *gin.Context) (reply, error) {
	return replaceList(c, func(b CoverageBody) []models.SkillCoverage { return b.Coverage }, s.svc.SetCoverage)
}
