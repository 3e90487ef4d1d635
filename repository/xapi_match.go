package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// Matching is the second step after storing: a statement that can earn evidence (its
// facts: completed, passed, failed, satisfied) is matched to one person and one of its
// provider's courses; a match that meets the course's completion rule confers the
// course's evidence. Each statement keeps its outcome (match_status, match_reason), which
// its provider reads (ListStatementOutcomes). Everything runs set-wise over a batch.
//
// The person is found, in this order, by the provider's own person mappings (account,
// mbox or mbox_sha1sum to organisation and external id: when one names the actor, it
// decides), by the organisation an administrator bound the account's homePage to (with
// account.name the external id), or by a staff e-mail equal to the mbox. The course is
// found among the provider's by the statement's object (its own activity_iri, one of its
// activity_iris or prefixes), else its contextActivities.parent, else grouping (the
// activity_iris and prefixes); an exact IRI wins over a prefix, a longer prefix over a
// shorter.
const matchSQL = `
WITH s AS (
	SELECT x.id, x.provider, x.statement->'actor' AS a, x.activity,
	       ARRAY(SELECT p->>'id' FROM xapi_list(x.statement->'context'->'contextActivities'->'parent') AS p) AS parents,
	       ARRAY(SELECT g->>'id' FROM xapi_list(x.statement->'context'->'contextActivities'->'grouping') AS g) AS groupings
	  FROM xapi_statements x
	 WHERE x.id = ANY ($1::uuid[]) AND x.match_status IN ('ignored', 'unmatched') AND x.facts <> '{}' AND NOT x.voiding
	   -- an erased person's statements stay theirs (reduced), matched to nothing else
	   AND NOT EXISTS (SELECT 1 FROM staff e WHERE e.id = x.staff_id AND e.erased_at IS NOT NULL)
), actor AS (
	SELECT s.id, s.provider, COALESCE(s.a->>'objectType', 'Agent') = 'Group' AS grp,
	       normal_home_page(s.a->'account'->>'homePage') AS home_page, s.a->'account'->>'name' AS name,
	       lower(substr(s.a->>'mbox', 8)) AS mbox, lower(s.a->>'mbox_sha1sum') AS sha1
	  FROM s
), mapped AS (
	SELECT DISTINCT actor.id, m.organisation_id, m.external_id
	  FROM actor
	  JOIN xapi_person_mappings m ON m.provider = actor.provider AND NOT actor.grp AND (
	       (m.kind = 'account' AND m.home_page = actor.home_page AND m.identifier = actor.name)
	    OR (m.kind = 'mbox' AND m.identifier = actor.mbox)
	    OR (m.kind = 'mbox_sha1sum' AND m.identifier = actor.sha1)
	    OR (m.kind = 'mbox' AND m.mbox_sha1sum = actor.sha1))
), people AS (
	SELECT mapped.id, st.id AS staff_id
	  FROM mapped
	  LEFT JOIN staff st ON st.organisation_id = mapped.organisation_id AND st.external_id = mapped.external_id AND st.erased_at IS NULL
	UNION ALL
	SELECT actor.id, st.id
	  FROM actor
	  JOIN organisations o ON o.xapi_home_page = actor.home_page
	  JOIN staff st ON st.organisation_id = o.id AND st.external_id = actor.name AND st.erased_at IS NULL
	 WHERE NOT actor.grp AND NOT EXISTS (SELECT 1 FROM mapped WHERE mapped.id = actor.id)
	UNION ALL
	SELECT actor.id, st.id
	  FROM actor
	  JOIN staff st ON lower(st.email) = actor.mbox AND st.erased_at IS NULL
	 WHERE NOT actor.grp AND actor.mbox <> '' AND NOT EXISTS (SELECT 1 FROM mapped WHERE mapped.id = actor.id)
), person AS (
	SELECT actor.id, CASE WHEN count(DISTINCT p.staff_id) = 1 THEN min(p.staff_id) END AS staff_id,
	       CASE WHEN actor.grp THEN 'actor: a Group is not one person'
	            WHEN count(DISTINCT p.staff_id) > 1 THEN 'actor: matches several staff members; map the identifier to one (person mappings)'
	            WHEN count(DISTINCT p.staff_id) = 1 THEN NULL
	            WHEN EXISTS (SELECT 1 FROM mapped WHERE mapped.id = actor.id) THEN 'actor: your person mapping names no staff member known here'
	            ELSE 'actor: names no staff member known here (no person mapping of yours, no organisation with this account homePage, no staff e-mail for this mbox)'
	       END AS reason
	  FROM actor LEFT JOIN people p ON p.id = actor.id
	 GROUP BY actor.id, actor.grp
), candidates AS (
	SELECT s.id, s.provider, 1 AS level, s.activity AS iri FROM s WHERE s.activity IS NOT NULL
	UNION ALL
	SELECT s.id, s.provider, 2, p FROM s, unnest(s.parents) AS p
	UNION ALL
	SELECT s.id, s.provider, 3, g FROM s, unnest(s.groupings) AS g
), hits AS (
	SELECT c.id, a.course_id,
	       rank() OVER (PARTITION BY c.id ORDER BY c.level, a.kind = 'prefix', CASE WHEN a.kind = 'prefix' THEN -length(a.iri) END) AS r
	  FROM candidates c
	  JOIN course_activities a ON a.provider = c.provider
	   AND ((a.kind = 'own' AND c.level = 1 AND a.iri = c.iri) OR (a.kind = 'part' AND a.iri = c.iri)
	        OR (a.kind = 'prefix' AND starts_with(c.iri, a.iri)))
), course AS (
	SELECT s.id, CASE WHEN count(DISTINCT h.course_id) = 1 THEN min(h.course_id) END AS course_id,
	       CASE WHEN count(DISTINCT h.course_id) = 0 THEN 'activity: no course of yours has the object, a parent or a grouping activity'
	            WHEN count(DISTINCT h.course_id) > 1 THEN 'activity: belongs to several of your courses: ' ||
	                 (SELECT string_agg(DISTINCT k.code, ', ') FROM hits h2 JOIN courses k ON k.id = h2.course_id WHERE h2.id = s.id AND h2.r = 1)
	       END AS reason
	  FROM s LEFT JOIN hits h ON h.id = s.id AND h.r = 1
	 GROUP BY s.id
)
UPDATE xapi_statements x
   SET staff_id = person.staff_id, course_id = course.course_id,
       match_status = CASE WHEN person.staff_id IS NOT NULL AND course.course_id IS NOT NULL THEN 'matched' ELSE 'unmatched' END,
       match_reason = NULLIF(concat_ws('; ', person.reason, course.reason), '')
  FROM person JOIN course USING (id)
 WHERE x.id = person.id
RETURNING x.id::text, x.staff_id, x.course_id, x.match_status, 'failed' = ANY (x.facts) AS failed, x.timestamp_at`

