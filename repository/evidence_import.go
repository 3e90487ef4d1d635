package repository

import (
	"context"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// EvidenceImportRow is one row of an evidence file: the record as read, the person it is
// about, or the problems that kept it from being read.
type EvidenceImportRow struct {
	Line       int
	ExternalID string
	Evidence   models.NewEvidence
	Problems   []models.FieldError
}

// ImportEvidence appends an evidence file for one organisation's staff in one
// transaction: rows stream through COPY into a staging table, people and skills are
// resolved there with two joins, and the valid rows are appended in one INSERT, whose
// statement trigger refreshes the gap counts of every person and skill touched. All or
// nothing unless mode is partial. next returns io.EOF after the last row.
func (db *DB) ImportEvidence(ctx context.Context, orgID int64, mode models.ImportMode, tokenID int64, next func() (EvidenceImportRow, error)) (models.ImportReport, error) {
	var report models.ImportReport
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		report = models.ImportReport{Rejected: []models.RejectedRow{}}
		if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			CREATE TEMP TABLE evidence_import (
				line integer, external_id text, skill text, framework text, level smallint, source text,
				assessed_at timestamptz, expires_at timestamptz, assessor text, note text, evidence_url text,
				staff_id bigint, skill_id bigint, framework_version integer) ON COMMIT DROP`); err != nil {
			return err
		}
		if err := copyEvidenceRows(ctx, tx, next, &report); err != nil {
			return err
		}
		if err := resolveEvidenceRows(ctx, tx, orgID, &report); err != nil {
			return err
		}
		if len(report.Rejected) > 0 && mode != models.ImportPartial {
			return models.RejectionError(report)
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at,
			                      assessor, note, evidence_url, recorded_by)
			SELECT staff_id, skill_id, framework_version, level, source, LEAST(COALESCE(assessed_at, now()), now()), expires_at,
			       assessor, note, evidence_url, NULLIF($1, 0)
			  FROM evidence_import WHERE staff_id IS NOT NULL AND skill_id IS NOT NULL
			 ORDER BY staff_id, skill_id`, tokenID)
		if err != nil {
			return err
		}
		report.Inserted = rowsAffected(res)
		return nil
	})
	if err != nil {
		return report, err
	}
	report.Applied = true
	return report, nil
}

func copyEvidenceRows(ctx context.Context, tx *sqlx.Tx, next func() (EvidenceImportRow, error), report *models.ImportReport) error {
	columns := []string{"line", "external_id", "skill", "framework", "level", "source", "assessed_at", "expires_at",
		"assessor", "note", "evidence_url"}
	return copyIn(ctx, tx, "evidence_import", columns, func(emit func(...any) error) error {
		for {
			row, err := next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			report.Rows++
			if len(row.Problems) > 0 {
				report.Rejected = append(report.Rejected, models.RejectedRow{Line: row.Line, Key: row.ExternalID, Errors: row.Problems})
				continue
			}
			e := row.Evidence
			if err := emit(row.Line, row.ExternalID, e.Skill, e.Framework, *e.Level, string(e.Source), timeValue(e.AssessedAt),
				timeValue(e.ExpiresAt), nullable(e.Assessor), nullable(e.Note), nullable(e.EvidenceURL)); err != nil {
				return err
			}
		}
	})
}

// resolveEvidenceRows finds each row's person in the organisation and skill in its
// framework, and reports the rows where either is unknown.
func resolveEvidenceRows(ctx context.Context, tx *sqlx.Tx, orgID int64, report *models.ImportReport) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE evidence_import i SET staff_id = s.id
		  FROM staff s WHERE s.organisation_id = $1 AND s.external_id = i.external_id`, orgID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE evidence_import i SET skill_id = k.id, framework_version = f.version
		  FROM skills k JOIN frameworks f ON f.id = k.framework_id
		 WHERE k.code = i.skill AND CASE WHEN COALESCE(i.framework, '') = '' THEN f.is_default ELSE f.code = i.framework END`); err != nil {
		return err
	}
	var bad []struct {
		Line       int    `db:"line"`
		ExternalID string `db:"external_id"`
		Field      string `db:"field"`
		Message    string `db:"message"`
	}
	if err := tx.SelectContext(ctx, &bad, `
		SELECT line, external_id, 'external_id' AS field, 'no staff with this external id in the organisation' AS message
		  FROM evidence_import WHERE staff_id IS NULL
		UNION ALL
		SELECT line, external_id, 'skill', 'no skill ' || skill || ' in the framework'
		  FROM evidence_import WHERE skill_id IS NULL
		ORDER BY 1
		LIMIT 10000`); err != nil {
		return err
	}
	for _, b := range bad {
		report.Rejected = append(report.Rejected, models.RejectedRow{
			Line: b.Line, Key: b.ExternalID, Errors: []models.FieldError{{Field: b.Field, Message: b.Message}}})
	}
	return nil
}

func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}
