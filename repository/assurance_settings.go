package repository

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// sourceOf names where a setting in force comes from: the default (no owner), the
// organisation's own, or an ancestor's own (from).
func sourceOf(owner *string, self string) (source, from string) {
	switch {
	case owner == nil:
		return "default", ""
	case *owner == self:
		return "organisation", ""
	}
	return "inherited", *owner
}

// TrainingRequirements lists the requirement in force for each staff group of an
// organisation: its own, else its nearest ancestor's own, else the default.
func (db *DB) TrainingRequirements(ctx context.Context, scope models.Scope, orgID int64) ([]models.TrainingRequirement, error) {
	return trainingRequirements(ctx, db, scope, orgID)
}

func trainingRequirements(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64) ([]models.TrainingRequirement, error) {
	cond, args := scopeCondition("o.id", scope)
	var rows []struct {
		Audience      string  `db:"audience"`
		Skill         string  `db:"skill"`
		SkillName     string  `db:"skill_name"`
		Level         int     `db:"level"`
		RefreshMonths int     `db:"refresh_months"`
		Reason        string  `db:"reason"`
		Owner         *string `db:"owner"`
		Self          string  `db:"self"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT r.audience, k.code AS skill, k.name AS skill_name, r.level, r.refresh_months, r.reason, w.code AS owner, o.code AS self
		  FROM organisations o
		 CROSS JOIN LATERAL training_requirements_of(ARRAY[o.id]) r
		  JOIN skills k ON k.id = r.skill_id
		  LEFT JOIN organisations w ON w.id = r.source_org
		 WHERE o.id = ? AND `+cond), append([]any{orgID}, args...)...)
	byAudience := map[models.Audience]models.TrainingRequirement{}
	for _, r := range rows {
		t := models.TrainingRequirement{Audience: models.Audience(r.Audience), Skill: r.Skill, SkillName: r.SkillName, Level: r.Level,
			RefreshMonths: r.RefreshMonths, Reason: r.Reason}
		t.Source, t.From = sourceOf(r.Owner, r.Self)
		byAudience[t.Audience] = t
	}
	out := []models.TrainingRequirement{}
	for _, a := range models.Audiences() {
		if t, ok := byAudience[a]; ok {
			out = append(out, t)
		}
	}
	return out, translate(err)
}