// matchStatements matches the statements ids (those that can earn evidence and are not
// matched yet) and gives the matches effect: evidence where the course's rule is met,
// and the person's open enrolment on the course closed by a conferral or a failure.
func matchStatements(ctx context.Context, tx *sqlx.Tx, ids []string, tokenID int64, now time.Time) error {
	var rows []struct {
		ID       string    `db:"id"`
		StaffID  *int64    `db:"staff_id"`
		CourseID *int64    `db:"course_id"`
		Status   string    `db:"match_status"`
		Failed   bool      `db:"failed"`
		At       time.Time `db:"timestamp_at"`
	}
	if err := tx.SelectContext(ctx, &rows, matchSQL, stringArray(ids)); err != nil {
		return err
	}
	var pairs []staffCourse
	var failures []trainingEvent
	for _, r := range rows {
		if r.Status != "matched" {
			continue
		}
		pairs = append(pairs, staffCourse{*r.StaffID, *r.CourseID})
		if r.Failed {
			failures = append(failures, trainingEvent{staffID: *r.StaffID, courseID: *r.CourseID, at: r.At, outcome: models.OutcomeFailed, statementID: r.ID})
		}
	}
	return confer(ctx, tx, pairs, failures, tokenID, now)
}

// staffCourse is a person and a course: the statements about them are considered together
// (a completion and a pass of one registration).
type staffCourse struct{ staffID, courseID int64 }

// conferSQL decides, for every matched statement about the given people and courses,
// whether it confers the course's evidence under the course's completion rule, and marks
// those that do and never did (match_status conferred); the others are told why not. A
// statement confers when it says what the rule asks: completed, passed, either, cmi5's
// satisfied; completed_and_passed needs both, in one statement or, within one
// registration, in the statement that completes the pair (one conferral per
// registration). Returned are the statements that confer now.
const conferSQL = `
WITH pairs AS (
	SELECT DISTINCT * FROM unnest($1::bigint[], $2::bigint[]) AS p (staff_id, course_id)
), cand AS (
	SELECT x.id, x.staff_id, x.course_id, x.registration, x.timestamp_at, x.seq, x.facts, x.match_status,
	       c.completion_rule AS rule
	  FROM pairs p
	  JOIN xapi_statements x ON x.staff_id = p.staff_id AND x.course_id = p.course_id
	  JOIN courses c ON c.id = x.course_id
	 WHERE x.match_status IN ('matched', 'conferred')
), so_far AS (
	SELECT cand.*,
	       bool_or('completed' = ANY (facts)) OVER w AND bool_or('passed' = ANY (facts)) OVER w AS both_so_far
	  FROM cand
	WINDOW w AS (PARTITION BY staff_id, course_id, registration ORDER BY timestamp_at, seq)
), decided AS (
	SELECT so_far.*, CASE rule
	         WHEN 'completed' THEN 'completed' = ANY (facts)
	         WHEN 'passed' THEN 'passed' = ANY (facts)
	         WHEN 'completed_or_passed' THEN facts && '{completed,passed}'
	         WHEN 'satisfied' THEN 'satisfied' = ANY (facts)
	         ELSE facts @> '{completed,passed}'
	              OR (registration IS NOT NULL AND both_so_far
	                  AND NOT COALESCE(lag(both_so_far) OVER (PARTITION BY staff_id, course_id, registration ORDER BY timestamp_at, seq), false))
	       END AS confers
	  FROM so_far
), granted AS (
	SELECT d.* FROM decided d
	 WHERE d.confers AND d.match_status = 'matched'
	   AND NOT (d.rule = 'completed_and_passed' AND NOT d.facts @> '{completed,passed}' AND EXISTS (
	            SELECT 1 FROM cand o WHERE o.staff_id = d.staff_id AND o.course_id = d.course_id
	               AND o.registration = d.registration AND o.match_status = 'conferred'))
), conferred AS (
	UPDATE xapi_statements x SET match_status = 'conferred', match_reason = NULL FROM granted g WHERE x.id = g.id
), explained AS (
	UPDATE xapi_statements x
	   SET match_reason = CASE WHEN 'failed' = ANY (d.facts) THEN 'failed: confers nothing'
	                           ELSE 'does not meet the course''s completion rule (' || d.rule || ')' END
	  FROM decided d
	 WHERE x.id = d.id AND d.match_status = 'matched' AND NOT EXISTS (SELECT 1 FROM granted g WHERE g.id = d.id)
)
SELECT id::text, staff_id, course_id, timestamp_at FROM granted`

