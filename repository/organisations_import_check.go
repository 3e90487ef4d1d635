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
	typing, err := checkStagedTyping(ctx, tx)
	return append(found, typing...), err
}

// checkStagedTyping finds the placements that the file makes and the tree's typing
// (models.OrgPlacements) does not allow, in the tree as it will be once the file is
// applied: a row's organisation under its parent, when the row creates, moves or
// retypes it (on its parent field); and the children a row's retyped organisation
// keeps (on its type field). Placements the file does not change are left alone.
func checkStagedTyping(ctx context.Context, tx *sqlx.Tx) ([]models.RowError, error) {
	parents, children := models.OrgPlacements()
	var rows []struct {
		Line       int    `db:"line"`
		Code       string `db:"code"`
		Type       string `db:"type"`
		Other      string `db:"other"`
		OtherType  string `db:"other_type"`
		OnChildRow bool   `db:"on_child_row"`
	}
	if err := tx.SelectContext(ctx, &rows, orgCheckTyping, pq.Array(parents), pq.Array(children)); err != nil {
		return nil, err
	}
	found := make([]models.RowError, len(rows))
	for i, r := range rows {
		found[i] = models.RowError{Line: r.Line, Code: r.Code, Field: "type",
			Message: models.ChildMessage(models.OrgType(r.Type), r.Other, models.OrgType(r.OtherType))}
		if r.OnChildRow {
			found[i].Field = "parent"
			found[i].Message = models.PlacementMessage(models.OrgType(r.Type), r.Other, models.OrgType(r.OtherType))
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
// the file is applied: the file's parents where it sets them (and for every new
// organisation), the stored ones elsewhere.
// A row that meets itself would close a cycle. Every new cycle contains a moved row, so
// walking from those is enough; CYCLE stops walks that loop above their start (through
// a cycle inside the file, which the parser reports).
const orgCheckCycle = `
WITH RECURSIVE planned AS (
	SELECT s.code, CASE WHEN s.set_parent OR e.id IS NULL THEN s.parent ELSE p.code END AS parent,
	       (s.set_parent OR e.id IS NULL) AND s.parent IS DISTINCT FROM p.code AS moved
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

// orgCheckTyping lists the placements of the planned tree that the file changes and the
// allowed (parent type, child type) pairs ($1, $2; "" for the top) do not hold: on the
// row of a created, moved or retyped organisation, with its parent (other); on the row
// of a retyped organisation, with the first child it keeps that may not sit under it. A
// parent that exists nowhere is reported by orgCheckUnknownParent instead.
const orgCheckTyping = `
WITH allowed AS (SELECT * FROM unnest($1::text[], $2::text[]) AS a (parent_type, child_type)),
planned AS (
	SELECT s.code, s.line,
	       CASE WHEN s.set_type THEN s.type ELSE e.type END AS type,
	       CASE WHEN s.set_parent OR e.id IS NULL THEN s.parent ELSE p.code END AS parent,
	       e.id IS NULL OR (s.set_parent AND s.parent IS DISTINCT FROM p.code) OR (s.set_type AND s.type <> e.type) AS placed,
	       e.id IS NOT NULL AND s.set_type AND s.type <> e.type AS retyped
	FROM org_import s
	LEFT JOIN organisations e ON e.code = s.code
	LEFT JOIN organisations p ON p.id = e.parent_id
	UNION ALL
	SELECT o.code, NULL, o.type, p.code, false, false
	FROM organisations o
	LEFT JOIN organisations p ON p.id = o.parent_id
	WHERE NOT EXISTS (SELECT 1 FROM org_import s WHERE s.code = o.code)
), edges AS (
	SELECT c.code AS child, c.line AS child_line, c.type AS child_type, c.placed,
	       pa.code AS parent, pa.line AS parent_line, COALESCE(pa.type, '') AS parent_type, COALESCE(pa.retyped, false) AS retyped
	FROM planned c
	LEFT JOIN planned pa ON pa.code = c.parent
	WHERE (c.placed OR pa.retyped) AND (c.parent IS NULL OR pa.code IS NOT NULL)
	  AND NOT EXISTS (SELECT 1 FROM allowed a WHERE a.parent_type = COALESCE(pa.type, '') AND a.child_type = c.type)
)
SELECT DISTINCT ON (line, on_child_row) * FROM (
	SELECT child_line AS line, child AS code, child_type AS type, COALESCE(parent, '') AS other, parent_type AS other_type,
	       true AS on_child_row
	FROM edges WHERE placed
	UNION ALL
	SELECT parent_line, parent, parent_type, child, child_type, false
	FROM edges WHERE NOT placed
) v
ORDER BY line, on_child_row, other`

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

// MisplacedOrganisations lists up to limit organisations whose place the tree's typing
// does not allow (placed before the typing existed), by code, each as a problem with its
// parent, and how many there are in all. They stay where they are (what each should
// become is for a person to say); statistics count their staff once, and a write that
// moves or retypes them must obey the typing.
func (db *DB) MisplacedOrganisations(ctx context.Context, limit int) ([]models.RowError, int, error) {
	parents, children := models.OrgPlacements()
	var rows []struct {
		Code       string `db:"code"`
		Type       string `db:"type"`
		Parent     string `db:"parent"`
		ParentType string `db:"parent_type"`
		Total      int    `db:"total"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT o.code, o.type, COALESCE(p.code, '') AS parent, COALESCE(p.type, '') AS parent_type, count(*) OVER () AS total
		  FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
		 WHERE NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS a (parent_type, child_type)
		                    WHERE a.parent_type = COALESCE(p.type, '') AND a.child_type = o.type)
		 ORDER BY o.code LIMIT $3`, pq.Array(parents), pq.Array(children), limit)
	if err != nil || len(rows) == 0 {
		return nil, 0, translate(err)
	}
	out := make([]models.RowError, len(rows))
	for i, r := range rows {
		out[i] = models.RowError{Code: r.Code, Field: "parent",
			Message: models.PlacementMessage(models.OrgType(r.Type), r.Parent, models.OrgType(r.ParentType))}
	}
	return out, rows[0].Total, nil
}
