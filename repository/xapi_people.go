package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// Person mappings are each provider's own: every query names the provider in its WHERE,
// and matching reads only the statement's provider's mappings, so that no provider can
// decide who another provider's statements are about.

// ImportPersonMappings loads a provider's mappings file in one transaction: rows stream
// through COPY into a staging table, are checked there (an identifier twice in the file,
// an unknown organisation code), and are merged: a mapping of an identifier the provider
// mapped already takes the new person. All or nothing unless mode is partial. The person
// need not exist yet: a statement about them matches once they do (rematching).
func (db *DB) ImportPersonMappings(ctx context.Context, provider string, mode models.ImportMode, next func() (xapi.MappingRow, error)) (models.ImportReport, error) {
	return stagedImport{
		create: `
			CREATE TEMP TABLE mapping_import (
				line integer, kind text, home_page text, identifier text, sha1 text, organisation text,
				external_id text, valid boolean NOT NULL DEFAULT true, organisation_id bigint) ON COMMIT DROP`,
		stage: func(tx *sqlx.Tx, report *models.ImportReport) error {
			columns := []string{"line", "kind", "home_page", "identifier", "sha1", "organisation", "external_id", "valid"}
			return stageRows(ctx, tx, "mapping_import", columns, next, report, func(row xapi.MappingRow) []any {
				if len(row.Problems) > 0 {
					report.Reject(models.RejectedRow{Line: row.Line, Key: row.ExternalID, Errors: row.Problems})
				}
				k := row.Key
				return []any{row.Line, k.Kind, k.HomePage, k.Identifier, nullable(k.SHA1), row.Organisation, row.ExternalID, len(row.Problems) == 0}
			})
		},
		check: func(tx *sqlx.Tx, report *models.ImportReport) error { return checkMappingRows(ctx, tx, report) },
		merge: func(tx *sqlx.Tx, report *models.ImportReport) error {
			var counts struct {
				Inserted int `db:"inserted"`
				Updated  int `db:"updated"`
			}
			err := tx.GetContext(ctx, &counts, `
				WITH merged AS (
					INSERT INTO xapi_person_mappings (provider, kind, home_page, identifier, mbox_sha1sum, organisation_id, external_id)
					SELECT $1, kind, home_page, identifier, sha1, organisation_id, external_id FROM mapping_import WHERE valid
					ON CONFLICT ON CONSTRAINT xapi_person_mappings_identifier_key DO UPDATE
					   SET organisation_id = excluded.organisation_id, external_id = excluded.external_id,
					       mbox_sha1sum = excluded.mbox_sha1sum, updated_at = now()
					 WHERE (xapi_person_mappings.organisation_id, xapi_person_mappings.external_id)
					       IS DISTINCT FROM (excluded.organisation_id, excluded.external_id)
					RETURNING (xmax = 0) AS inserted)
				SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged`,
				provider)
			report.Inserted, report.Updated = counts.Inserted, counts.Updated
			report.Unchanged = report.Rows - len(report.Rejected) - counts.Inserted - counts.Updated
			return err
		},
	}.run(ctx, db, mode)
}

// checkMappingRows rejects rows naming an unknown organisation or an identifier that
// another row maps too.
func checkMappingRows(ctx context.Context, tx *sqlx.Tx, report *models.ImportReport) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE mapping_import i SET organisation_id = o.id FROM organisations o WHERE o.code = i.organisation AND i.valid`); err != nil {
		return err
	}
	return rejectRows(ctx, tx, report, `
		WITH dup AS (
			SELECT kind, home_page, identifier, string_agg(line::text, ', ' ORDER BY line) AS lines
			  FROM mapping_import WHERE valid GROUP BY 1, 2, 3 HAVING count(*) > 1)
		SELECT i.line, i.external_id AS key, 'identifier' AS field, 'is mapped more than once, on lines ' || d.lines AS message
		  FROM mapping_import i JOIN dup d USING (kind, home_page, identifier) WHERE i.valid
		UNION ALL
		SELECT line, external_id, 'organisation', 'no organisation ' || organisation
		  FROM mapping_import WHERE valid AND organisation_id IS NULL
		ORDER BY 1`, `
		UPDATE mapping_import SET valid = false
		 WHERE organisation_id IS NULL
		    OR (kind, home_page, identifier) IN (SELECT kind, home_page, identifier FROM mapping_import WHERE valid GROUP BY 1, 2, 3 HAVING count(*) > 1)`)
}

type personMappingRow struct {
	ID           int64     `db:"id"`
	Provider     string    `db:"provider"`
	Kind         string    `db:"kind"`
	HomePage     string    `db:"home_page"`
	Identifier   string    `db:"identifier"`
	SHA1         *string   `db:"mbox_sha1sum"`
	Organisation string    `db:"organisation"`
	ExternalID   string    `db:"external_id"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

func (r personMappingRow) mapping() xapi.PersonMapping {
	key := xapi.MappingKey{Kind: r.Kind, HomePage: r.HomePage, Identifier: r.Identifier, SHA1: deref(r.SHA1)}
	return xapi.MappingOf(r.ID, r.Provider, key, r.Organisation, r.ExternalID, r.CreatedAt, r.UpdatedAt)
}

const personMappingSelect = `
	SELECT m.id, m.provider, m.kind, m.home_page, m.identifier, m.mbox_sha1sum, o.code AS organisation, m.external_id,
	       m.created_at, m.updated_at
	  FROM xapi_person_mappings m JOIN organisations o ON o.id = m.organisation_id`

// ListPersonMappings lists a provider's mappings (every provider's for ""), optionally
// of one organisation, newest first, a page at a time.
func (db *DB) ListPersonMappings(ctx context.Context, provider, organisation string, page models.Page) ([]xapi.PersonMapping, string, error) {
	var w filter
	if provider != "" {
		w.add("m.provider = ?", provider)
	}
	if organisation != "" {
		w.add("o.code = ?", organisation)
	}
	return selectPage(ctx, db, personMappingSelect, &w, newestFirst("m.id"), page, always(personMappingRow.mapping),
		func(m xapi.PersonMapping) int64 { return m.ID })
}

// DeletePersonMapping removes one of a provider's mappings (any provider's for ""): the
// statements it matched keep their person; unmatched ones are no longer matched by it.
func (db *DB) DeletePersonMapping(ctx context.Context, provider string, id int64) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM xapi_person_mappings WHERE id = $1 AND ($2 = '' OR provider = $2)`, id, provider)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return models.Errorf(models.ENOTFOUND, "no person mapping %d of yours", id)
		}
		return nil
	})
}
