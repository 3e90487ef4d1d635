package repository

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// condition restricts courses c to what the caller may see.
func courseAccessCondition(a models.CourseAccess, f *filter) {
	switch {
	case a.All:
	case a.Provider != "":
		f.add("c.provider = ?", a.Provider)
	default:
		f.add("FALSE")
	}
}

type courseRow struct {
	ID             int64          `db:"id"`
	Code           string         `db:"code"`
	Title          string         `db:"title"`
	Description    string         `db:"description"`
	Provider       string         `db:"provider"`
	ActivityIRI    *string        `db:"activity_iri"`
	ActivityIRIs   pq.StringArray `db:"activity_iris"`
	Prefixes       pq.StringArray `db:"activity_iri_prefixes"`
	CompletionRule string         `db:"completion_rule"`
	Framework      string         `db:"framework"`
	ValidityMonths *int           `db:"validity_months"`
	DurationHours  *float64       `db:"duration_hours"`
	Cost           *float64       `db:"cost"`
	RetiredAt      *time.Time     `db:"retired_at"`
	CreatedAt      time.Time      `db:"created_at"`
	UpdatedAt      time.Time      `db:"updated_at"`
	Skills         []byte         `db:"skills"`
}

func (r courseRow) course() (models.Course, error) {
	out := models.Course{
		Code: r.Code, Title: r.Title, Description: r.Description, Provider: r.Provider, ActivityIRI: deref(r.ActivityIRI),
		ActivityIRIs: r.ActivityIRIs, ActivityIRIPrefixes: r.Prefixes, CompletionRule: models.CompletionRule(r.CompletionRule),
		Framework: r.Framework, ValidityMonths: r.ValidityMonths, DurationHours: r.DurationHours, Cost: r.Cost,
		RetiredAt: r.RetiredAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	err := json.Unmarshal(r.Skills, &out.Skills)
	return out, err
}

const courseSelect = `
	SELECT c.id, c.code, c.title, c.description, c.provider, c.activity_iri, c.completion_rule,
	       ARRAY(SELECT a.iri FROM course_activities a WHERE a.course_id = c.id AND a.kind = 'part' ORDER BY a.iri) AS activity_iris,
	       ARRAY(SELECT a.iri FROM course_activities a WHERE a.course_id = c.id AND a.kind = 'prefix' ORDER BY a.iri) AS activity_iri_prefixes,
	       COALESCE(f.code, (SELECT d.code FROM frameworks d WHERE d.is_default), '') AS framework,
	       c.validity_months, c.duration_hours::float8 AS duration_hours, c.cost::float8 AS cost,
	       c.retired_at, c.created_at, c.updated_at,
	       COALESCE((SELECT json_agg(json_build_object('skill', k.code, 'level', cs.level) ORDER BY k.position, k.code)
	                   FROM course_skills cs JOIN skills k ON k.id = cs.skill_id WHERE cs.course_id = c.id), '[]') AS skills
	  FROM courses c
	  LEFT JOIN frameworks f ON f.id = c.framework_id`

// ListCourses lists the courses a caller may see, by code, a page at a time. Retired
// courses are left out.
func (db *DB) ListCourses(ctx context.Context, access models.CourseAccess, f models.CourseFilter, page models.Page) ([]models.Course, string, error) {
	var w filter
	courseAccessCondition(access, &w)
	w.add("c.retired_at IS NULL")
	if f.Provider != "" {
		w.add("c.provider = ?", f.Provider)
	}
	if f.Skill != "" {
		w.add("EXISTS (SELECT 1 FROM course_skills cs JOIN skills k ON k.id = cs.skill_id WHERE cs.course_id = c.id AND k.code = ?)", f.Skill)
	}
	if f.Q != "" {
		w.add("(c.code ILIKE ? OR c.title ILIKE ?)", likePattern(f.Q), likePattern(f.Q))
	}
	return selectPage(ctx, db, courseSelect, &w, ascending("c.code"), page, courseRow.course, func(c models.Course) string { return c.Code })
}

// GetCourse reads one course the caller may see, retired or not.
func (db *DB) GetCourse(ctx context.Context, access models.CourseAccess, code string) (models.Course, error) {
	return getCourse(ctx, db, access, code)
}

func getCourse(ctx context.Context, q sqlx.QueryerContext, access models.CourseAccess, code string) (models.Course, error) {
	var w filter
	courseAccessCondition(access, &w)
	w.add("c.code = ?", code)
	return selectOne(ctx, q, courseSelect, &w, models.Errorf(models.ENOTFOUND, "course %q not found", code), courseRow.course)
}

// SaveCourse creates or replaces a course with the skills it confers, and brings a
// retired course back. A trainer's course is always its own provider's; an admin names
// the provider when creating (when replacing, the course keeps its provider unless
// another is named). With createOnly an existing code is a conflict; replacing another
// provider's course is "not found" for a trainer, who may not know it exists.
func (db *DB) SaveCourse(ctx context.Context, access models.CourseAccess, c models.Course, createOnly bool) (saved models.Course, created bool, err error) {
	if err := c.Validate(); err != nil {
		return saved, false, err
	}
	c.CompletionRule = c.CompletionRule.OrDefault()
	if !access.All && c.Provider != "" && c.Provider != access.Provider {
		return saved, false, models.Invalid(models.FieldError{Field: "provider", Message: "must be your own provider, or left out"})
	}
	err = db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var existing struct {
			ID       int64  `db:"id"`
			Provider string `db:"provider"`
		}
		err := tx.GetContext(ctx, &existing, `SELECT id, provider FROM courses WHERE code = $1 FOR UPDATE`, c.Code)
		if err != nil && models.ErrorCode(translate(err)) != models.ENOTFOUND {
			return err
		}
		exists := err == nil
		switch {
		case exists && createOnly:
			return models.Errorf(models.ECONFLICT, "course %q already exists", c.Code)
		case exists && !access.All && existing.Provider != access.Provider:
			return models.Errorf(models.ENOTFOUND, "course %q not found", c.Code)
		case !access.All:
			c.Provider = access.Provider
		case c.Provider == "" && exists:
			c.Provider = existing.Provider
		case c.Provider == "":
			return models.Invalid(models.FieldError{Field: "provider", Message: "is required when an admin creates a course"})
		}
		codes := make([]string, len(c.Skills))
		for i, s := range c.Skills {
			codes[i] = s.Skill
		}
		frameworkID, skillIDs, err := resolveSkills(ctx, tx, c.Framework, codes, "skills")
		if err != nil {
			return err
		}
		var id int64
		err = tx.GetContext(ctx, &id, `
			INSERT INTO courses (provider, code, title, description, activity_iri, completion_rule, framework_id, validity_months, duration_hours, cost)
			VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9, $10)
			ON CONFLICT ON CONSTRAINT courses_code_key DO UPDATE SET
				provider = excluded.provider, title = excluded.title, description = excluded.description,
				activity_iri = excluded.activity_iri, completion_rule = excluded.completion_rule, framework_id = excluded.framework_id,
				validity_months = excluded.validity_months, duration_hours = excluded.duration_hours,
				cost = excluded.cost, retired_at = NULL, updated_at = now()
			RETURNING id`,
			c.Provider, c.Code, c.Title, c.Description, c.ActivityIRI, string(c.CompletionRule), frameworkID, c.ValidityMonths, c.DurationHours, c.Cost)
		if err != nil {
			return err
		}
		if err := replaceCourseSkills(ctx, tx, id, c.Skills, skillIDs); err != nil {
			return err
		}
		if err := replaceCourseActivities(ctx, tx, id, c); err != nil {
			return err
		}
		created = !exists
		saved, err = getCourse(ctx, tx, models.CourseAccess{All: true}, c.Code)
		return err
	})
	return saved, created, err
}

