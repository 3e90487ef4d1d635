package repository

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// Erasure (right to erasure) removes a person's personal data for good, everywhere it was
// copied, and keeps what past figures need: the record (a leaver, under the pseudonym
// erased-N, N its row id), its evidence (levels, sources and dates, free text cleared)
// and its xAPI statements reduced to what happened (verb, course, result, time).
//
// Where the person's name, e-mail address and external id were:
//   - staff: blanked, the external id replaced by the pseudonym;
//   - evidence: assessor, note and evidence URL cleared;
//   - their xAPI statements (matched to them, or whose actor is their e-mail, their account
//     on their organisation's home page, or an identifier mapped to them): reduced to
//     erased_statement (migration 0019), their attachments' data deleted;
//   - person mappings to them or of their e-mail address: deleted;
//   - other people's statements (as instructor, team member, in free text): every string
//     holding their e-mail address or name replaced by "erased" (jsonb_redact), by the
//     sweeper shortly after (finishErasureScans), since it takes a scan of the store, and
//     then in the providers' Activity definitions;
//   - idempotency replays whose stored answer names them: emptied, the key kept, so that a
//     retry answers 410 instead of running again;
//   - import jobs' answers that name them (a report's rejected rows): emptied, the job's
//     counts kept;
//   - the audit trail's targets: the external id replaced by the pseudonym;
//   - saved scenarios: the external id replaced by the pseudonym in their changes, and a
//     name or description mentioning them replaced.
//
// Logs hold none of these (route patterns, never paths or query strings, and no names).

// eraseStaff erases person, of the organisation orgID, as of now. Erasing an erased
// record again changes nothing it has not changed already.
func eraseStaff(ctx context.Context, tx *sqlx.Tx, orgID int64, person staffRow, now time.Time) error {
	pseudonym := models.ErasedPrefix + strconv.FormatInt(person.ID, 10)
	// Erasure is the one writer of an erased record (staff_erased_guard) and of evidence
	// and audit targets after the fact (their append-only triggers).
	if _, err := tx.ExecContext(ctx, `SET LOCAL cyberskills.erasure = 'on'`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE staff SET display_name = NULL, email = NULL, external_id = $3,
		       erased_at = COALESCE(erased_at, $2), updated_at = now()
		 WHERE id = $1`, person.ID, now, pseudonym); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE evidence SET assessor = NULL, note = NULL, evidence_url = NULL
		 WHERE staff_id = $1 AND (assessor IS NOT NULL OR note IS NOT NULL OR evidence_url IS NOT NULL)`, person.ID); err != nil {
		return err
	}
	// The write's own audit entry names the record by its pseudonym.
	if e := models.AuditOf(ctx); e != nil && e.Target["external_id"] == person.ExternalID {
		e.Target["external_id"] = pseudonym
	}
	if person.Erased {
		return nil // its copies went with the first erasure
	}
	if err := eraseStatements(ctx, tx, orgID, person, pseudonym); err != nil {
		return err
	}
	if err := eraseReplays(ctx, tx, orgID, person, now); err != nil {
		return err
	}
	if err := eraseJobResults(ctx, tx, orgID, person, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE audit_log SET target = jsonb_set(target, '{external_id}', to_jsonb($3::text))
		 WHERE organisation_id = $1 AND target ? 'external_id' AND target->>'external_id' = $2`,
		orgID, person.ExternalID, pseudonym); err != nil {
		return err
	}
	return eraseFromScenarios(ctx, tx, orgID, person, pseudonym)
}

// eraseReplays empties the stored answers that name the person, of the tokens that could
// reach them (administrators, providers, hr of their organisation or above), and keeps
// the keys, so that a retry answers 410 instead of acting again.
func eraseReplays(ctx context.Context, tx *sqlx.Tx, orgID int64, person staffRow, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE idempotency_keys k
		   SET status = NULL, content_type = NULL, body = NULL, request_hash = NULL, path_hash = NULL, query_hash = NULL,
		       erased_at = $2
		  FROM api_tokens t
		 WHERE t.id = k.token_id AND k.body IS NOT NULL
		   AND (t.organisation_id IS NULL OR t.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1))
		   AND EXISTS (SELECT 1 FROM unnest($3::bytea[]) AS n (needle) WHERE position(n.needle IN k.body) > 0)`,
		orgID, now, pq.ByteaArray(replayNeedles(person)))
	return err
}

