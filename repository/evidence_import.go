package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// ImportEvidence appends an evidence file for one organisation's staff in one
// transaction: rows stream through COPY into a staging table, one pass joins them to
// people and skills to report the rows naming unknown ones, and one INSERT appends the
// rest through the same joins (reading the staging table twice is cheaper than writing
// the ids into it), whose statement trigger queues every person and skill touched for
// the gap counts. All or nothing unless mode is partial. next returns io.EOF after the
// last row.
func (db *DB) ImportEvidence(ctx context.Context, orgID int64, mode models.ImportMode, tokenID int64, now time.Time, next func() (models.EvidenceImportRow, error)) (models.ImportReport, error) {
	return stagedImport{
		create: `
			CREATE TEMP TABLE evidence_import (
				line integer, external_id text, skill text, framework text, level smallint, source text,
				assessed_at timestamptz, expires_at timestamptz, assessor text, note text, evidence_url text)
				ON COMMIT DROP`,
		stage: func(tx *sqlx.Tx, report *models.ImportReport) error { return copyEvidenceRows(ctx, tx, next, report) },
		check: func(tx *sqlx.Tx, report *models.ImportReport) error {
			return rejectUnresolvedRows(ctx, tx, orgID, report)
		},
		merge: func(tx *sqlx.Tx, report *models.ImportReport) error {
			// Each record names the import's job (and the token that sent it).
			var jobID int64
			if j := models.JobOf(ctx); j != nil {
				jobID = j.ID
			}
			// In the order of the (staff, skill) index, which the insert then fills page by page.
			res, err := tx.ExecContext(ctx, `
				INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at,
				                      assessor, note, evidence_url, recorded_by, import_job_id)
				SELECT s.id, k.id, f.version, i.level, i.source, LEAST(COALESCE(i.assessed_at, $3), $3), i.expires_at,
				       i.assessor, i.note, i.evidence_url, NULLIF($2, 0), NULLIF($4, 0)
				  FROM `+evidenceImportResolved+`
				 ORDER BY s.id, k.id`, orgID, tokenID, now, jobID)
			if err != nil {
				return err
			}
			report.Inserted = rowsAffected(res)
			return nil
		},
	}.run(ctx, db, mode)
}

func copyEvidenceRows(ctx context.Context, tx *sqlx.Tx, next func() (models.EvidenceImportRow, error), report *models.ImportReport) error {
	columns := []string{"line", "external_id", "skill", "framework", "level", "source", "assessed_at", "expires_at",
		"assessor", "note", "evidence_url"}
	return stageRows(ctx, tx, "evidence_import", columns, next, report, func(row models.EvidenceImportRow) []any {
		if len(row.Problems) > 0 {
			report.Reject(models.RejectedRow{Line: row.Line, Key: row.ExternalID, Errors: row.Problems})
			return nil
		}
		e := row.Evidence
		return []any{row.Line, row.ExternalID, e.Skill, e.Framework, *e.Level, string(e.Source), timeValue(e.AssessedAt),
			timeValue(e.ExpiresAt), nullable(e.Assessor), nullable(e.Note), nullable(e.EvidenceURL)}
	})
}

// evidenceImportResolved joins the staged rows to their people in the organisation ($1)
// and their skills in the named framework, or the default one.
const evidenceImportResolved = `evidence_import i
	JOIN staff s ON s.organisation_id = $1 AND s.external_id = i.external_id AND s.erased_at IS NULL
	JOIN skills k ON k.code = i.skill
	JOIN frameworks f ON f.id = k.framework_id
	 AND CASE WHEN COALESCE(i.framework, '') = '' THEN f.is_default ELSE f.code = i.framework END`

// rejectUnresolvedRows reports the rows naming a person not in the organisation (or
// erased: their record is never written again) or a skill not in the framework.
func rejectUnresolvedRows(ctx context.Context, tx *sqlx.Tx, orgID int64, report *models.ImportReport) error {
	var bad []struct {
		Line       int    `db:"line"`
		ExternalID string `db:"external_id"`
		Skill      string `db:"skill"`
		NoStaff    bool   `db:"no_staff"`
		Erased     bool   `db:"erased"`
		NoSkill    bool   `db:"no_skill"`
	}
	if err := tx.SelectContext(ctx, &bad, `
		SELECT i.line, i.external_id, i.skill, s.id IS NULL AS no_staff, s.erased_at IS NOT NULL AS erased, k.id IS NULL AS no_skill
		  FROM evidence_import i
		  LEFT JOIN staff s ON s.organisation_id = $1 AND s.external_id = i.external_id
		  LEFT JOIN (skills k JOIN frameworks f ON f.id = k.framework_id) ON k.code = i.skill
		   AND CASE WHEN COALESCE(i.framework, '') = '' THEN f.is_default ELSE f.code = i.framework END
		 WHERE s.id IS NULL OR s.erased_at IS NOT NULL OR k.id IS NULL
		 ORDER BY i.line
		 LIMIT 10000`, orgID); err != nil {
		return err
	}
	for _, b := range bad {
		if b.Erased && !b.NoSkill {
			report.Reject(models.ErasedRow(b.Line, b.ExternalID))
			continue
		}
		var errs []models.FieldError
		if b.Erased {
			errs = append(errs, models.ErasedRow(b.Line, b.ExternalID).Errors...)
		}
		if b.NoStaff {
			errs = append(errs, models.FieldError{Field: "external_id", Message: "no staff with this external id in the organisation"})
		}
		if b.NoSkill {
			errs = append(errs, models.FieldError{Field: "skill", Message: "no skill " + b.Skill + " in the framework"})
		}
		report.Reject(models.RejectedRow{Line: b.Line, Key: b.ExternalID, Errors: errs})
	}
	return nil
}

func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}
