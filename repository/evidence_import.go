package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// ImportEvidence appends an evidence file for one organisation's staff in one
// transaction. The organisation's people and the skills are read first, in the
// transaction; the rows are then checked against them as they stream and go by COPY
// straight into evidence, whose statement trigger queues every person and skill touched
// for the gap counts. A row naming an unknown or erased person or an unknown skill is
// rejected, every one reported; all or nothing unless mode is partial (once a row is
// rejected, the rest are only checked). next returns io.EOF after the last row.
//
// Resolving in Go spares the staging table and the two joins of a million staged rows
// (issue 23: the import ran at 0.70x of COPY). The people and skills are read in the
// transaction just before the COPY, whose foreign key locks each person it names, as
// the INSERT ... SELECT that joined them did: a concurrent erasure is handled alike.
func (db *DB) ImportEvidence(ctx context.Context, orgID int64, mode models.ImportMode, tokenID int64, now time.Time, next func() (models.EvidenceImportRow, error)) (models.ImportReport, error) {
	var jobID int64 // each record names the import's job (and the token that sent it)
	if j := models.JobOf(ctx); j != nil {
		jobID = j.ID
	}
	var copied int
	return stagedImport{
		stage: func(tx *sqlx.Tx, report *models.ImportReport) error {
			names, err := readEvidenceNames(ctx, tx, orgID)
			if err != nil {
				return err
			}
			copied, err = copyEvidence(ctx, tx, names, mode, next, report, func(e models.NewEvidence, p evidencePerson, k evidenceSkill) []any {
				return []any{p.ID, k.ID, k.Version, *e.Level, string(e.Source), assessedBy(e.AssessedAt, now), timeValue(e.ExpiresAt),
					nullable(e.Assessor), nullable(e.Note), nullable(e.EvidenceURL), nullID(tokenID), nullID(jobID)}
			})
			return err
		},
		check: func(*sqlx.Tx, *models.ImportReport) error { return nil }, // checked as staged
		merge: func(_ *sqlx.Tx, report *models.ImportReport) error {
			report.Inserted = copied
			return nil
		},
	}.run(ctx, db, mode)
}

// unresolvedReported bounds the rows reported for naming an unknown person or skill, as
// the check in SQL did (LIMIT), so that a file sent to the wrong organisation does not
// build a million-line answer.
const unresolvedReported = 10000

// copyEvidence checks each row against names and copies the good ones into evidence
// with values; it returns how many it copied. In all-or-nothing mode it stops copying
// at the first rejected row (the transaction will be rolled back) but reads on, so that
// every bad row is reported (those naming unknown people or skills up to
// unresolvedReported).
func copyEvidence(ctx context.Context, tx *sqlx.Tx, names evidenceNames, mode models.ImportMode, next func() (models.EvidenceImportRow, error),
	report *models.ImportReport, values func(models.NewEvidence, evidencePerson, evidenceSkill) []any) (int, error) {
	columns := []string{"staff_id", "skill_id", "framework_version", "level", "source", "assessed_at", "expires_at",
		"assessor", "note", "evidence_url", "recorded_by", "import_job_id"}
	copied, unresolved := 0, 0
	err := stageRows(ctx, tx, "evidence", columns, next, report, func(row models.EvidenceImportRow) []any {
		if len(row.Problems) > 0 {
			report.Reject(models.RejectedRow{Line: row.Line, Key: row.ExternalID, Errors: row.Problems})
			return nil
		}
		person, skill, bad := names.resolve(row)
		if bad != nil {
			if unresolved++; unresolved <= unresolvedReported {
				report.Reject(*bad)
			}
			return nil
		}
		if len(report.Rejected) > 0 && mode != models.ImportPartial {
			return nil
		}
		copied++
		return values(row.Evidence, person, skill)
	})
	return copied, err
}

// assessedBy is when evidence was assessed: as the file says, but never after now, and
// now when it does not say.
func assessedBy(at *time.Time, now time.Time) time.Time {
	if at == nil || at.After(now) {
		return now
	}
	return *at
}

// nullID is an optional id: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}
