package repository

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// The steps of an import that only an ODS extract takes: people's choices kept, closed
// rows placed, and the organisations the extract no longer lists retired.

// keepHandSet stops the staged rows of an extract from writing a type or sector that a
// person set (models.HandField), or moving an organisation a person retyped, and counts
// the organisations on which the extract said something else.
func keepHandSet(ctx context.Context, tx *sqlx.Tx) (models.HandKept, error) {
	var kept models.HandKept
	err := tx.GetContext(ctx, &kept, `
		SELECT count(*) FILTER (WHERE s.set_type AND e.type_by_hand AND e.type <> s.type) AS type,
		       count(*) FILTER (WHERE s.set_sector AND e.sector_by_hand AND s.sector IS NOT NULL
		                          AND e.sector IS DISTINCT FROM s.sector) AS sector
		  FROM org_import s JOIN organisations e ON e.code = s.code`)
	if err != nil {
		return kept, err
	}
	// An organisation a person retyped keeps its place too: where it sits follows from
	// its type (a practice made a trust cannot stay under a sub-ICB location).
	_, err = tx.ExecContext(ctx, `
		UPDATE org_import s SET set_type = s.set_type AND NOT e.type_by_hand, set_sector = s.set_sector AND NOT e.sector_by_hand,
		       set_parent = s.set_parent AND NOT (e.type_by_hand AND e.type <> s.type)
		  FROM organisations e
		 WHERE e.code = s.code AND ((s.set_type AND e.type_by_hand) OR (s.set_sector AND e.sector_by_hand))`)
	return kept, err
}

// placeHistoric places the new organisations of closed rows under the first of their
// parent choices that exists, in the file or the database, with a type that may hold
// them (models.OrgPlacements), or at the top of the tree when none does. A choice that
// is only another closed row of the file is none: the file's order (orderByLevel) puts
// closed rows after the open ones, not after each other. A row that may
// not sit at the top either (a closed site whose organisation is unknown) is left out,
// and its code returned.
func placeHistoric(ctx context.Context, tx *sqlx.Tx) ([]string, error) {
	parents, children := models.OrgPlacements()
	if _, err := tx.ExecContext(ctx, orgPlaceHistoric, pq.Array(parents), pq.Array(children)); err != nil {
		return nil, err
	}
	var unplaced []string
	err := tx.SelectContext(ctx, &unplaced, orgDropUnplaced, pq.Array(parents), pq.Array(children))
	return unplaced, err
}

const orgPlaceHistoric = `
WITH allowed AS (SELECT * FROM unnest($1::text[], $2::text[]) AS a (parent_type, child_type)),
pick AS (
	SELECT DISTINCT ON (s.code) s.code, c.code AS parent
	  FROM org_import s
	 CROSS JOIN LATERAL unnest(s.parent_choices) WITH ORDINALITY AS c (code, n)
	 CROSS JOIN LATERAL (SELECT COALESCE((SELECT x.type FROM org_import x
	                                       WHERE x.code = c.code AND x.set_type AND x.parent_choices IS NULL),
	                                     (SELECT o.type FROM organisations o WHERE o.code = c.code)) AS type) k
	  JOIN allowed a ON a.parent_type = k.type AND a.child_type = s.type
	 WHERE s.parent_choices IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisations e WHERE e.code = s.code)
	 ORDER BY s.code, c.n)
UPDATE org_import s SET parent = pick.parent FROM pick WHERE pick.code = s.code`

const orgDropUnplaced = `
WITH dropped AS (
	DELETE FROM org_import s
	 WHERE s.parent_choices IS NOT NULL AND s.parent IS NULL
	   AND NOT EXISTS (SELECT 1 FROM organisations e WHERE e.code = s.code)
	   AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS a (parent_type, child_type)
	                    WHERE a.parent_type = '' AND a.child_type = s.type)
	RETURNING s.code)
SELECT code FROM dropped ORDER BY code`

// retireMissingOrganisations closes, as of today, the organisations of the extract's
// kind (models.ODSExtract.Kind) that an extract typed and that the file does not list:
// they are active no more, and their close date is today (or their opening day, for
// one that was yet to open), unless they had closed already. Nothing is deleted, and an
// organisation whose type a person set is a person's, never retired by an extract.
func retireMissingOrganisations(ctx context.Context, tx *sqlx.Tx, imp *models.OrganisationImport, today models.Date) (map[models.OrgType]int, []string, error) {
	var rows []struct {
		Code string `db:"code"`
		Type string `db:"type"`
	}
	err := tx.SelectContext(ctx, &rows, `
		WITH listed AS (SELECT unnest($1::text[]) AS code),
		gone AS (
			UPDATE organisations o SET active = false, updated_at = now(),
			       close_date = CASE WHEN o.close_date <= $2::date THEN o.close_date ELSE GREATEST($2::date, o.open_date) END
			 WHERE o.type = $3 AND NOT o.type_by_hand
			   AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.code = o.code)
			   AND (o.active OR o.close_date IS NULL OR o.close_date > $2::date)
			RETURNING o.code, o.type)
		SELECT code, type FROM gone ORDER BY code`,
		pq.Array(imp.Listed()), today.String(), string(imp.Extract.Kind()))
	if err != nil {
		return nil, nil, err
	}
	byType := map[models.OrgType]int{}
	codes := make([]string, len(rows))
	for i, r := range rows {
		byType[models.OrgType(r.Type)]++
		codes[i] = r.Code
	}
	return byType, codes, nil
}
