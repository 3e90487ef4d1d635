package repository

import (
	"context"
	"sort"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// ImportStaff loads a staff file for one organisation in one transaction: rows stream
// through COPY into a staging table, are checked there (duplicates, unknown roles), and
// are merged into staff with one statement per kind of change. All or nothing unless
// opts.Mode is partial. next returns io.EOF after the last row.
func (db *DB) ImportStaff(ctx context.Context, orgID int64, opts models.StaffImportOptions, next func() (models.StaffImportRow, error)) (models.ImportReport, error) {
	return stagedImport{
		create: `
			CREATE TEMP TABLE staff_import (
				line integer, external_id text, role text, display_name text, email text, fte numeric,
				status text, start_date date, end_date date, valid boolean NOT NULL DEFAULT true,
				role_id bigint) ON COMMIT DROP`,
		stage: func(tx *sqlx.Tx, report *models.ImportReport) error {
			roles, err := readUsableRoles(ctx, tx, orgID)
			if err != nil {
				return err
			}
			return copyStaffRows(ctx, tx, roles, next, report)
		},
		check: func(tx *sqlx.Tx, report *models.ImportReport) error { return checkStaffRows(ctx, tx, orgID, report) },
		merge: func(tx *sqlx.Tx, report *models.ImportReport) error {
			return mergeStaffRows(ctx, tx, orgID, opts, report)
		},
	}.run(ctx, db, opts.Mode)
}

// readUsableRoles maps each role code the organisation can use to the role it names there
// (resolve_role: its own or an ancestor's, else the template), so that rows are staged
// with their role's id rather than updated with it afterwards, a rewrite of every staged
// row that took 40% of a 100,000-row import (issue 23).
func readUsableRoles(ctx context.Context, tx *sqlx.Tx, orgID int64) (map[string]int64, error) {
	var roles []struct {
		Code string `db:"code"`
		ID   int64  `db:"id"`
	}
	if err := tx.SelectContext(ctx, &roles, `
		SELECT code, id FROM (SELECT code, resolve_role($1, code) AS id FROM (SELECT DISTINCT code FROM job_roles) c) r
		 WHERE id IS NOT NULL`, orgID); err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(roles))
	for _, r := range roles {
		ids[r.Code] = r.ID
	}
	return ids, nil
}

func copyStaffRows(ctx context.Context, tx *sqlx.Tx, roles map[string]int64, next func() (models.StaffImportRow, error), report *models.ImportReport) error {
	columns := []string{"line", "external_id", "role", "display_name", "email", "fte", "status", "start_date", "end_date", "valid", "role_id"}
	return stageRows(ctx, tx, "staff_import", columns, next, report, func(row models.StaffImportRow) []any {
		s := row.Staff
		if len(row.Problems) > 0 {
			report.Reject(models.RejectedRow{Line: row.Line, Key: s.ExternalID, Errors: row.Problems})
		}
		// Rejected rows are staged too (not valid), so that a full sync does not mark the
		// people they name as leavers.
		return []any{row.Line, s.ExternalID, nullable(s.Role), nullable(s.DisplayName), nullable(s.Email), s.FTE,
			string(s.Status), dateValue(s.StartDate), dateValue(s.EndDate), len(row.Problems) == 0, roleID(roles, s.Role)}
	})
}

// checkStaffRows rejects rows that name a person twice, a role the organisation cannot
// use (staged without a role id), or an erased person (whose record is never written again), and rows that would
// create a record under an id only erasure gives.
func checkStaffRows(ctx context.Context, tx *sqlx.Tx, orgID int64, report *models.ImportReport) error {
	if err := rejectErasedRows(ctx, tx, orgID, report); err != nil {
		return err
	}
	return rejectRows(ctx, tx, report, `
		WITH dup AS (
			SELECT external_id, string_agg(line::text, ', ' ORDER BY line) AS lines
			  FROM staff_import WHERE valid GROUP BY external_id HAVING count(*) > 1)
		SELECT i.line, i.external_id AS key, 'external_id' AS field, 'appears more than once, on lines ' || d.lines AS message
		  FROM staff_import i JOIN dup d USING (external_id) WHERE i.valid
		UNION ALL
		SELECT line, external_id, 'role', 'no role ' || role || ' for this organisation or as a template'
		  FROM staff_import WHERE valid AND role IS NOT NULL AND role_id IS NULL
		ORDER BY 1`, `
		UPDATE staff_import SET valid = false
		 WHERE external_id IN (SELECT external_id FROM staff_import WHERE valid GROUP BY 1 HAVING count(*) > 1)
		    OR (role IS NOT NULL AND role_id IS NULL)`)
}

