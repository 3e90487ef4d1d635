package repository

import (
	"context"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// evidenceNames are what an evidence file's rows name, resolved: the organisation's
// people by external id, and the skills by framework and code ("" is the default
// framework).
type evidenceNames struct {
	people map[string]evidencePerson
	skills map[[2]string]evidenceSkill
}

type evidencePerson struct {
	ID     int64
	Erased bool // an erased person's record is never written again
}

type evidenceSkill struct {
	ID      int64
	Version int // the framework's version, recorded with the evidence
}

// readEvidenceNames reads the organisation's people (erased ones too, to say so) and
// every framework's skills.
func readEvidenceNames(ctx context.Context, tx *sqlx.Tx, orgID int64) (evidenceNames, error) {
	names := evidenceNames{people: map[string]evidencePerson{}, skills: map[[2]string]evidenceSkill{}}
	rows, err := tx.QueryContext(ctx, `SELECT external_id, id, erased_at IS NOT NULL FROM staff WHERE organisation_id = $1`, orgID)
	if err != nil {
		return names, err
	}
	defer rows.Close()
	for rows.Next() {
		var externalID string
		var p evidencePerson
		if err := rows.Scan(&externalID, &p.ID, &p.Erased); err != nil {
			return names, err
		}
		names.people[externalID] = p
	}
	if err := rows.Err(); err != nil {
		return names, err
	}
	var skills []struct {
		Framework string `db:"framework"`
		IsDefault bool   `db:"is_default"`
		Code      string `db:"code"`
		ID        int64  `db:"id"`
		Version   int    `db:"version"`
	}
	if err := tx.SelectContext(ctx, &skills, `
		SELECT f.code AS framework, f.is_default, k.code, k.id, f.version FROM skills k JOIN frameworks f ON f.id = k.framework_id`); err != nil {
		return names, err
	}
	for _, k := range skills {
		names.skills[[2]string{k.Framework, k.Code}] = evidenceSkill{ID: k.ID, Version: k.Version}
		if k.IsDefault {
			names.skills[[2]string{"", k.Code}] = evidenceSkill{ID: k.ID, Version: k.Version}
		}
	}
	return names, nil
}

// resolve finds a row's person and skill, or says why the row is rejected: a person not
// in the organisation or erased, a skill not in the named framework (or the default).
func (n evidenceNames) resolve(row models.EvidenceImportRow) (evidencePerson, evidenceSkill, *models.RejectedRow) {
	person, known := n.people[row.ExternalID]
	skill, skillKnown := n.skills[[2]string{row.Evidence.Framework, row.Evidence.Skill}]
	if known && !person.Erased && skillKnown {
		return person, skill, nil
	}
	if person.Erased && skillKnown {
		bad := models.ErasedRow(row.Line, row.ExternalID)
		return person, skill, &bad
	}
	var errs []models.FieldError
	if person.Erased {
		errs = append(errs, models.ErasedRow(row.Line, row.ExternalID).Errors...)
	}
	if !known {
		errs = append(errs, models.FieldError{Field: "external_id", Message: "no staff with this external id in the organisation"})
	}
	if !skillKnown {
		errs = append(errs, models.FieldError{Field: "skill", Message: "no skill " + row.Evidence.Skill + " in the framework"})
	}
	return person, skill, &models.RejectedRow{Line: row.Line, Key: row.ExternalID, Errors: errs}
}