// SetTrainingRequirements replaces an organisation's own requirements (staff groups not
// listed fall back to an ancestor's or the default) and returns those in force.
func (db *DB) SetTrainingRequirements(ctx context.Context, scope models.Scope, orgID int64, rs []models.TrainingRequirement) ([]models.TrainingRequirement, error) {
	if err := models.ValidateTrainingRequirements(rs); err != nil {
		return nil, err
	}
	var out []models.TrainingRequirement
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		ids, err := clearSkillRows(ctx, tx, scope, orgID, "training_requirements", "requirements", rs,
			func(r models.TrainingRequirement) string { return r.Skill })
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO training_requirements (organisation_id, audience, skill_id, level, refresh_months, reason)
			SELECT $1::bigint, r.audience, ($2::jsonb ->> r.skill)::bigint, r.level, r.refresh_months, r.reason
			  FROM jsonb_to_recordset($3::jsonb) AS r (audience text, skill text, level smallint, refresh_months int, reason text)`,
			orgID, jsonText(ids), jsonText(rs)); err != nil {
			return err
		}
		out, err = trainingRequirements(ctx, tx, scope, orgID)
		return err
	})
	return out, err
}

// KeyRoles lists the key roles of an organisation: those each role code carries in force
// (its own lists, else its nearest ancestor's, else the defaults) and its own staff's
// appointments.
func (db *DB) KeyRoles(ctx context.Context, scope models.Scope, orgID int64) (models.KeyRoles, error) {
	return keyRoles(ctx, db, scope, orgID)
}

func keyRoles(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64) (models.KeyRoles, error) {
	out := models.KeyRoles{Roles: []models.RoleKeyRoles{}, Staff: []models.StaffKeyRoles{}}
	cond, args := scopeCondition("o.id", scope)
	var roles []struct {
		Role     string         `db:"role_code"`
		KeyRoles pq.StringArray `db:"key_roles"`
		Owner    *string        `db:"owner"`
		Self     string         `db:"self"`
	}
	if err := sqlx.SelectContext(ctx, q, &roles, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT f.role_code, f.key_roles, w.code AS owner, o.code AS self
		  FROM organisations o
		 CROSS JOIN LATERAL key_role_flags_of(ARRAY[o.id]) f
		  LEFT JOIN organisations w ON w.id = f.source_org
		 WHERE o.id = ? AND `+cond+`
		 ORDER BY f.role_code`), append([]any{orgID}, args...)...); err != nil {
		return out, translate(err)
	}
	for _, r := range roles {
		k := models.RoleKeyRoles{Role: r.Role, KeyRoles: audiences(r.KeyRoles)}
		k.Source, k.From = sourceOf(r.Owner, r.Self)
		out.Roles = append(out.Roles, k)
	}
	var staff []struct {
		ExternalID string         `db:"external_id"`
		KeyRoles   pq.StringArray `db:"key_roles"`
	}
	cond, args = scopeCondition("a.organisation_id", scope)
	err := sqlx.SelectContext(ctx, q, &staff, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT s.external_id, array_agg(a.key_role ORDER BY a.key_role) AS key_roles
		  FROM key_role_staff a JOIN staff s ON s.id = a.staff_id
		 WHERE a.organisation_id = ? AND `+cond+`
		 GROUP BY s.external_id ORDER BY s.external_id`), append([]any{orgID}, args...)...)
	for _, s := range staff {
		out.Staff = append(out.Staff, models.StaffKeyRoles{ExternalID: s.ExternalID, KeyRoles: audiences(s.KeyRoles)})
	}
	return out, translate(err)
}

// SetKeyRoles replaces an organisation's own key role lists for role codes and its
// staff's appointments, and returns the key roles in force. An appointee is an active
// member of the organisation's own staff, named by external id.
func (db *DB) SetKeyRoles(ctx context.Context, scope models.Scope, orgID int64, k models.KeyRoles) (models.KeyRoles, error) {
	if err := models.ValidateKeyRoles(k); err != nil {
		return models.KeyRoles{}, err
	}
	var out models.KeyRoles
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		rolesErr := knownRoleCodes(ctx, tx, orgID, k.Roles)
		ids, staffErr := appointees(ctx, tx, orgID, k.Staff)
		if err := invalidTogether(rolesErr, staffErr); err != nil {
			return err
		}
		cond, args := scopeCondition("organisation_id", scope)
		for _, table := range []string{"key_role_roles", "key_role_staff"} {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+table+` WHERE organisation_id = ? AND `+cond),
				append([]any{orgID}, args...)...); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO key_role_roles (organisation_id, role_code, key_roles)
			SELECT $1::bigint, r.role, ARRAY(SELECT jsonb_array_elements_text(r.key_roles))
			  FROM jsonb_to_recordset($2::jsonb) AS r (role text, key_roles jsonb)`, orgID, jsonText(k.Roles)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO key_role_staff (organisation_id, staff_id, key_role)
			SELECT DISTINCT $1::bigint, ($2::jsonb ->> r.external_id)::bigint, jsonb_array_elements_text(r.key_roles)
			  FROM jsonb_to_recordset($3::jsonb) AS r (external_id text, key_roles jsonb)`,
			orgID, jsonText(ids), jsonText(k.Staff)); err != nil {
			return err
		}
		var err error
		out, err = keyRoles(ctx, tx, scope, orgID)
		return err
	})
	return out, err
}

// appointees resolves the external ids of appointments among the organisation's active
// staff, naming each one that is not as staff[i].external_id.
func appointees(ctx context.Context, q sqlx.QueryerContext, orgID int64, staff []models.StaffKeyRoles) (map[string]int64, error) {
	codes := make([]string, len(staff))
	for i, s := range staff {
		codes[i] = s.ExternalID
	}
	var rows []struct {
		ExternalID string `db:"external_id"`
		ID         int64  `db:"id"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `
		SELECT external_id, id FROM staff
		 WHERE organisation_id = $1 AND status = 'active' AND external_id = ANY ($2)`, orgID, stringArray(codes)); err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.ExternalID] = r.ID
	}
	var v models.Validator
	for i, c := range codes {
		v.Check(ids[c] != 0, "staff["+strconv.Itoa(i)+"].external_id", "no active member of this organisation's staff has external id "+strconv.Quote(c))
	}
	return ids, v.Err()
}

// audiences are key role names as read from the database.
func audiences(names []string) []models.Audience {
	out := make([]models.Audience, len(names))
	for i, n := range names {
		out[i] = models.Audience(n)
	}
	return out
}

// knownRoleCodes checks that each role code names a template or a role of the
// organisation, its ancestors or its subtree, naming each that does not as
// roles[i].role: a typing error would otherwise flag nobody, in silence.
func knownRoleCodes(ctx context.Context, q sqlx.QueryerContext, orgID int64, roles []models.RoleKeyRoles) error {
	codes := make([]string, len(roles))
	for i, r := range roles {
		codes[i] = r.Role
	}
	var unknown []string
	if err := sqlx.SelectContext(ctx, q, &unknown, `
		SELECT c FROM unnest($2::text[]) AS c
		 WHERE NOT EXISTS (SELECT 1 FROM job_roles r WHERE r.code = c AND (r.organisation_id IS NULL
		        OR r.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1)
		        OR r.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $1)))`,
		orgID, stringArray(codes)); err != nil {
		return err
	}
	var v models.Validator
	for i, c := range codes {
		v.Check(!slices.Contains(unknown, c), "roles["+strconv.Itoa(i)+"].role", "no role "+strconv.Quote(c)+" for this organisation, below it or as a template")
	}
	return v.Err()
}

// invalidTogether reports two checks' field errors as one problem, so that a caller
// learns every bad field at once; any other error comes first, as it is.
func invalidTogether(a, b error) error {
	var fields []models.FieldError
	for _, err := range []error{a, b} {
		var e *models.Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Code == models.EINVALID:
			fields = append(fields, e.Fields...)
		default:
			return err
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return models.Invalid(fields...)
}