// rejectErasedRows rejects, and marks not valid, the rows naming an erased record (gone)
// or a new record under the erased- prefix (reserved).
func rejectErasedRows(ctx context.Context, tx *sqlx.Tx, orgID int64, report *models.ImportReport) error {
	var rows []struct {
		Line       int    `db:"line"`
		ExternalID string `db:"external_id"`
		Erased     bool   `db:"erased"`
	}
	err := tx.SelectContext(ctx, &rows, `
		UPDATE staff_import i SET valid = false
		  FROM (SELECT i.line, s.erased_at IS NOT NULL AS erased
		          FROM staff_import i
		          LEFT JOIN staff s ON s.organisation_id = $1 AND s.external_id = i.external_id
		         WHERE i.valid AND (s.erased_at IS NOT NULL OR (s.id IS NULL AND left(i.external_id, length($2)) = $2))) b
		 WHERE i.line = b.line
		RETURNING i.line, i.external_id, b.erased`, orgID, models.ErasedPrefix)
	if err != nil {
		return err
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].Line < rows[b].Line })
	for _, r := range rows {
		if r.Erased {
			report.Reject(models.ErasedRow(r.Line, r.ExternalID))
			continue
		}
		report.Reject(models.RejectedRow{Line: r.Line, Key: r.ExternalID, Errors: []models.FieldError{
			{Field: "external_id", Message: "must not begin with " + models.ErasedPrefix + ": it names erased records"}}})
	}
	return nil
}

func mergeStaffRows(ctx context.Context, tx *sqlx.Tx, orgID int64, opts models.StaffImportOptions, report *models.ImportReport) error {
	res, err := tx.ExecContext(ctx, `
		UPDATE staff s SET role_id = i.role_id, display_name = i.display_name, email = i.email, fte = i.fte,
		       status = i.status, start_date = i.start_date, end_date = i.end_date, updated_at = now()
		  FROM staff_import i
		 WHERE i.valid AND s.organisation_id = $1 AND s.external_id = i.external_id
		   AND (s.role_id, s.display_name, s.email, s.fte, s.status, s.start_date, s.end_date)
		       IS DISTINCT FROM (i.role_id, i.display_name, i.email, i.fte, i.status, i.start_date, i.end_date)`, orgID)
	if err != nil {
		return err
	}
	report.Updated = rowsAffected(res)
	res, err = tx.ExecContext(ctx, `
		INSERT INTO staff (organisation_id, external_id, role_id, display_name, email, fte, status, start_date, end_date)
		SELECT $1, i.external_id, i.role_id, i.display_name, i.email, i.fte, i.status, i.start_date, i.end_date
		  FROM staff_import i
		 WHERE i.valid AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.organisation_id = $1 AND s.external_id = i.external_id)`, orgID)
	if err != nil {
		return err
	}
	report.Inserted = rowsAffected(res)
	report.Unchanged = report.Rows - len(report.Rejected) - report.Inserted - report.Updated
	if opts.MarkLeavers {
		res, err = tx.ExecContext(ctx, `
			UPDATE staff s SET status = 'leaver', end_date = LEAST(COALESCE(s.end_date, $2), $2), updated_at = now()
			 WHERE s.organisation_id = $1 AND s.status = 'active'
			   AND NOT EXISTS (SELECT 1 FROM staff_import i WHERE i.external_id = s.external_id)`,
			orgID, models.TodayAt(opts.Now))
		if err != nil {
			return err
		}
		report.Leavers = rowsAffected(res)
	}
	return nil
}

// roleID is the id a row's role code names, or NULL: none given, or none the
// organisation can use (the check rejects that row).
func roleID(roles map[string]int64, code string) any {
	if id, ok := roles[code]; ok && code != "" {
		return id
	}
	return nil
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }) int {
	n, _ := res.RowsAffected()
	return int(n)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateValue(d *models.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}
