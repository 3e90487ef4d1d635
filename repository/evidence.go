package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type evidenceRow struct {
	ID               int64      `db:"id"`
	Skill            string     `db:"skill"`
	Framework        string     `db:"framework"`
	FrameworkVersion int        `db:"framework_version"`
	Level            int        `db:"level"`
	Source           string     `db:"source"`
	AssessedAt       time.Time  `db:"assessed_at"`
	ExpiresAt        *time.Time `db:"expires_at"`
	Assessor         *string    `db:"assessor"`
	Note             *string    `db:"note"`
	EvidenceURL      *string    `db:"evidence_url"`
	Retracts         *int64     `db:"retracts_id"`
	RetractedBy      *int64     `db:"retracted_by"`
	RecordedAt       time.Time  `db:"recorded_at"`
	AuditID          *int64     `db:"audit_id"` // the write's audit entry, when it carried one
	// What created it.
	Provider     *string `db:"provider"`
	CompletionID *string `db:"completion_ref"`
	StatementID  *string `db:"statement_ref"`
	ImportJob    *int64  `db:"import_job_id"`
	Token        *int64  `db:"recorded_by"`
}

func (r evidenceRow) evidence() models.Evidence {
	return models.Evidence{
		ID: r.ID, Skill: r.Skill, Framework: r.Framework, FrameworkVersion: r.FrameworkVersion,
		Level: r.Level, Source: models.Source(r.Source), AssessedAt: r.AssessedAt, ExpiresAt: r.ExpiresAt,
		Assessor: deref(r.Assessor), Note: deref(r.Note), EvidenceURL: deref(r.EvidenceURL),
		Retracts: r.Retracts, RetractedBy: r.RetractedBy, RecordedAt: r.RecordedAt,
		Origin: models.NewOrigin(deref(r.Provider), deref(r.CompletionID), deref(r.StatementID), derefInt(r.ImportJob), derefInt(r.Token)),
	}
}

const evidenceSelect = `
	SELECT e.id, k.code AS skill, f.code AS framework, e.framework_version, e.level, e.source, e.assessed_at,
	       e.expires_at, e.assessor, e.note, e.evidence_url, e.retracts_id,
	       (SELECT min(r.id) FROM evidence r WHERE r.retracts_id = e.id) AS retracted_by, e.recorded_at,
	       COALESCE(c.provider, x.provider) AS provider, c.completion_id AS completion_ref, e.statement_id::text AS statement_ref,
	       e.import_job_id, e.recorded_by
	  FROM evidence e
	  JOIN skills k ON k.id = e.skill_id
	  JOIN frameworks f ON f.id = k.framework_id
	  LEFT JOIN completions c ON c.id = e.completion_id
	  LEFT JOIN xapi_statements x ON x.id = e.statement_id`

// AddEvidence appends a record for a person of an organisation (by code) within scope.
// A retraction copies the skill of the record it withdraws, which must be the same
// person's and not already withdrawn.
func (db *DB) AddEvidence(ctx context.Context, scope models.Scope, orgCode, externalID string, e models.NewEvidence, tokenID int64, now time.Time) (models.Evidence, error) {
	if err := e.Validate(now); err != nil {
		return models.Evidence{}, err
	}
	if e.Retracts == 0 {
		return db.addEvidenceAtOnce(ctx, scope, orgCode, externalID, e, tokenID, now)
	}
	var out models.Evidence
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		orgID, err := organisationID(ctx, tx, scope, orgCode)
		if err != nil {
			return err
		}
		person, err := writableStaff(ctx, tx, scope, orgID, externalID)
		if err != nil {
			return err
		}
		id, err := insertEvidence(ctx, tx, person.ID, e, tokenID, now)
		if err != nil {
			return err
		}
		out, err = evidenceByID(ctx, tx, id)
		return err
	})
	return out, err
}

// evidenceByID reads back a record its transaction has just written.
func evidenceByID(ctx context.Context, tx *sqlx.Tx, id int64) (models.Evidence, error) {
	var w filter
	w.add("e.id = ?", id)
	return selectOne(ctx, tx, evidenceSelect, &w, models.Errorf(models.ENOTFOUND, "evidence %d not found", id), always(evidenceRow.evidence))
}