// confer gives effect to the matched statements about pairs: those that now confer their
// course's evidence get it (applyTraining), and close the open enrolment as completed;
// failures close it as failed.
func confer(ctx context.Context, tx *sqlx.Tx, pairs []staffCourse, failures []trainingEvent, tokenID int64, now time.Time) error {
	if len(pairs) == 0 {
		return nil
	}
	staff, courses := make([]int64, len(pairs)), make([]int64, len(pairs))
	for i, p := range pairs {
		staff[i], courses[i] = p.staffID, p.courseID
	}
	var granted []struct {
		ID       string    `db:"id"`
		StaffID  int64     `db:"staff_id"`
		CourseID int64     `db:"course_id"`
		At       time.Time `db:"timestamp_at"`
	}
	if err := tx.SelectContext(ctx, &granted, conferSQL, int64Array(staff), int64Array(courses)); err != nil {
		return err
	}
	events := failures
	for _, g := range granted {
		events = append(events, trainingEvent{staffID: g.StaffID, courseID: g.CourseID, at: g.At, outcome: models.OutcomePassed, statementID: g.ID})
	}
	_, err := applyTraining(ctx, tx, events, tokenID, now)
	return err
}

// applyVoiding voids what the voiding statements among ids target, and the statements
// among ids that a voiding statement stored before targets (the specification lets a
// voiding statement arrive first). Only the provider's own statements are voided, and
// never a voiding statement. Evidence a voided statement conferred is retracted as of
// now, the retraction naming the voiding statement, so that history before now keeps the
// evidence and every later figure loses it; another statement of the same person and
// course may then confer instead.
func applyVoiding(ctx context.Context, tx *sqlx.Tx, ids []string, tokenID int64, now time.Time) error {
	var pairs []struct {
		StaffID  int64 `db:"staff_id"`
		CourseID int64 `db:"course_id"`
	}
	err := tx.SelectContext(ctx, &pairs, `
		WITH voids AS (
			SELECT DISTINCT ON (t.id) v.id AS voiding_id, t.id AS target_id, t.match_status AS was
			  FROM xapi_statements v
			  JOIN xapi_statements t ON t.id = v.object_ref AND t.provider = v.provider
			 WHERE v.voiding AND NOT t.voiding AND t.match_status <> 'voided'
			   AND (v.id = ANY ($1::uuid[]) OR t.id = ANY ($1::uuid[]))
			 ORDER BY t.id, v.seq
		), marked AS (
			UPDATE xapi_statements x SET match_status = 'voided', match_reason = 'voided by statement ' || voids.voiding_id
			  FROM voids WHERE x.id = voids.target_id
			RETURNING x.staff_id, x.course_id
		), retracted AS (
			INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, note, retracts_id,
			                      recorded_by, statement_id)
			SELECT e.staff_id, e.skill_id, e.framework_version, 0, 'training', GREATEST($2::timestamptz, e.assessed_at),
			       'Voided by xAPI statement ' || voids.voiding_id, e.id, NULLIF($3, 0), voids.voiding_id
			  FROM voids JOIN evidence e ON e.statement_id = voids.target_id
			 WHERE voids.was = 'conferred' AND e.retracts_id IS NULL
			   AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id)
		)
		SELECT DISTINCT staff_id, course_id FROM marked WHERE staff_id IS NOT NULL AND course_id IS NOT NULL`,
		stringArray(ids), now, tokenID)
	if err != nil || len(pairs) == 0 {
		return err
	}
	sc := make([]staffCourse, len(pairs))
	for i, p := range pairs {
		sc[i] = staffCourse{p.StaffID, p.CourseID}
	}
	return confer(ctx, tx, sc, nil, tokenID, now)
}
