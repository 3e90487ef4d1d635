package repository

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// RecordCompletions records a batch of validated completions all or nothing and reports,
// per item in order, whether it was created or had been recorded before with the same
// payload, with the evidence it created. A completion is identified by its provider and
// completion_id: the same payload again changes nothing; another payload under a used id
// is a conflict. Staff are found by organisation code and external id in any
// organisation (providers have no tenant scope), and each course must be the item's
// provider's. Errors name the items at fault (models.Completion.Prefix).
func (db *DB) RecordCompletions(ctx context.Context, items []models.Completion, tokenID int64, now time.Time) ([]models.CompletionResult, error) {
	var results []models.CompletionResult
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := lockProviders(ctx, tx, items); err != nil {
			return err
		}
		results = make([]models.CompletionResult, len(items))
		hashes := make([][]byte, len(items))
		for i, c := range items {
			results[i] = models.CompletionResult{CompletionID: c.CompletionID, Status: models.CompletionCreated, Evidence: []int64{}}
			hashes[i] = c.PayloadHash()
		}
		fresh, err := matchRecordedCompletions(ctx, tx, items, hashes, results)
		if err != nil {
			return err
		}
		events, err := resolveCompletions(ctx, tx, items, fresh)
		if err != nil {
			return err
		}
		if err := insertCompletions(ctx, tx, items, hashes, fresh, events); err != nil {
			return err
		}
		granted, err := applyTraining(ctx, tx, events, tokenID, now)
		if err != nil {
			return err
		}
		byCompletion := map[int64]int{}
		for k, i := range fresh {
			byCompletion[events[k].completionID] = i
		}
		for _, g := range granted {
			i := byCompletion[g.CompletionID.Int64]
			results[i].Evidence = append(results[i].Evidence, g.ID)
		}
		for i := range results {
			sort.Slice(results[i].Evidence, func(a, b int) bool { return results[i].Evidence[a] < results[i].Evidence[b] })
		}
		return nil
	})
	return results, err
}