// addEvidenceAtOnce records new evidence (not a retraction) in a single statement that
// finds the organisation and the person within scope and the skill, inserts, appends the
// write's audit entry (one statement is one transaction) and reads the record back: the
// hot write path, one round trip. When nothing is inserted it works out why.
func (db *DB) addEvidenceAtOnce(ctx context.Context, scope models.Scope, orgCode, externalID string, e models.NewEvidence, tokenID int64, now time.Time) (models.Evidence, error) {
	cond, args := scopeCondition("s.organisation_id", scope)
	entry := models.AuditOf(ctx)
	audited := entry != nil && entry.ID == 0
	if !audited {
		entry = &models.AuditEntry{}
	}
	audit := auditArgs(entry)
	var rows []evidenceRow
	err := db.selectPrepared(ctx, &rows, db.Rebind(`
		WITH ins AS (
			INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at,
			                      assessor, note, evidence_url, recorded_by)
			SELECT s.id, k.id, f.version, ?, ?, LEAST(COALESCE(?::timestamptz, ?::timestamptz), ?::timestamptz), ?,
			       NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), NULLIF(?::bigint, 0)
			  FROM staff s, skills k JOIN frameworks f ON f.id = k.framework_id
			 WHERE s.organisation_id = (SELECT o.id FROM organisations o WHERE o.code = ?) AND s.external_id = ?
			   AND s.erased_at IS NULL AND `+cond+`
			   AND k.code = ? AND CASE WHEN ? = '' THEN f.is_default ELSE f.code = ? END
			RETURNING *),
		aud AS (
			SELECT audit_record(?, ?, ?, ?, ?, ?, ?, ?, ?) AS id WHERE ? AND EXISTS (SELECT 1 FROM ins))
		SELECT e.id, k.code AS skill, f.code AS framework, e.framework_version, e.level, e.source, e.assessed_at,
		       e.expires_at, e.assessor, e.note, e.evidence_url, e.retracts_id, NULL::bigint AS retracted_by, e.recorded_at,
		       (SELECT id FROM aud) AS audit_id, e.recorded_by
		  FROM ins e JOIN skills k ON k.id = e.skill_id JOIN frameworks f ON f.id = k.framework_id`),
		append(append(append(append([]any{*e.Level, string(e.Source), e.AssessedAt, now, now, e.ExpiresAt, e.Assessor, e.Note, e.EvidenceURL, tokenID,
			orgCode, externalID}, args...), e.Skill, e.Framework, e.Framework), audit...), audited)...)
	if err != nil {
		return models.Evidence{}, translate(err)
	}
	if len(rows) == 1 {
		if rows[0].AuditID != nil {
			entry.ID = *rows[0].AuditID
		}
		return rows[0].evidence(), nil
	}
	orgID, err := organisationID(ctx, db, scope, orgCode)
	if err != nil {
		return models.Evidence{}, err
	}
	if _, err := writableStaff(ctx, db, scope, orgID, externalID); err != nil {
		return models.Evidence{}, err
	}
	return models.Evidence{}, models.Invalid(models.FieldError{Field: "skill", Message: "no skill " + e.Skill + " in the framework"})
}

