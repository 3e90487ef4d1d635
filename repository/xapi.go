package repository

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// StatementBatch is what one request stores: the provider whose credentials sent it,
// the version the request spoke (a statement without one is stored with its version),
// the token (recorded on evidence) and the request's instant (stored, and evidence dates).
type StatementBatch struct {
	Provider    string
	Version     string
	TokenID     int64
	Now         time.Time
	Attachments []xapi.AttachmentData // the data of attachments sent with the statements
}

// RecordStatements stores validated xAPI statements (each with an id) all or nothing, as
// an LRS does: whatever person and activity they name. Following the xAPI rules for ids,
// a statement whose id is already stored changes nothing when it matches the stored one
// and is a conflict otherwise. Then, set-wise for the whole batch: the Activities'
// definitions are merged into the provider's, voiding statements void their targets
// (retracting the evidence a voided statement conferred), and the statements that can
// earn evidence are matched to a person and a course and earn it (matchStatements).
func (db *DB) RecordStatements(ctx context.Context, b StatementBatch, stmts []xapi.Statement) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		fresh, err := matchStoredStatements(ctx, tx, stmts)
		if err != nil {
			return err
		}
		inserted, err := insertStatements(ctx, tx, b, pick(stmts, fresh))
		if err != nil || len(inserted) == 0 {
			return err
		}
		if err := mergeActivities(ctx, tx, b.Provider, inserted); err != nil {
			return err
		}
		if err := storeAttachments(ctx, tx, b.Provider, b.Attachments); err != nil {
			return err
		}
		if err := applyVoiding(ctx, tx, inserted, b.TokenID, b.Now); err != nil {
			return err
		}
		return matchStatements(ctx, tx, inserted, b.TokenID, b.Now)
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

