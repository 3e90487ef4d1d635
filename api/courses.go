package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// CourseBody is a course as written: its code comes from the path on PUT.
type CourseBody struct {
	Code        string `json:"code,omitempty" example:"FW-201"`
	Title       string `json:"title" example:"Next-generation firewall administration"`
	Description string `json:"description,omitempty" example:"Three days of hands-on firewall policy design, change control and troubleshooting."`
	// Provider: a trainer's courses are its own provider's (leave it out); an admin names it when creating.
	Provider string `json:"provider,omitempty" example:"nhs-digital-academy"`
	// ActivityIRI is the course's own xAPI activity: a statement whose object it is is about
	// the course (Moodle's course completion, cmi5's satisfied on the course).
	ActivityIRI string `json:"activity_iri,omitempty" example:"https://academy.example.nhs.uk/xapi/courses/fw-201"`
	// ActivityIRIs are activities that stand for the course wherever a statement names
	// them: as its object, a contextActivities parent or grouping (a quiz, cmi5 AUs).
	ActivityIRIs []string `json:"activity_iris,omitempty" example:"https://moodle.example.nhs.uk/mod/quiz/view.php?id=42"`
	// ActivityIRIPrefixes stand for the course as activity_iris do, for every IRI that
	// starts so. Your IRIs and prefixes are each one course's; an exact IRI beats a prefix.
	ActivityIRIPrefixes []string `json:"activity_iri_prefixes,omitempty" example:"https://academy.example.nhs.uk/cmi5/fw-201/"`
	// CompletionRule is what a statement must say for the course to confer its evidence;
	// completed_or_passed when left out.
	CompletionRule models.CompletionRule `json:"completion_rule,omitempty" enums:"completed,passed,completed_and_passed,completed_or_passed,satisfied" example:"passed"`
	// Framework whose skill codes skills name; the default framework when left out.
	Framework string               `json:"framework,omitempty" example:"cyber"`
	Skills    []models.CourseSkill `json:"skills"`
	// ValidityMonths after completion the evidence expires; null: never.
	ValidityMonths *int     `json:"validity_months,omitempty" example:"36"`
	DurationHours  *float64 `json:"duration_hours,omitempty" example:"21"`
	Cost           *float64 `json:"cost,omitempty" example:"450"`
}

func (b CourseBody) course(code string) models.Course {
	if code == "" {
		code = b.Code
	}
	return models.Course{Code: code, Title: b.Title, Description: b.Description, Provider: b.Provider,
		ActivityIRI: b.ActivityIRI, ActivityIRIs: b.ActivityIRIs, ActivityIRIPrefixes: b.ActivityIRIPrefixes,
		CompletionRule: b.CompletionRule, Framework: b.Framework, Skills: b.Skills, ValidityMonths: b.ValidityMonths,
		DurationHours: b.DurationHours, Cost: b.Cost}
}

// listCourses godoc
// @Summary      List courses
// @Description  The course catalogue by code, retired courses left out. A trainer sees its own provider's courses; admin and hr see every provider's.
// @ID           listCourses
// @Tags         training
// @Produce      json
// @Param        provider  query     string  false  "Only this provider's courses"
// @Param        skill     query     string  false  "Only courses conferring this skill code"
// @Param        q         query     string  false  "Search in code and title"
// @Param        cursor    query     string  false  "Cursor from the previous page"
// @Param        limit     query     int     false  "Page size (1-1000, default 50)"
// @Success      200       {object}  Page[models.Course]
// @Failure      400       {object}  problem.Problem
// @Failure      403       {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/courses [get]
func (s *Server) listCourses(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.CourseFilter{Provider: q.str("provider"), Skill: q.str("skill"), Q: q.str("q")}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Courses(c.Request.Context(), principal(c), f, page)
	if err != nil {
		return reply{}, err
	}
	return pageOf(items, next), nil
}

// getCourse godoc
// @Summary      Get a course
// @Description  A retired course still answers, with retired_at. Another provider's course is not found for a trainer.
// @ID           getCourse
// @Tags         training
// @Produce      json
// @Param        code  path      string  true  "Course code"
// @Success      200   {object}  models.Course
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/courses/{code} [get]
func (s *Server) getCourse(c *gin.Context) (reply, error) {
	course, err := s.svc.Course(c.Request.Context(), principal(c), c.Param("code"))
	return ok(course), err
}

// createCourse godoc
// @Summary      Create a course
// @Description  A course of the trainer's own provider (an admin names the provider), with the skills it confers at a level. Codes and activity IRIs are unique across providers.
// @ID           createCourse
// @Tags         training
// @Accept       json
// @Produce      json
// @Param        body  body      CourseBody  true  "The course"
// @Success      201   {object}  models.Course
// @Failure      400   {object}  problem.Problem  "Invalid course, unknown skill or framework, provider missing (admin) or not yours (trainer)"
// @Failure      403   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "The code or the activity IRI is taken"
// @Security     BearerAuth
// @Router       /api/v1/courses [post]
func (s *Server) createCourse(c *gin.Context) (reply, error) {
	course, err := bindCourse(c, "")
	if err != nil {
		return reply{}, err
	}
	saved, err := s.svc.CreateCourse(c.Request.Context(), principal(c), course)
	return created(saved), err
}

// putCourse godoc
// @Summary      Create or replace a course
// @Description  Idempotent: 201 when created, 200 when replaced or unchanged. A retired course comes back. Another provider's course is not found for a trainer. Evidence already granted keeps the levels and expiry it was granted with.
// @ID           putCourse
// @Tags         training
// @Accept       json
// @Produce      json
// @Param        code  path      string      true  "Course code"
// @Param        body  body      CourseBody  true  "The course"
// @Success      200   {object}  models.Course
// @Success      201   {object}  models.Course
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "Another provider's course"
// @Failure      409   {object}  problem.Problem  "The activity IRI is another course's"
// @Security     BearerAuth
// @Router       /api/v1/courses/{code} [put]
func (s *Server) putCourse(c *gin.Context) (reply, error) {
	course, err := bindCourse(c, c.Param("code"))
	if err != nil {
		return reply{}, err
	}
	saved, isNew, err := s.svc.PutCourse(c.Request.Context(), principal(c), course)
	return okOrCreated(isNew, saved), err
}

// bindCourse reads a course body; code is the path's, which a code in the body must match.
func bindCourse(c *gin.Context, code string) (models.Course, error) {
	var body CourseBody
	if err := bindJSON(c, &body); err != nil {
		return models.Course{}, err
	}
	if code != "" && body.Code != "" && body.Code != code {
		return models.Course{}, models.Invalid(models.FieldError{Field: "code", Message: "differs from the code in the path"})
	}
	return body.course(code), nil
}

// deleteCourse godoc
// @Summary      Delete or retire a course
// @Description  A course without history (completions, xAPI statements, enrolments) is removed: 204. A course with history is retired instead, so that its records keep their meaning: 200 with the course and its retired_at; it leaves the catalogue, and PUT brings it back.
// @ID           deleteCourse
// @Tags         training
// @Produce      json
// @Param        code  path      string  true  "Course code"
// @Success      200   {object}  models.Course  "Retired"
// @Success      204   "Removed"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/courses/{code} [delete]
func (s *Server) deleteCourse(c *gin.Context) (reply, error) {
	retired, err := s.svc.DeleteCourse(c.Request.Context(), principal(c), c.Param("code"))
	switch {
	case err != nil:
		return reply{}, err
	case retired != nil:
		return ok(retired), nil
	}
	return noContent(), nil
}