// eraseJobResults empties the answers of the staff and evidence import jobs that could
// name the person (their organisation's and its ancestors') and do.
func eraseJobResults(ctx context.Context, tx *sqlx.Tx, orgID int64, person staffRow, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE jobs j SET result = NULL, result_type = NULL, result_status = NULL, result_erased_at = $2
		 WHERE j.result IS NOT NULL
		   AND j.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1)
		   AND EXISTS (SELECT 1 FROM unnest($3::bytea[]) AS n (needle) WHERE position(n.needle IN j.result) > 0)`,
		orgID, now, pq.ByteaArray(replayNeedles(person)))
	return err
}

// eraseFromScenarios replaces the person's external id by the pseudonym in the saved
// scenarios that can name them (their organisation's and its ancestors'), and a scenario
// name or description that mentions them.
func eraseFromScenarios(ctx context.Context, tx *sqlx.Tx, orgID int64, person staffRow, pseudonym string) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE scenarios sc SET changes = jsonb_set(sc.changes, '{changes}', (
		       SELECT COALESCE(jsonb_agg(CASE WHEN c->>'staff_external_id' = $2 AND COALESCE(NULLIF(c->>'organisation', ''), o.code) = $3
		                                      THEN jsonb_set(c, '{staff_external_id}', to_jsonb($4::text)) ELSE c END ORDER BY n), '[]'::jsonb)
		         FROM jsonb_array_elements(sc.changes->'changes') WITH ORDINALITY AS x (c, n)))
		  FROM organisations o
		 WHERE o.id = sc.organisation_id
		   AND sc.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1)
		   AND sc.changes->'changes' @> jsonb_build_array(jsonb_build_object('staff_external_id', $2::text))`,
		orgID, person.ExternalID, person.Organisation, pseudonym); err != nil {
		return err
	}
	mentions := mentionsOf(person)
	if len(mentions) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE scenarios sc SET
		       name = CASE WHEN EXISTS (SELECT 1 FROM unnest($2::text[]) m WHERE position(lower(m) IN lower(sc.name)) > 0)
		                   THEN 'erased' ELSE sc.name END,
		       description = CASE WHEN EXISTS (SELECT 1 FROM unnest($2::text[]) m WHERE position(lower(m) IN lower(sc.description)) > 0)
		                          THEN 'erased' ELSE sc.description END
		 WHERE sc.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1)
		   AND EXISTS (SELECT 1 FROM unnest($2::text[]) m WHERE position(lower(m) IN lower(sc.name || ' ' || sc.description)) > 0)`,
		orgID, stringArray(mentions))
	return err
}

// minNameMention is the shortest name searched for in free text: a shorter one would
// match inside ordinary words and erase other people's text wholesale.
const minNameMention = 4

// mentionsOf are the strings that identify the person in free text: their e-mail address
// and their name.
func mentionsOf(p staffRow) []string {
	var out []string
	if p.Email != nil && *p.Email != "" {
		out = append(out, *p.Email)
	}
	if p.DisplayName != nil && utf8.RuneCountInString(strings.TrimSpace(*p.DisplayName)) >= minNameMention {
		out = append(out, strings.TrimSpace(*p.DisplayName))
	}
	return out
}

// replayNeedles are the byte strings whose presence in a stored answer means it names the
// person: their external id, name and e-mail address as JSON strings (alone, or quoted
// inside a message), and their external id in a path (a problem's instance).
func replayNeedles(p staffRow) [][]byte {
	var out [][]byte
	for _, v := range []string{p.ExternalID, deref(p.DisplayName), deref(p.Email)} {
		if v == "" {
			continue
		}
		quoted, _ := json.Marshal(v)
		inMessage, _ := json.Marshal(string(quoted))
		out = append(out, quoted, inMessage[1:len(inMessage)-1])
	}
	return append(out, []byte("/staff/"+p.ExternalID+"/"), []byte("/staff/"+p.ExternalID+`"`))
}

