package repository

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strings"

	"github.com/jmoiron/sqlx"
)

// eraseStatements erases a person from the xAPI store. Their statements are those
// matched to them and those whose actor is one of their identifiers (their e-mail as
// mbox or mbox_sha1sum, their account on their organisation's home page, an identifier a
// provider mapped to them), matched or not: each is reduced to erased_statement with
// what the filters read derived again from what is left, and the data of its attachments
// goes unless another statement holds it. Person mappings to them, and of their address,
// are deleted. The scan of other people's statements for mentions of them is queued
// (finishErasureScans).
func eraseStatements(ctx context.Context, tx *sqlx.Tx, orgID int64, person staffRow, pseudonym string) error {
	if _, err := tx.ExecContext(ctx, `
		WITH keys AS (
			SELECT unnest($3::text[]) AS k
			UNION ALL
			SELECT 'account ' || o.xapi_home_page || E'\n' || $4 FROM organisations o WHERE o.id = $2 AND o.xapi_home_page IS NOT NULL
			UNION ALL
			SELECT CASE m.kind WHEN 'account' THEN 'account ' || m.home_page || E'\n' || m.identifier
			                   WHEN 'mbox' THEN 'mbox mailto:' || m.identifier
			                   ELSE 'mbox_sha1sum ' || m.identifier END
			  FROM xapi_person_mappings m WHERE m.organisation_id = $2 AND m.external_id = $4
			UNION ALL
			SELECT 'mbox_sha1sum ' || m.mbox_sha1sum FROM xapi_person_mappings m
			 WHERE m.organisation_id = $2 AND m.external_id = $4 AND m.mbox_sha1sum IS NOT NULL)
		UPDATE xapi_statements SET staff_id = $1 WHERE staff_id IS NULL AND actor_key IN (SELECT k FROM keys)`,
		person.ID, orgID, stringArray(mailboxKeys(person)), person.ExternalID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		WITH theirs AS (
			SELECT id, provider, attachment_digests, erased_statement(statement, $2) AS s FROM xapi_statements WHERE staff_id = $1
		), reduced AS (
			UPDATE xapi_statements x
			   SET statement = t.s, actor_key = xapi_actor_key(t.s), agents = xapi_agents(t.s),
			       related_agents = xapi_related_agents(t.s), activity = xapi_activity(t.s),
			       related_activities = xapi_related_activities(t.s), registration = NULL, attachment_digests = '{}'
			  FROM theirs t
			 WHERE x.id = t.id
		)
		DELETE FROM xapi_attachments a
		 USING (SELECT DISTINCT provider, unnest(attachment_digests) AS sha2 FROM theirs) d
		 WHERE a.provider = d.provider AND a.sha2 = d.sha2
		   AND NOT EXISTS (SELECT 1 FROM xapi_statements o
		                    WHERE o.provider = d.provider AND o.attachment_digests @> ARRAY[d.sha2] AND o.staff_id IS DISTINCT FROM $1)`,
		person.ID, pseudonym); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM xapi_person_mappings
		 WHERE (organisation_id = $1 AND external_id = $2)
		    OR (kind = 'mbox' AND identifier = $3) OR (kind = 'mbox_sha1sum' AND 'mbox_sha1sum ' || identifier = ANY ($4))`,
		orgID, person.ExternalID, strings.ToLower(deref(person.Email)), stringArray(mailboxKeys(person))); err != nil {
		return err
	}
	mentions := mentionsOf(person)
	if len(mentions) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO erasure_scans (staff_id, mentions) VALUES ($1, $2)
		ON CONFLICT (staff_id) DO NOTHING`, person.ID, stringArray(mentions))
	return err
}

// mailboxKeys are the actor keys (xapi_ifi) of a person's e-mail address: as mbox, and as
// the mbox_sha1sum of its mailto IRI, written as recorded or in lower case.
func mailboxKeys(p staffRow) []string {
	email := deref(p.Email)
	if email == "" {
		return nil
	}
	keys := []string{"mbox mailto:" + strings.ToLower(email)}
	for _, spelling := range []string{email, strings.ToLower(email)} {
		sum := sha1.Sum([]byte("mailto:" + spelling))
		keys = append(keys, "mbox_sha1sum "+hex.EncodeToString(sum[:]))
	}
	return keys
}
