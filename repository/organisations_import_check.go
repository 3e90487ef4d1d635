package repository

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// checkStagedOrganisations finds the staged rows that only the database can judge. Each
// check is one query over the whole staging table.
func checkStagedOrganisations(ctx context.Context, tx *sqlx.Tx, imp *models.OrganisationImport) ([]models.RowError, error) {
	var found []models.RowError
	for _, c := range []struct {
		query, field, message string
		args                  []any
	}{
		{orgCheckUnknownParent, "parent", "no organisation has this code, in the file or in the database", []any{pq.Array(unstagedCodes(imp))}},
		{orgCheckCycle, "parent", "would place the organisation under itself or one of its own descendants", nil},
		{orgCheckHomePage, "xapi_home_page", "is already the xAPI home page of another organisation", nil},
	} {
		var rows []struct {
			Line int    `db:"line"`
			Code string `db:"code"`
		}
		if err := tx.SelectContext(ctx, &rows, c.query, c.args...); err != nil {
			return nil, err
		}
		for _, r := range rows {
			found = append(found, models.RowError{Line: r.Line, Code: r.Code, Field: c.field, Message: c.message})
		}
	}
	return found, nil
}

// unstagedCodes are the codes of the file's bad rows: a row whose parent is one of them
// is not reported a second time for an unknown parent.
func unstagedCodes(imp *models.OrganisationImport) []string {
	staged := make(map[string]bool, len(imp.Rows))
	for _, r := range imp.Rows {
		staged[r.Org.Code] = true
	}
	out := []string{}
	for _, c := range imp.Codes {
		if !staged[c] {
			out = append(out, c)
		}
	}
	return out
}

// orgCheckUnknownParent: a parent that is neither in the file nor in the database.
const orgCheckUnknownParent = `
WITH unstaged AS (SELECT unnest($1::text[]) AS code)
SELECT s.line, s.code FROM org_import s
WHERE s.parent IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM org_import x WHERE x.code = s.parent)
  AND NOT EXISTS (SELECT 1 FROM unstaged u WHERE u.code = s.parent)
  AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.code = s.parent)
ORDER BY s.line`

// orgCheckCycle walks up from every row that moves an organisation (gives it another
// parent than the stored one, or places a new one), through the tree as it will be once
// the file is applied: the file's parents where it sets them, the stored ones elsewhere.
// A row that meets itself would close a cycle. Every new cycle contains a moved row, so
// walking from those is enough; CYCLE stops walks that loop above their start (through
// a cycle inside the file, which the parser reports).
const orgCheckCycle = `
WITH RECURSIVE planned AS (
	SELECT s.code, CASE WHEN s.set_parent THEN s.parent ELSE p.code END AS parent,
	       s.set_parent AND s.parent IS DISTINCT FROM p.code AS moved
	FROM org_import s
	LEFT JOIN organisations e ON e.code = s.code
	LEFT JOIN organisations p ON p.id = e.parent_id
	UNION ALL
	SELECT o.code, p.code, false
	FROM organisations o
	JOIN organisations p ON p.id = o.parent_id
	WHERE NOT EXISTS (SELECT 1 FROM org_import s WHERE s.code = o.code)
), walk AS (
	SELECT code AS start, parent AS cur FROM planned WHERE moved AND parent IS NOT NULL
	UNION ALL
	SELECT w.start, t.parent FROM walk w JOIN planned t ON t.code = w.cur
	WHERE t.parent IS NOT NULL AND w.cur <> w.start
) CYCLE cur SET looped USING path
SELECT DISTINCT s.line, s.code FROM walk w JOIN org_import s ON s.code = w.start
WHERE w.cur = w.start
ORDER BY s.line`

// orgCheckHomePage: an xAPI home page used twice in the file, or already used by an
// organisation whose home page the file does not change.
const orgCheckHomePage = `
SELECT s.line, s.code FROM org_import s
WHERE s.xapi_home_page IS NOT NULL AND (
	EXISTS (SELECT 1 FROM org_import x WHERE x.xapi_home_page = s.xapi_home_page AND x.line < s.line)
	OR EXISTS (SELECT 1 FROM organisations o
		WHERE o.xapi_home_page = s.xapi_home_page AND o.code <> s.code
		  AND NOT EXISTS (SELECT 1 FROM org_import x WHERE x.code = o.code AND x.set_xapi_home_page)))
ORDER BY s.line`
