package repository

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// ImportOrganisations applies a parsed organisation file in one transaction, or nothing
// at all when any row is bad: the rows the parser rejected, and those that only the
// database can judge (a parent that exists nowhere, a move that would make a cycle, an
// xAPI home page already taken). It is an administrator's operation over the whole
// tree, so it takes no scope. With retireMissing, an ODS extract closes, as of today,
// the organisations of its kind that it does not list (retireMissing).
//
// The rows go by COPY into a staging table, are checked there with set-based queries,
// then merged level by level (parents before children, so that every parent is in
// place): one UPDATE of the rows that differ and one INSERT of the missing rows per
// level. Rows that match what is stored are not touched, so a second import of the
// same file reports everything unchanged. Our CSV format is a person's file: what it
// sets is theirs. An ODS extract leaves alone the types and sectors people set
// (keepHandSet), and places the new organisations of its closed rows where it can
// (placeHistoric).
func (db *DB) ImportOrganisations(ctx context.Context, imp *models.OrganisationImport, retireMissing bool, today models.Date) (models.OrganisationImportResult, error) {
	if len(imp.Rows) == 0 {
		if len(imp.Errors) > 0 {
			return models.OrganisationImportResult{}, models.ImportError(imp.Errors) // nothing the database could add
		}
		if !retireMissing {
			return imp.Result(models.ImportEffects{}), nil
		}
	}
	byHand := imp.Format == models.FormatCSV
	var fx models.ImportEffects
	progress := models.ProgressOf(ctx)
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		progress.Phase(models.PhaseChecking)
		fx = models.ImportEffects{Inserted: map[models.OrgType]int{}, Updated: map[models.OrgType]int{}} // afresh if WithTx retries
		// Imports are rare and whole-tree: serialise them with every other organisation
		// write (reads go on), and let the request's own deadline bound them instead of
		// the statement timeout meant for API queries. The checks' recursive walks are
		// estimated dear enough to be JIT-compiled, which costs more than they take
		// (0.6 s of compiling for a 60 ms walk over 9,000 practices).
		for _, stmt := range []string{
			`SET LOCAL statement_timeout = 0`,
			`SET LOCAL jit = off`,
			`LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE`,
			orgStagingTable,
		} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		if err := stageOrganisations(ctx, tx, imp.Rows); err != nil {
			return err
		}
		if !byHand {
			var err error
			if fx.KeptByHand, err = keepHandSet(ctx, tx); err != nil {
				return err
			}
			if fx.Unplaced, err = placeHistoric(ctx, tx); err != nil {
				return err
			}
		}
		dbErrs, err := checkStagedOrganisations(ctx, tx, imp)
		if err != nil {
			return err
		}
		if errs := mergeRowErrors(imp.Errors, dbErrs); len(errs) > 0 {
			return models.ImportError(errs)
		}
		progress.Checked(len(imp.Rows))
		progress.Phase(models.PhaseApplying)
		if err := mergeOrganisations(ctx, tx, imp.Rows, byHand, &fx); err != nil {
			return err
		}
		if retireMissing {
			if fx.Retired, fx.RetiredCodes, err = retireMissingOrganisations(ctx, tx, imp, today); err != nil {
				return err
			}
		}
		progress.Applied(len(imp.Rows))
		return markJobApplied(ctx, tx)
	})
	if err != nil {
		return models.OrganisationImportResult{}, err
	}
	return imp.Result(fx), nil
}

// mergeOrganisations writes the staged rows level by level, counting by the type the
// file gives each row what it inserted and updated.
func mergeOrganisations(ctx context.Context, tx *sqlx.Tx, rows []models.ImportRow, byHand bool, fx *models.ImportEffects) error {
	levels := 0
	for _, r := range rows {
		levels = max(levels, r.Level+1)
	}
	inserted := -1
	for level := 0; level < levels; level++ {
		// The merges plan their joins from the statistics, which know nothing of the rows
		// inserted in this very transaction: refresh them first, and after every level
		// that inserted rows (a re-import that inserts nothing refreshes them once).
		if n := total(fx.Inserted); n != inserted {
			if _, err := tx.ExecContext(ctx, `ANALYZE organisations, organisation_tree`); err != nil {
				return err
			}
			inserted = n
		}
		if err := countByType(ctx, tx, orgMergeUpdate, fx.Updated, level, byHand); err != nil {
			return err
		}
		if err := countByType(ctx, tx, orgMergeInsert, fx.Inserted, level, byHand); err != nil {
			return err
		}
	}
	return nil
}