// insertEvidence writes one record for a resolved person and returns its id.
func insertEvidence(ctx context.Context, tx *sqlx.Tx, staffID int64, e models.NewEvidence, tokenID int64, now time.Time) (int64, error) {
	// The service's clock dates a record: an assessment time a little ahead of it (client
	// clock skew, tolerated by validation) is recorded as now, because the levels are
	// computed as of now.
	var id int64
	if e.Retracts != 0 {
		var target struct {
			StaffID   int64  `db:"staff_id"`
			Retracts  *int64 `db:"retracts_id"`
			Withdrawn bool   `db:"withdrawn"`
		}
		err := tx.GetContext(ctx, &target, `
			SELECT staff_id, retracts_id, EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id) AS withdrawn
			  FROM evidence e WHERE id = $1`, e.Retracts)
		switch {
		case err != nil || target.StaffID != staffID:
			return 0, models.Invalid(models.FieldError{Field: "retracts", Message: "no evidence record with this id for this person"})
		case target.Retracts != nil:
			return 0, models.Invalid(models.FieldError{Field: "retracts", Message: "is itself a retraction"})
		case target.Withdrawn:
			return 0, models.Errorf(models.ECONFLICT, "evidence %d is already retracted", e.Retracts)
		}
		err = tx.GetContext(ctx, &id, `
			INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, assessor, note, retracts_id, recorded_by)
			SELECT staff_id, skill_id, framework_version, 0, $2, LEAST(COALESCE($3::timestamptz, $7::timestamptz), $7::timestamptz), NULLIF($4, ''), NULLIF($5, ''), id, NULLIF($6, 0)
			  FROM evidence WHERE id = $1
			RETURNING id`, e.Retracts, string(e.Source), e.AssessedAt, e.Assessor, e.Note, tokenID, now)
		return id, err
	}
	err := tx.GetContext(ctx, &id, `
		INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at,
		                      assessor, note, evidence_url, recorded_by)
		SELECT $1, k.id, f.version, $4, $5, LEAST(COALESCE($6::timestamptz, $12::timestamptz), $12::timestamptz), $7, NULLIF($8, ''), NULLIF($9, ''), NULLIF($10, ''), NULLIF($11, 0)
		  FROM skills k JOIN frameworks f ON f.id = k.framework_id
		 WHERE k.code = $2 AND CASE WHEN $3 = '' THEN f.is_default ELSE f.code = $3 END
		RETURNING id`,
		staffID, e.Skill, e.Framework, *e.Level, string(e.Source), e.AssessedAt, e.ExpiresAt, e.Assessor, e.Note, e.EvidenceURL, tokenID, now)
	if err != nil && models.ErrorCode(translate(err)) == models.ENOTFOUND {
		return 0, models.Invalid(models.FieldError{Field: "skill", Message: "no skill " + e.Skill + " in the framework"})
	}
	return id, err
}

// ListEvidence lists a person's evidence, newest first, a page at a time.
func (db *DB) ListEvidence(ctx context.Context, scope models.Scope, orgID int64, externalID string, f models.EvidenceFilter, page models.Page) ([]models.Evidence, string, error) {
	if err := checkCursor[int64](page); err != nil {
		return nil, "", err
	}
	person, err := getStaff(ctx, db, scope, orgID, externalID)
	if err != nil {
		return nil, "", err
	}
	var w filter
	w.add("e.staff_id = ?", person.ID)
	if f.Skill != "" {
		w.add("k.code = ?", f.Skill)
	}
	return selectPage(ctx, db, evidenceSelect, &w, newestFirst("e.id"), page, always(evidenceRow.evidence),
		func(e models.Evidence) int64 { return e.ID })
}

// Competencies derives a person's current level in every skill they hold or their role
// requires, at a moment (now for the present).
func (db *DB) Competencies(ctx context.Context, scope models.Scope, orgID int64, externalID string, at time.Time) ([]models.Competency, error) {
	person, err := getStaff(ctx, db, scope, orgID, externalID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Skill         string     `db:"skill"`
		Name          string     `db:"name"`
		Tier          string     `db:"tier"`
		Verified      int        `db:"verified"`
		VerifiedUntil *time.Time `db:"verified_until"`
		Self          *int       `db:"self_level"`
		Required      int        `db:"required"`
		Criticality   *string    `db:"criticality"`
	}
	err = db.SelectContext(ctx, &rows, `
		WITH lev AS (SELECT * FROM evidence_levels(ARRAY[$1::bigint], $2)),
		req AS (
			SELECT k.effective_id AS skill_id, max(q.level) AS level,
			       CASE WHEN bool_or(q.criticality = 'essential') THEN 'essential' ELSE 'desirable' END AS criticality
			  FROM staff s JOIN role_requirements q ON q.role_id = s.role_id JOIN skills k ON k.id = q.skill_id
			 WHERE s.id = $1 GROUP BY 1)
		SELECT k.code AS skill, k.name, COALESCE(k.survey_tier, '') AS tier, COALESCE(lev.verified, 0) AS verified, lev.verified_until,
		       lev.self_level, COALESCE(req.level, 0) AS required, req.criticality
		  FROM lev FULL JOIN req ON req.skill_id = lev.skill_id
		  JOIN skills k ON k.id = COALESCE(lev.skill_id, req.skill_id)
		 ORDER BY k.position, k.code`, person.ID, at)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.Competency, len(rows))
	for i, r := range rows {
		out[i] = models.Competency{
			Skill: r.Skill, Name: r.Name, Tier: r.Tier, VerifiedLevel: r.Verified, VerifiedUntil: r.VerifiedUntil,
			SelfLevel: r.Self, RequiredLevel: r.Required, Criticality: deref(r.Criticality),
			Depth: models.Depth(r.Required, r.Verified),
		}
	}
	return out, nil
}