// lockProviders serialises the completions of each provider named, so that a retry
// arriving while the first attempt is still running waits for it and then finds its
// completions recorded (the same payload: unchanged) instead of failing on the key.
func lockProviders(ctx context.Context, tx *sqlx.Tx, items []models.Completion) error {
	var providers []string
	for _, c := range items {
		providers = append(providers, c.Provider)
	}
	sort.Strings(providers)
	providers = slices.Compact(providers)
	for _, p := range providers {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('completions/' || $1, 0))`, p); err != nil {
			return err
		}
	}
	return nil
}

// matchRecordedCompletions finds the items already recorded: with the same payload they
// are unchanged (answered with their evidence), with another they are a conflict. It
// returns the indexes of the items not recorded yet.
func matchRecordedCompletions(ctx context.Context, tx *sqlx.Tx, items []models.Completion, hashes [][]byte, results []models.CompletionResult) ([]int, error) {
	providers, ids := make([]string, len(items)), make([]string, len(items))
	for i, c := range items {
		providers[i], ids[i] = c.Provider, c.CompletionID
	}
	var rows []struct {
		Provider     string        `db:"provider"`
		CompletionID string        `db:"completion_id"`
		Hash         []byte        `db:"payload_hash"`
		Evidence     pq.Int64Array `db:"evidence"`
	}
	err := tx.SelectContext(ctx, &rows, `
		SELECT c.provider, c.completion_id, c.payload_hash,
		       COALESCE((SELECT array_agg(e.id ORDER BY e.id) FROM evidence e WHERE e.completion_id = c.id), '{}') AS evidence
		  FROM completions c
		  JOIN unnest($1::text[], $2::text[]) AS r (provider, completion_id) USING (provider, completion_id)`,
		stringArray(providers), stringArray(ids))
	if err != nil {
		return nil, err
	}
	type key struct{ provider, id string }
	recorded := map[key]int{}
	for k, r := range rows {
		recorded[key{r.Provider, r.CompletionID}] = k
	}
	var fresh []int
	var conflicts models.Validator
	for i, c := range items {
		k, ok := recorded[key{c.Provider, c.CompletionID}]
		switch {
		case !ok:
			fresh = append(fresh, i)
		case bytes.Equal(rows[k].Hash, hashes[i]):
			results[i].Status, results[i].Evidence = models.CompletionUnchanged, []int64(rows[k].Evidence)
		default:
			conflicts.Add(c.Prefix+"completion_id", "was recorded before with another payload; a correction needs a new completion_id")
		}
	}
	if err := conflicts.Err(); err != nil {
		return nil, conflictOf(err, "a completion_id was recorded before with another payload")
	}
	return fresh, nil
}

// resolveCompletions finds the person and course of each new item, naming every item
// whose person or course is unknown (or the course another provider's).
func resolveCompletions(ctx context.Context, tx *sqlx.Tx, items []models.Completion, fresh []int) ([]trainingEvent, error) {
	orgs, exts, codes := make([]string, len(fresh)), make([]string, len(fresh)), make([]string, len(fresh))
	for k, i := range fresh {
		orgs[k], exts[k], codes[k] = items[i].Organisation, items[i].StaffExternalID, items[i].Course
	}
	var staff []struct {
		N  int   `db:"n"`
		ID int64 `db:"id"`
	}
	err := tx.SelectContext(ctx, &staff, `
		SELECT r.n, s.id
		  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r (org, external_id, n)
		  JOIN organisations o ON o.code = r.org
		  JOIN staff s ON s.organisation_id = o.id AND s.external_id = r.external_id AND s.erased_at IS NULL`,
		stringArray(orgs), stringArray(exts))
	if err != nil {
		return nil, err
	}
	courses, err := coursesByCode(ctx, tx, codes)
	if err != nil {
		return nil, err
	}
	events := make([]trainingEvent, len(fresh))
	for _, s := range staff {
		events[s.N-1].staffID = s.ID
	}
	var unknown models.Validator
	for k, i := range fresh {
		c := items[i]
		course, ok := courses[c.Course]
		unknown.Check(events[k].staffID != 0, c.Prefix+"staff_external_id", "no staff member "+c.StaffExternalID+" in organisation "+c.Organisation)
		unknown.Check(ok && course.Provider == c.Provider, c.Prefix+"course", "no course "+c.Course+" of provider "+c.Provider)
		outcome := models.OutcomeFailed
		if c.Passed {
			outcome = models.OutcomePassed
		}
		events[k].courseID, events[k].at, events[k].outcome = course.ID, c.CompletedAt, outcome
	}
	if err := unknown.Err(); err != nil {
		return nil, unprocessable(err, "completions name unknown staff or courses")
	}
	return events, nil
}

// insertCompletions records the new items, setting each event's completion id.
func insertCompletions(ctx context.Context, tx *sqlx.Tx, items []models.Completion, hashes [][]byte, fresh []int, events []trainingEvent) error {
	n := len(fresh)
	providers, ids, ats := make([]string, n), make([]string, n), make([]string, n)
	staff, courses := make([]int64, n), make([]int64, n)
	passed, scores, hs := make([]bool, n), make([]*string, n), make(pq.ByteaArray, n)
	for k, i := range fresh {
		c := items[i]
		providers[k], ids[k], ats[k] = c.Provider, c.CompletionID, c.CompletedAt.UTC().Format(time.RFC3339Nano)
		staff[k], courses[k], passed[k], hs[k] = events[k].staffID, events[k].courseID, c.Passed, hashes[i]
		if c.Score != nil {
			s := formatFloat(*c.Score)
			scores[k] = &s
		}
	}
	var rows []struct {
		N  int   `db:"n"`
		ID int64 `db:"id"`
	}
	err := tx.SelectContext(ctx, &rows, `
		WITH ins AS (
			INSERT INTO completions (provider, completion_id, staff_id, course_id, completed_at, passed, score, payload_hash)
			SELECT provider, completion_id, staff_id, course_id, completed_at, passed, score, payload_hash
			  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::bool[], $7::numeric[], $8::bytea[])
			       AS r (provider, completion_id, staff_id, course_id, completed_at, passed, score, payload_hash)
			RETURNING id, provider, completion_id)
		SELECT r.n, ins.id
		  FROM ins JOIN unnest($1::text[], $2::text[]) WITH ORDINALITY AS r (provider, completion_id, n) USING (provider, completion_id)`,
		stringArray(providers), stringArray(ids), int64Array(staff), int64Array(courses), stringArray(ats),
		pq.BoolArray(passed), nullableStringArray(scores), hs)
	if err != nil {
		return err
	}
	for _, r := range rows {
		events[r.N-1].completionID = r.ID
	}
	return nil
}

// conflictOf and unprocessable turn collected field errors into a 409 or a 422 that
// still names every item at fault.
func conflictOf(err error, msg string) error {
	return withCode(err, models.ECONFLICT, msg)
}

func unprocessable(err error, msg string) error {
	return withCode(err, models.EUNPROCESSABLE, msg)
}

func withCode(err error, code, msg string) error {
	e, ok := err.(*models.Error)
	if !ok {
		return err
	}
	out := &models.Error{Code: code, Message: msg, Fields: e.Fields}
	if len(e.Fields) == 1 {
		out.Message = e.Fields[0].Field + ": " + e.Fields[0].Message
	}
	return out
}
