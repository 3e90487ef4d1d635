package api

import (
	"math"
	"strconv"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// listFrameworks godoc
// @Summary      List skills frameworks
// @Description  Every framework with its current version and number of active skills, by code. Frameworks are shared reference data: every role may read them.
// @ID           listFrameworks
// @Tags         frameworks
// @Produce      json
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.FrameworkSummary]
// @Failure      400     {object}  problem.Problem  "Bad cursor or limit"
// @Failure      403     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/frameworks [get]
func (s *Server) listFrameworks(c *gin.Context) (reply, error) {
	q := queryParams(c)
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Frameworks(c.Request.Context(), page)
	return pageOf(items, next), err
}

// getFramework godoc
// @Summary      Read a framework
// @Description  The framework document: metadata, proficiency scale, area tree and skills, including deprecated ones. Without version, the current version; with it, that version exactly as it was published.
// @ID           getFramework
// @Tags         frameworks
// @Produce      json
// @Param        code     path      string  true   "Framework code"
// @Param        version  query     int     false  "A published version (default: the current one)"
// @Success      200      {object}  models.Framework
// @Failure      400      {object}  problem.Problem  "Bad version"
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem  "No such framework or version"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code} [get]
func (s *Server) getFramework(c *gin.Context) (reply, error) {
	q := queryParams(c)
	version := q.intRange("version", 0, 1, math.MaxInt32)
	if err := q.err(); err != nil {
		return reply{}, err
	}
	f, _, err := s.svc.Framework(c.Request.Context(), c.Param("code"), version)
	return ok(f), err
}

// createFramework godoc
// @Summary      Create a framework
// @Description  Publishes a new framework as version 1. The body is a complete framework document; version is ignored. Problems are reported by path, such as skills[3].tier (indexes from 0).
// @ID           createFramework
// @Tags         frameworks
// @Accept       json
// @Produce      json
// @Param        body  body      models.Framework  true  "The framework document"
// @Success      201   {object}  models.Framework
// @Header       201   {string}  Location  "The new framework"
// @Failure      400   {object}  problem.Problem  "Invalid document: every field at fault is listed"
// @Failure      403   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "A framework with this code exists; PUT publishes a new version"
// @Security     BearerAuth
// @Router       /api/v1/frameworks [post]
func (s *Server) createFramework(c *gin.Context) (reply, error) {
	var f models.Framework
	if err := bindJSON(c, &f); err != nil {
		return reply{}, err
	}
	res, err := s.svc.CreateFramework(c.Request.Context(), f)
	if err != nil {
		return reply{}, err
	}
	c.Header("Location", apiPrefix+"/frameworks/"+res.Framework.Code)
	return created(res.Framework), nil
}

// publishFramework godoc
// @Summary      Publish a new version of a framework
// @Description  The body replaces the framework's content as its next version; older versions stay readable with ?version=. Skills left out are not deleted but kept as deprecated, and a skill keeps its identity (id) for the same code. superseded_by moves evidence on a deprecated skill to its replacement. When the body says the same as the current version nothing is published and the answer is 200 with that version; a new version is 201.
// @ID           publishFramework
// @Tags         frameworks
// @Accept       json
// @Produce      json
// @Param        code  path      string            true  "Framework code"
// @Param        body  body      models.Framework  true  "The complete framework document; its code must be the path's"
// @Success      200   {object}  models.Framework  "Unchanged: the current version"
// @Success      201   {object}  models.Framework  "The new version"
// @Header       201   {string}  Location  "The new version"
// @Failure      400   {object}  problem.Problem  "Invalid document, or a supersession cycle"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such framework; POST creates one"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code} [put]
func (s *Server) publishFramework(c *gin.Context) (reply, error) {
	var f models.Framework
	if err := bindJSON(c, &f); err != nil {
		return reply{}, err
	}
	if f.Code != c.Param("code") {
		return reply{}, models.Invalid(models.FieldError{Field: "code", Message: "must be the code in the path, " + strconv.Quote(c.Param("code"))})
	}
	res, err := s.svc.PublishFramework(c.Request.Context(), f)
	if err != nil {
		return reply{}, err
	}
	return publishedReply(c, res, res.Framework), nil
}

// publishedReply answers a publish or an import with body: 201 with the new version's
// location when a version was written, 200 when the document was unchanged.
func publishedReply(c *gin.Context, res models.PublishResult, body any) reply {
	if res.Wrote() {
		c.Header("Location", apiPrefix+"/frameworks/"+res.Framework.Code+"?version="+strconv.Itoa(res.Framework.Version))
	}
	return okOrCreated(res.Wrote(), body)
}

// listSkills godoc
// @Summary      List a framework's skills
// @Description  The skills of the framework's current version in document order, with their stable ids, the skill each counts towards (effective_id, the end of its supersession chain), their places in the area tree (area, other_areas) and the survey tier each counts under in statistics (survey_tier).
// @ID           listSkills
// @Tags         frameworks
// @Produce      json
// @Param        code    path      string  true   "Framework code"
// @Param        tier    query     string  false  "Only this tier of the framework's (the default framework's: basic, incident_response, advanced)"
// @Param        area    query     string  false  "Only skills in this area or any area below it, by any of their places in the tree"
// @Param        statement_type  query  string  false  "Only this kind of statement"  Enums(task,knowledge,skill)
// @Param        q       query     string  false  "Text searched in code, name and description"
// @Param        status  query     string  false  "Only active or only deprecated skills"  Enums(active,deprecated)
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.SkillEntry]
// @Failure      400     {object}  problem.Problem  "Bad filter, such as an unknown area"
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem  "No such framework"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code}/skills [get]
func (s *Server) listSkills(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.SkillFilter{
		Tier:          models.Tier(q.str("tier")),
		Area:          q.str("area"),
		Query:         q.str("q"),
		Status:        models.SkillStatus(q.oneOf("status", "", string(models.SkillActive), string(models.SkillDeprecated))),
		StatementType: models.StatementType(q.oneOf("statement_type", "", "task", "knowledge", "skill")),
	}
	q.v.Check(f.Tier == "" || models.ValidCode(string(f.Tier)), "tier", "is not a tier of this framework")
	q.v.Check(len(f.Query) <= 200, "q", "must be at most 200 characters")
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Skills(c.Request.Context(), c.Param("code"), f, page)
	return pageOf(items, next), err
}

// getSkill godoc
// @Summary      Read a skill
// @Description  One skill of the framework's current version, with its stable id, status, supersession and effective skill.
// @ID           getSkill
// @Tags         frameworks
// @Produce      json
// @Param        code   path      string  true  "Framework code"
// @Param        skill  path      string  true  "Skill code"
// @Success      200    {object}  models.SkillEntry
// @Failure      403    {object}  problem.Problem
// @Failure      404    {object}  problem.Problem  "No such framework or skill"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code}/skills/{skill} [get]
func (s *Server) getSkill(c *gin.Context) (reply, error) {
	sk, err := s.svc.Skill(c.Request.Context(), c.Param("code"), c.Param("skill"))
	return ok(sk), err
}
