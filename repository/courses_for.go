package repository

import (
	"context"

	"cyberskills/models"
)

// CoursesConferring lists, per skill code, the current courses that confer the skill
// (or a skill it superseded), cheapest and shortest first.
func (db *DB) CoursesConferring(ctx context.Context, skills []string) (map[string][]models.CourseOption, error) {
	var rows []struct {
		Skill    string   `db:"skill"`
		Course   string   `db:"course"`
		Title    string   `db:"title"`
		Provider string   `db:"provider"`
		Level    int      `db:"level"`
		Duration *float64 `db:"duration_hours"`
		Cost     *float64 `db:"cost"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT k.code AS skill, c.code AS course, c.title, c.provider, max(cs.level)::int AS level,
		       c.duration_hours::float8 AS duration_hours, c.cost::float8 AS cost
		  FROM course_skills cs
		  JOIN courses c ON c.id = cs.course_id
		  JOIN skills k0 ON k0.id = cs.skill_id
		  JOIN skills k ON k.id = k0.effective_id
		 WHERE c.retired_at IS NULL AND k.code = ANY ($1)
		 GROUP BY k.code, c.id, c.code, c.title, c.provider, c.duration_hours, c.cost
		 ORDER BY k.code, c.cost NULLS LAST, c.duration_hours NULLS LAST, c.code`, stringArray(skills))
	if err != nil {
		return nil, translate(err)
	}
	out := map[string][]models.CourseOption{}
	for _, r := range rows {
		out[r.Skill] = append(out[r.Skill], models.CourseOption{Course: r.Course, Title: r.Title, Provider: r.Provider,
			Level: r.Level, DurationHours: r.Duration, Cost: r.Cost})
	}
	return out, nil
}