// replaceCourseSkills makes the course confer exactly skills.
func replaceCourseSkills(ctx context.Context, tx *sqlx.Tx, courseID int64, skills []models.CourseSkill, skillIDs map[string]int64) error {
	ids := make([]int64, len(skills))
	levels := make([]int64, len(skills))
	for i, s := range skills {
		ids[i], levels[i] = skillIDs[s.Skill], int64(s.Level)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM course_skills WHERE course_id = $1 AND NOT (skill_id = ANY ($2))`,
		courseID, int64Array(ids)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO course_skills (course_id, skill_id, level)
		SELECT $1, u.skill_id, u.level FROM unnest($2::bigint[], $3::smallint[]) AS u (skill_id, level)
		ON CONFLICT (course_id, skill_id) DO UPDATE SET level = excluded.level
		 WHERE course_skills.level <> excluded.level`,
		courseID, int64Array(ids), int64Array(levels))
	return err
}

// DeleteCourse removes a course that has no history. A course with completions,
// statements or enrolments is retired instead, so that its history keeps its meaning:
// it leaves the catalogue but still answers to its code, retired as of at. The retired
// course is returned; nil means it was removed.
func (db *DB) DeleteCourse(ctx context.Context, access models.CourseAccess, code string, at time.Time) (*models.Course, error) {
	var retired *models.Course
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var w filter
		courseAccessCondition(access, &w)
		w.add("c.code = ?", code)
		var course struct {
			ID      int64 `db:"id"`
			History bool  `db:"history"`
		}
		err := tx.GetContext(ctx, &course, tx.Rebind(`
			SELECT c.id, EXISTS (SELECT 1 FROM completions x WHERE x.course_id = c.id)
			          OR EXISTS (SELECT 1 FROM xapi_statements x WHERE x.course_id = c.id)
			          OR EXISTS (SELECT 1 FROM enrolments x WHERE x.course_id = c.id) AS history
			  FROM courses c`+w.where()+` FOR UPDATE`), w.args...)
		if err != nil {
			if models.ErrorCode(translate(err)) == models.ENOTFOUND {
				return models.Errorf(models.ENOTFOUND, "course %q not found", code)
			}
			return err
		}
		if !course.History {
			_, err := tx.ExecContext(ctx, `DELETE FROM courses WHERE id = $1`, course.ID)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE courses SET retired_at = COALESCE(retired_at, $2), updated_at = now() WHERE id = $1`, course.ID, at); err != nil {
			return err
		}
		c, err := getCourse(ctx, tx, models.CourseAccess{All: true}, code)
		retired = &c
		return err
	})
	return retired, err
}
