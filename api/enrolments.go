package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// listEnrolments godoc
// @Summary      The training pipeline
// @Description  Enrolments of the organisation's staff (and everything below it), newest first, each with its course's observed pass rate (passed completions over completions and withdrawals). A trainer sees only enrolments on its own courses.
// @ID           listEnrolments
// @Tags         planning
// @Produce      json
// @Param        code    path      string  true   "Organisation code"
// @Param        status  query     string  false  "Only this status"  Enums(enrolled,completed,failed,withdrawn)
// @Param        course  query     string  false  "Only this course code"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.Enrolment]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/enrolments [get]
func (s *Server) listEnrolments(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.EnrolmentFilter{Status: models.EnrolmentStatus(q.oneOf("status", "", "enrolled", "completed", "failed", "withdrawn")), Course: q.str("course")}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Enrolments(c.Request.Context(), principal(c), organisationOf(c), f, page)
	if err != nil {
		return reply{}, err
	}
	return pageOf(items, next), nil
}

// createEnrolment godoc
// @Summary      Enrol a person on a course
// @Description  By hr of the organisation, or by the training provider that owns the course. A passed completion or xAPI statement for the same person and course later closes it as completed (failed for a fail). One open enrolment per person and course.
// @ID           createEnrolment
// @Tags         planning
// @Accept       json
// @Produce      json
// @Param        code  path      string               true  "Organisation code"
// @Param        body  body      models.NewEnrolment  true  "The enrolment"
// @Success      201   {object}  models.Enrolment
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Already enrolled"
// @Failure      422   {object}  problem.Problem  "Unknown person or course"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/enrolments [post]
func (s *Server) createEnrolment(c *gin.Context) (reply, error) {
	var body models.NewEnrolment
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	e, err := s.svc.Enrol(c.Request.Context(), principal(c), organisationOf(c), body)
	return created(e), err
}

// withdrawEnrolment godoc
// @Summary      Withdraw an enrolment
// @Description  Ends an open enrolment without completion; withdrawals count against the course's pass rate.
// @ID           withdrawEnrolment
// @Tags         planning
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Param        id    path      int     true  "Enrolment id"
// @Success      200   {object}  models.Enrolment
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Already closed"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/enrolments/{id} [delete]
func (s *Server) withdrawEnrolment(c *gin.Context) (reply, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return reply{}, err
	}
	e, err := s.svc.Withdraw(c.Request.Context(), principal(c), organisationOf(c), id)
	return ok(e), err
}
