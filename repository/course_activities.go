package repository

import (
	"context"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// replaceCourseActivities makes a course's activities (course_activities) exactly those
// it states: its own activity_iri, the activity_iris that stand for it and its prefixes.
// An IRI another course of the provider holds is a conflict naming that course; rows
// that stay are not written again, so that only new ones ask for unmatched statements to
// be matched again (the rematch trigger).
func replaceCourseActivities(ctx context.Context, tx *sqlx.Tx, courseID int64, c models.Course) error {
	var iris, kinds []string
	add := func(kind string, list ...string) {
		for _, iri := range list {
			if iri != "" {
				iris, kinds = append(iris, iri), append(kinds, kind)
			}
		}
	}
	add("own", c.ActivityIRI)
	add("part", c.ActivityIRIs...)
	add("prefix", c.ActivityIRIPrefixes...)
	var taken []struct {
		IRI  string `db:"iri"`
		Kind string `db:"kind"`
		Code string `db:"code"`
	}
	if err := tx.SelectContext(ctx, &taken, `
		SELECT a.iri, n.kind, c.code
		  FROM unnest($3::text[], $4::text[]) AS n (iri, kind)
		  JOIN course_activities a ON a.provider = $1 AND a.iri = n.iri AND (a.kind = 'prefix') = (n.kind = 'prefix')
		  JOIN courses c ON c.id = a.course_id
		 WHERE a.course_id <> $2
		 ORDER BY 1`, c.Provider, courseID, stringArray(iris), stringArray(kinds)); err != nil {
		return err
	}
	if len(taken) > 0 {
		var v models.Validator
		for _, t := range taken {
			v.Add(activityField(t.Kind), t.IRI+" is an activity of your course "+t.Code+" already")
		}
		e := models.Errorf(models.ECONFLICT, "an activity IRI is another course's already: course %s", taken[0].Code)
		e.Fields = v.Fields()
		return e
	}
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM course_activities a
		 WHERE a.course_id = $1
		   AND (a.provider <> $2 OR NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS n (iri, kind) WHERE n.iri = a.iri AND n.kind = a.kind))`,
		courseID, c.Provider, stringArray(iris), stringArray(kinds)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO course_activities (course_id, provider, iri, kind)
		SELECT $1, $2, n.iri, n.kind FROM unnest($3::text[], $4::text[]) AS n (iri, kind)
		 WHERE NOT EXISTS (SELECT 1 FROM course_activities a WHERE a.course_id = $1 AND a.iri = n.iri AND a.kind = n.kind)`,
		courseID, c.Provider, stringArray(iris), stringArray(kinds))
	return err
}

// activityField names the course field an activity of a kind comes from.
func activityField(kind string) string {
	switch kind {
	case "own":
		return "activity_iri"
	case "prefix":
		return "activity_iri_prefixes"
	}
	return "activity_iris"
}