// Erasure scans run in batches of statements, a bounded number per sweep, so that a sweep
// stays short whatever the size of the store: a batch of 20,000 took 0.8 s on the
// two-core machine (1M statements, busy with other work), so a sweep spends about 8 s on
// it and a million statements take five sweeps.
const (
	erasureScanBatch   = 20_000
	erasureScanBatches = 10
)

// finishErasureScan ends an erasure's scan: the Activity definitions (a handful per
// provider) are redacted as the statements were, and what the scan looked for is forgotten.
func finishErasureScan(ctx context.Context, q sqlx.ExecerContext, staffID int64, mentions pq.StringArray) error {
	if _, err := q.ExecContext(ctx, `
		UPDATE xapi_activities SET definition = jsonb_redact(definition, $1::text[])
		 WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) m WHERE position(lower(m) IN lower(definition::text)) > 0)`, mentions); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `DELETE FROM erasure_scans WHERE staff_id = $1`, staffID)
	return err
}

// finishErasureScans goes on with the scans of other people's statements that erasures
// queued: each batch replaces, in the statements that mention an erased person, every
// string holding their e-mail address or name. A finished scan forgets what it looked for.
func finishErasureScans(ctx context.Context, q interface {
	sqlx.QueryerContext
	sqlx.ExecerContext
}, batchSize, batches int) error {
	for done := 0; done < batches; done++ {
		var scan struct {
			StaffID  int64          `db:"staff_id"`
			Mentions pq.StringArray `db:"mentions"`
			After    *string        `db:"after"`
		}
		err := sqlx.GetContext(ctx, q, &scan, `SELECT staff_id, mentions, after::text FROM erasure_scans ORDER BY queued_at, staff_id LIMIT 1`)
		if models.ErrorCode(translate(err)) == models.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		var batch struct {
			Last *string `db:"last"`
			N    int     `db:"n"`
		}
		if err := sqlx.GetContext(ctx, q, &batch, `
			WITH batch AS (
				SELECT id, staff_id, statement FROM xapi_statements
				 WHERE id >= COALESCE($2::uuid, '00000000-0000-0000-0000-000000000000') AND id IS DISTINCT FROM $2::uuid
				 ORDER BY id LIMIT $4
			), hit AS (
				SELECT b.id, jsonb_redact(b.statement, $3::text[]) AS s FROM batch b
				 WHERE b.staff_id IS DISTINCT FROM $1
				   AND lower(b.statement::text) LIKE ANY (
				       SELECT '%' || replace(replace(replace(lower(substr(j, 2, length(j) - 2)), '\', '\\'), '%', '\%'), '_', '\_') || '%'
				         FROM (SELECT to_jsonb(m)::text AS j FROM unnest($3::text[]) AS m) AS escaped)
			), redacted AS (
				UPDATE xapi_statements x
				   SET statement = hit.s, actor_key = xapi_actor_key(hit.s), agents = xapi_agents(hit.s),
				       related_agents = xapi_related_agents(hit.s), activity = xapi_activity(hit.s),
				       related_activities = xapi_related_activities(hit.s)
				  FROM hit
				 WHERE x.id = hit.id
			)
			SELECT max(id::text) AS last, count(*) AS n FROM batch`,
			scan.StaffID, scan.After, scan.Mentions, batchSize); err != nil {
			return err
		}
		if batch.N < batchSize {
			err = finishErasureScan(ctx, q, scan.StaffID, scan.Mentions)
		} else {
			_, err = q.ExecContext(ctx, `UPDATE erasure_scans SET after = $2::uuid WHERE staff_id = $1`, scan.StaffID, batch.Last)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