// insertStatements stores new statements as received, with what the LRS assigns (stored,
// version, the timestamp when there is none) and what the filters and matching read,
// derived in SQL from the statement itself (migration 0024). It returns the ids this
// request stored: a concurrent request may have stored the same id a moment before, and
// then the usual comparison applies.
func insertStatements(ctx context.Context, tx *sqlx.Tx, b StatementBatch, stmts []xapi.Statement) ([]string, error) {
	n := len(stmts)
	ids, bodies, verbs, versions, facts := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	digests := make([]string, n)
	timestamps := make([]*string, n)
	hashes := make(pq.ByteaArray, n)
	for i, s := range stmts {
		ids[i], bodies[i], verbs[i], hashes[i] = s.ID, string(s.Raw), s.Verb, s.Content.Hash
		versions[i] = xapi.StoredVersion(s.Version, b.Version)
		facts[i] = strings.Join(s.Facts.Names(), ",")
		digests[i] = strings.Join(s.Attachments, ",")
		if s.Timestamp != nil {
			ts := s.Timestamp.UTC().Format(time.RFC3339Nano)
			timestamps[i] = &ts
		}
	}
	var stored []string
	err := tx.SelectContext(ctx, &stored, `
		INSERT INTO xapi_statements (id, provider, statement, content_hash, verb, stored_at, version, timestamp_at,
		                             registration, object_ref, voiding, actor_key, agents, related_agents, activity,
		                             related_activities, attachment_digests, facts, match_status, match_reason)
		SELECT r.id, $8, d.doc, r.hash, r.verb, $9, r.version, COALESCE(r.ts, $9),
		       (d.doc->'context'->>'registration')::uuid, d.ref, r.verb = $10 AND d.ref IS NOT NULL,
		       xapi_actor_key(d.doc), xapi_agents(d.doc), xapi_related_agents(d.doc), xapi_activity(d.doc),
		       xapi_related_activities(d.doc), COALESCE(string_to_array(NULLIF(r.digests, ''), ','), '{}'),
		       COALESCE(string_to_array(NULLIF(r.facts, ''), ','), '{}'), 'ignored',
		       CASE WHEN r.verb = $10 AND d.ref IS NOT NULL THEN 'voids statement ' || d.ref
		            WHEN r.facts = '' THEN 'its verb earns no evidence' END
		  FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $11::text[])
		       AS r (id, body, hash, verb, version, ts, facts, digests),
		       LATERAL (SELECT r.body::jsonb AS doc,
		                       CASE WHEN r.body::jsonb->'object'->>'objectType' = 'StatementRef'
		                            THEN (r.body::jsonb->'object'->>'id')::uuid END AS ref) AS d
		ON CONFLICT (id) DO NOTHING
		RETURNING id::text`,
		stringArray(ids), stringArray(bodies), hashes, stringArray(verbs), stringArray(versions),
		nullableStringArray(timestamps), stringArray(facts), b.Provider, b.Now, xapi.VerbVoided, stringArray(digests))
	if err != nil {
		return nil, err
	}
	if len(stored) < n {
		done := make(map[string]bool, len(stored))
		for _, id := range stored {
			done[id] = true
		}
		var raced []xapi.Statement
		for _, s := range stmts {
			if !done[s.ID] {
				raced = append(raced, s)
			}
		}
		if _, err := matchStoredStatements(ctx, tx, raced); err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// mergeActivities merges the Activity definitions of newly stored statements into the
// provider's (xapi_merge_definition), for the Activities resource and canonical format.
func mergeActivities(ctx context.Context, tx *sqlx.Tx, provider string, ids []string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO xapi_activities (provider, id, definition)
		SELECT $1, a.id, COALESCE(xapi_merge_definitions(a.definition ORDER BY x.seq) FILTER (WHERE a.definition IS NOT NULL), '{}')
		  FROM xapi_statements x, xapi_statement_activities(x.statement) AS a
		 WHERE x.id = ANY ($2::uuid[]) AND a.id IS NOT NULL
		 GROUP BY a.id
		ON CONFLICT (provider, id) DO UPDATE SET definition = xapi_merge_definition(xapi_activities.definition, excluded.definition)
		 WHERE excluded.definition <> '{}'`, provider, stringArray(ids))
	return err
}

func pick(stmts []xapi.Statement, idx []int) []xapi.Statement {
	out := make([]xapi.Statement, len(idx))
	for k, i := range idx {
		out[k] = stmts[i]
	}
	return out
}

// storeAttachments keeps the data of attachments sent with statements, once per provider
// and digest (the same data under one digest is the same attachment).
func storeAttachments(ctx context.Context, tx *sqlx.Tx, provider string, atts []xapi.AttachmentData) error {
	if len(atts) == 0 {
		return nil
	}
	shas, types := make([]string, len(atts)), make([]string, len(atts))
	data := make(pq.ByteaArray, len(atts))
	for i, a := range atts {
		shas[i], types[i], data[i] = a.SHA2, a.ContentType, a.Data
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO xapi_attachments (provider, sha2, content_type, data)
		SELECT $1, a.sha2, a.content_type, a.data FROM unnest($2::text[], $3::text[], $4::bytea[]) AS a (sha2, content_type, data)
		ON CONFLICT (provider, sha2) DO NOTHING`, provider, stringArray(shas), stringArray(types), data)
	return err
}

// Attachments reads the attachment data the provider's statements hold, by digest
// (every provider's for provider "").
func (db *DB) Attachments(ctx context.Context, provider string, shas []string) ([]xapi.AttachmentData, error) {
	if len(shas) == 0 {
		return nil, nil
	}
	var rows []struct {
		SHA2        string `db:"sha2"`
		ContentType string `db:"content_type"`
		Data        []byte `db:"data"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT DISTINCT ON (sha2) sha2, content_type, data FROM xapi_attachments
		 WHERE sha2 = ANY ($2) AND ($1 = '' OR provider = $1) ORDER BY sha2`, provider, stringArray(shas))
	out := make([]xapi.AttachmentData, len(rows))
	for i, r := range rows {
		out[i] = xapi.AttachmentData{SHA2: r.SHA2, ContentType: r.ContentType, Data: r.Data}
	}
	return out, translate(err)
}
