package repository

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// RecordStatements stores validated xAPI statements (each with an id) all or nothing.
// Following the xAPI rules for ids, a statement whose id is already stored changes
// nothing when it matches the stored one and is a conflict otherwise. New statements
// must name a staff member (account or mbox) and, as object, the activity IRI of one of
// provider's courses (any provider's when provider is empty: an admin); completed,
// passed and failed statements then take effect as completions do.
func (db *DB) RecordStatements(ctx context.Context, provider string, stmts []xapi.Statement, tokenID int64, now time.Time) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		fresh, err := matchStoredStatements(ctx, tx, stmts)
		if err != nil {
			return err
		}
		events, err := resolveStatements(ctx, tx, provider, stmts, fresh, now)
		if err != nil {
			return err
		}
		inserted, err := insertStatements(ctx, tx, stmts, fresh, events)
		if err != nil {
			return err
		}
		_, err = applyTraining(ctx, tx, inserted, tokenID, now)
		return err
	})
}

// matchStoredStatements compares the statements whose ids are stored with the stored
// ones, naming each that differs (409), and returns the indexes of the others.
func matchStoredStatements(ctx context.Context, tx *sqlx.Tx, stmts []xapi.Statement) ([]int, error) {
	ids := make([]string, len(stmts))
	for i, s := range stmts {
		ids[i] = s.ID
	}
	stored, err := storedContents(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var fresh []int
	var conflicts models.Validator
	for i, s := range stmts {
		c, ok := stored[s.ID]
		switch {
		case !ok:
			fresh = append(fresh, i)
		case !c.Matches(s.Content):
			conflicts.Add(s.Prefix+"id", "a different statement is stored under this id")
		}
	}
	if err := conflicts.Err(); err != nil {
		return nil, conflictOf(err, "a different statement is stored under one of these ids")
	}
	return fresh, nil
}

// storedContents reads what the comparison rules need of stored statements.
func storedContents(ctx context.Context, tx *sqlx.Tx, ids []string) (map[string]xapi.StatementContent, error) {
	var rows []struct {
		ID        string         `db:"id"`
		Hash      []byte         `db:"content_hash"`
		Timestamp sql.NullString `db:"timestamp"`
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT id::text, content_hash, statement->>'timestamp' AS timestamp FROM xapi_statements WHERE id = ANY ($1::uuid[])`,
		stringArray(ids)); err != nil {
		return nil, err
	}
	out := make(map[string]xapi.StatementContent, len(rows))
	for _, r := range rows {
		c := xapi.StatementContent{Hash: r.Hash}
		if t, err := xapi.ParseTime(r.Timestamp.String); r.Timestamp.Valid && err == nil {
			c.Timestamp = &t
		}
		out[r.ID] = c
	}
	return out, nil
}

// resolveStatements finds the staff member and course of each new statement, naming
// every statement whose actor or activity is unknown (422).
func resolveStatements(ctx context.Context, tx *sqlx.Tx, provider string, stmts []xapi.Statement, fresh []int, now time.Time) ([]trainingEvent, error) {
	n := len(fresh)
	homePages, names, mboxes, iris := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for k, i := range fresh {
		a := stmts[i].Actor
		// A homePage without a normal form names no organisation ("" matches none).
		homePages[k], _ = models.NormalHomePage(a.HomePage)
		names[k], mboxes[k] = a.Name, a.Mbox
		iris[k] = stmts[i].Activity
	}
	// An account's homePage is exactly, in normal form, the home page an administrator
	// bound to an organisation: nothing is guessed from the URL (a guess is a name another
	// tenant could claim). An mbox is a staff e-mail address, which names nobody when
	// several share it.
	var candidates []struct {
		N  int   `db:"n"`
		ID int64 `db:"id"`
	}
	err := tx.SelectContext(ctx, &candidates, `
		WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r (home_page, name, mbox, n))
		SELECT r.n, s.id
		  FROM r
		  JOIN organisations o ON o.xapi_home_page = r.home_page
		  JOIN staff s ON s.organisation_id = o.id AND s.external_id = r.name AND s.erased_at IS NULL
		 WHERE r.name <> ''
		UNION ALL
		SELECT r.n, s.id
		  FROM r JOIN staff s ON lower(s.email) = lower(r.mbox) AND s.erased_at IS NULL
		 WHERE r.mbox <> ''`,
		stringArray(homePages), stringArray(names), stringArray(mboxes))
	if err != nil {
		return nil, err
	}
	matches := make([][]int64, n)
	for _, c := range candidates {
		matches[c.N-1] = append(matches[c.N-1], c.ID)
	}
	courses, err := coursesByIRI(ctx, tx, iris)
	if err != nil {
		return nil, err
	}
	events := make([]trainingEvent, n)
	var unknown models.Validator
	for k, i := range fresh {
		s := stmts[i]
		staffID, problem := pickActor(s.Actor, matches[k])
		unknown.Check(problem == "", s.Prefix+"actor", problem)
		course, ok := courses[s.Activity]
		unknown.Check(ok && (provider == "" || course.Provider == provider), s.Prefix+"object.id",
			"is not the activity IRI of one of your courses")
		at := now
		if s.Timestamp != nil {
			at = *s.Timestamp
		}
		events[k] = trainingEvent{staffID: staffID, courseID: course.ID, at: at, outcome: s.Outcome(), statementID: s.ID}
	}
	if err := unknown.Err(); err != nil {
		return nil, unprocessable(err, "statements name unknown staff or activities")
	}
	return events, nil
}

// pickActor decides which staff member an actor is, or why none.
func pickActor(a xapi.Actor, matches []int64) (int64, string) {
	switch {
	case a.Group:
		return 0, "must be one person (an Agent), not a Group"
	case a.Mbox == "" && a.Name == "":
		return 0, "must identify the person by account (homePage and name) or mbox"
	case len(matches) == 1:
		return matches[0], ""
	case len(matches) == 0 && a.Name != "":
		return 0, "names no staff member known here: account.homePage must be the xAPI home page set for the organisation, account.name the external id of a person in it"
	case len(matches) == 0:
		return 0, "names no staff member known here"
	}
	return 0, "matches several staff members; identify the person by account instead"
}

// insertStatements stores the new statements as received and returns the events of those
// this request stored (a concurrent request may have stored the same id a moment before:
// then the usual comparison applies).
func insertStatements(ctx context.Context, tx *sqlx.Tx, stmts []xapi.Statement, fresh []int, events []trainingEvent) ([]trainingEvent, error) {
	n := len(fresh)
	ids, bodies, verbs := make([]string, n), make([]string, n), make([]string, n)
	hashes := make(pq.ByteaArray, n)
	staff, courses := make([]int64, n), make([]int64, n)
	for k, i := range fresh {
		s := stmts[i]
		ids[k], bodies[k], verbs[k], hashes[k] = s.ID, string(s.Raw), s.Verb, s.Content.Hash
		staff[k], courses[k] = events[k].staffID, events[k].courseID
	}
	var stored []string
	err := tx.SelectContext(ctx, &stored, `
		INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, staff_id, course_id)
		SELECT r.id, c.provider, r.body::jsonb, r.hash, r.verb, r.staff_id, r.course_id
		  FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::text[], $5::bigint[], $6::bigint[])
		       AS r (id, body, hash, verb, staff_id, course_id)
		  JOIN courses c ON c.id = r.course_id
		ON CONFLICT (id) DO NOTHING
		RETURNING id::text`,
		stringArray(ids), stringArray(bodies), hashes, stringArray(verbs), int64Array(staff), int64Array(courses))
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(stored))
	for _, id := range stored {
		done[id] = true
	}
	var out []trainingEvent
	var racedIdx []int
	for k, e := range events {
		if done[e.statementID] {
			out = append(out, e)
		} else {
			racedIdx = append(racedIdx, fresh[k])
		}
	}
	if len(racedIdx) > 0 {
		if _, err := matchStoredStatements(ctx, tx, pick(stmts, racedIdx)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func pick(stmts []xapi.Statement, idx []int) []xapi.Statement {
	out := make([]xapi.Statement, len(idx))
	for k, i := range idx {
		out[k] = stmts[i]
	}
	return out
}