func total(counts map[models.OrgType]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// orgStagingTable has a flag per field that says whether the row writes it on an
// existing organisation (models.OrgFields), and the parent choices of a closed row of
// an ODS extract (models.ImportRow.ParentChoices; NULL for every other row).
const orgStagingTable = `CREATE TEMPORARY TABLE org_import (
	line int NOT NULL, level int NOT NULL, code text PRIMARY KEY, name text NOT NULL, type text NOT NULL,
	parent text, sector text, size_band text, headcount int, address text, postcode text,
	open_date date, close_date date, active boolean NOT NULL, xapi_home_page text, parent_choices text[],
	set_name boolean NOT NULL, set_type boolean NOT NULL, set_parent boolean NOT NULL,
	set_sector boolean NOT NULL, set_size_band boolean NOT NULL,
	set_headcount boolean NOT NULL, set_address boolean NOT NULL, set_postcode boolean NOT NULL,
	set_open_date boolean NOT NULL, set_close_date boolean NOT NULL, set_active boolean NOT NULL,
	set_xapi_home_page boolean NOT NULL
) ON COMMIT DROP`

var orgStagingColumns = []string{"line", "level", "code", "name", "type", "parent", "sector", "size_band",
	"headcount", "address", "postcode", "open_date", "close_date", "active", "xapi_home_page", "parent_choices",
	"set_name", "set_type", "set_parent", "set_sector", "set_size_band", "set_headcount",
	"set_address", "set_postcode", "set_open_date", "set_close_date", "set_active", "set_xapi_home_page"}

var orgStagingFlags = []models.OrgFields{models.SetName, models.SetType, models.SetParent, models.SetSector,
	models.SetSizeBand, models.SetHeadcount, models.SetAddress, models.SetPostcode,
	models.SetOpenDate, models.SetCloseDate, models.SetActive, models.SetXAPIHomePage}

func stageOrganisations(ctx context.Context, tx *sqlx.Tx, rows []models.ImportRow) error {
	err := copyIn(ctx, tx, "org_import", orgStagingColumns, func(emit func(...any) error) error {
		for _, r := range rows {
			o := r.Org
			var choices any
			if r.ParentChoices != nil {
				choices = pq.StringArray(r.ParentChoices)
			}
			vals := []any{r.Line, r.Level, o.Code, o.Name, string(o.Type), nullString(o.Parent),
				nullString(string(o.Sector)), nullString(string(o.SizeBand)), o.Headcount, nullString(o.Address),
				nullString(o.Postcode), dateParam(o.OpenDate), dateParam(o.CloseDate), o.Active, nullString(o.XAPIHomePage), choices}
			for _, f := range orgStagingFlags {
				vals = append(vals, r.Fields&f != 0)
			}
			if err := emit(vals...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Temporary tables are never analysed automatically; the checks below join on them.
	_, err = tx.ExecContext(ctx, `ANALYZE org_import`)
	return err
}

// countByType runs a merge statement for one level and adds its counts by type.
func countByType(ctx context.Context, tx *sqlx.Tx, query string, into map[models.OrgType]int, args ...any) error {
	var counts []struct {
		Type  string `db:"type"`
		Count int    `db:"count"`
	}
	if err := tx.SelectContext(ctx, &counts, query, args...); err != nil {
		return writeError(err)
	}
	for _, c := range counts {
		into[models.OrgType(c.Type)] += c.Count
	}
	return nil
}

// orgMergeUpdate rewrites the existing organisations of one level ($1) whose stored
// fields differ from what the file says, field by field as the row's flags allow. A
// file of people ($2) makes the types and sectors it changes theirs (models.TrackHand).
// Its counts are by the type the file gives the row, which a type a person set may
// have kept from being written.
const orgMergeUpdate = `
WITH target AS (
	SELECT e.id, s.type AS row_type,
		CASE WHEN s.set_name THEN s.name ELSE e.name END AS name,
		CASE WHEN s.set_type THEN s.type ELSE e.type END AS type,
		CASE WHEN s.set_parent THEN p.id ELSE e.parent_id END AS parent_id,
		CASE WHEN s.set_sector THEN s.sector ELSE e.sector END AS sector,
		CASE WHEN s.set_size_band THEN s.size_band ELSE e.size_band END AS size_band,
		CASE WHEN s.set_headcount THEN s.headcount ELSE e.headcount END AS headcount,
		CASE WHEN s.set_address THEN s.address ELSE e.address END AS address,
		CASE WHEN s.set_postcode THEN s.postcode ELSE e.postcode END AS postcode,
		CASE WHEN s.set_open_date THEN s.open_date ELSE e.open_date END AS open_date,
		CASE WHEN s.set_close_date THEN s.close_date ELSE e.close_date END AS close_date,
		CASE WHEN s.set_active THEN s.active ELSE e.active END AS active,
		CASE WHEN s.set_xapi_home_page THEN s.xapi_home_page ELSE e.xapi_home_page END AS xapi_home_page,
		CASE WHEN $2 AND s.set_type AND s.type <> e.type THEN true ELSE e.type_by_hand END AS type_by_hand,
		CASE WHEN $2 AND s.set_sector AND s.sector IS DISTINCT FROM e.sector THEN s.sector IS NOT NULL
		     ELSE e.sector_by_hand END AS sector_by_hand
	FROM org_import s
	JOIN organisations e ON e.code = s.code
	LEFT JOIN organisations p ON p.code = s.parent
	WHERE s.level = $1
), changed AS (
	UPDATE organisations o SET name = t.name, type = t.type, parent_id = t.parent_id, sector = t.sector,
		size_band = t.size_band, headcount = t.headcount, address = t.address, postcode = t.postcode,
		open_date = t.open_date, close_date = t.close_date, active = t.active, xapi_home_page = t.xapi_home_page,
		type_by_hand = t.type_by_hand, sector_by_hand = t.sector_by_hand, updated_at = now()
	FROM target t
	WHERE o.id = t.id
	  AND (o.name, o.type, o.parent_id, o.sector, o.size_band, o.headcount, o.address, o.postcode,
	       o.open_date, o.close_date, o.active, o.xapi_home_page, o.type_by_hand, o.sector_by_hand)
	      IS DISTINCT FROM (t.name, t.type, t.parent_id, t.sector, t.size_band, t.headcount, t.address, t.postcode,
	       t.open_date, t.close_date, t.active, t.xapi_home_page, t.type_by_hand, t.sector_by_hand)
	RETURNING t.row_type AS type
)
SELECT type, count(*) AS count FROM changed GROUP BY type`

// orgMergeInsert adds the organisations of one level ($1) that do not exist yet, with
// every field of their row; a file of people ($2) sets their type and sector by hand.
const orgMergeInsert = `
WITH added AS (
	INSERT INTO organisations (code, name, type, parent_id, sector, size_band, headcount, address, postcode,
		open_date, close_date, active, xapi_home_page, type_by_hand, sector_by_hand)
	SELECT s.code, s.name, s.type, p.id, s.sector, s.size_band, s.headcount, s.address, s.postcode,
		s.open_date, s.close_date, s.active, s.xapi_home_page, $2, $2 AND s.sector IS NOT NULL
	FROM org_import s
	LEFT JOIN organisations p ON p.code = s.parent
	WHERE s.level = $1 AND NOT EXISTS (SELECT 1 FROM organisations e WHERE e.code = s.code)
	ORDER BY s.line
	RETURNING type
)
SELECT type, count(*) AS count FROM added GROUP BY type`

// mergeRowErrors adds the database's findings to the parser's, leaving out a finding on
// a line and field reported already (a cycle inside the file is found by the parser and
// the database; a region placed under its own descendant breaks the cycle check and the
// tree's typing): one problem per field of a row.
func mergeRowErrors(parsed, found []models.RowError) []models.RowError {
	type key struct {
		line  int
		field string
	}
	seen := make(map[key]bool, len(parsed))
	for _, p := range parsed {
		seen[key{p.Line, p.Field}] = true
	}
	out := slices.Clone(parsed)
	for _, f := range found {
		if !seen[key{f.Line, f.Field}] {
			out = append(out, f)
			seen[key{f.Line, f.Field}] = true
		}
	}
	return out
}
