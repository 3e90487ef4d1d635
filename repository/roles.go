package repository

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type roleRow struct {
	ID           int64   `db:"id"`
	Code         string  `db:"code"`
	Title        string  `db:"title"`
	Description  string  `db:"description"`
	NiceRoleID   *string `db:"nice_role_id"`
	Framework    string  `db:"framework"`
	Organisation *string `db:"organisation"`
	Requirements []byte  `db:"requirements"`
}

func (r roleRow) role() (models.JobRole, error) {
	out := models.JobRole{
		Code: r.Code, Title: r.Title, Description: r.Description, NiceRoleID: deref(r.NiceRoleID),
		Framework: r.Framework, Organisation: deref(r.Organisation),
	}
	err := json.Unmarshal(r.Requirements, &out.Requirements)
	return out, err
}

const roleSelect = `
	SELECT r.id, r.code, r.title, r.description, r.nice_role_id, f.code AS framework, o.code AS organisation,
	       COALESCE((SELECT json_agg(json_build_object('skill', k.code, 'level', q.level, 'criticality', q.criticality,
	                                                   'framework', CASE WHEN kf.id <> r.framework_id THEN kf.code END)
	                                 ORDER BY k.framework_id <> r.framework_id, kf.code, k.position, k.code)
	                   FROM role_requirements q JOIN skills k ON k.id = q.skill_id JOIN frameworks kf ON kf.id = k.framework_id
	                  WHERE q.role_id = r.id), '[]') AS requirements
	  FROM job_roles r
	  JOIN frameworks f ON f.id = r.framework_id
	  LEFT JOIN organisations o ON o.id = r.organisation_id`

// ownerCondition restricts job_roles to an owner, re-applying the tenant scope in SQL.
func roleOwnerCondition(o models.RoleOwner, f *filter) {
	if o.OrgID == 0 {
		f.add("r.organisation_id IS NULL")
		return
	}
	f.add("r.organisation_id = ?", o.OrgID)
	f.scope("r.organisation_id", o.Scope)
}

// ListRoles lists an owner's roles by code, a page at a time.
func (db *DB) ListRoles(ctx context.Context, owner models.RoleOwner, q string, page models.Page) ([]models.JobRole, string, error) {
	var w filter
	roleOwnerCondition(owner, &w)
	if q != "" {
		w.add("(r.code ILIKE ? OR r.title ILIKE ?)", likePattern(q), likePattern(q))
	}
	return selectPage(ctx, db, roleSelect, &w, ascending("r.code"), page, roleRow.role, func(r models.JobRole) string { return r.Code })
}

// GetRole reads one of an owner's roles.
func (db *DB) GetRole(ctx context.Context, owner models.RoleOwner, code string) (models.JobRole, error) {
	return getRole(ctx, db, owner, code)
}

func getRole(ctx context.Context, q sqlx.QueryerContext, owner models.RoleOwner, code string) (models.JobRole, error) {
	var w filter
	roleOwnerCondition(owner, &w)
	w.add("r.code = ?", code)
	return selectOne(ctx, q, roleSelect, &w, models.Errorf(models.ENOTFOUND, "role %q not found", code), roleRow.role)
}

// CreateRole adds a role with its requirements for its owner; an existing code is a
// conflict.
func (db *DB) CreateRole(ctx context.Context, owner models.RoleOwner, role models.JobRole) (models.JobRole, error) {
	var saved models.JobRole
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := getRole(ctx, tx, owner, role.Code); err == nil {
			return models.Errorf(models.ECONFLICT, "role %q already exists", role.Code)
		} else if models.ErrorCode(err) != models.ENOTFOUND {
			return err
		}
		frameworkID, skillIDs, err := resolveRequirements(ctx, tx, role)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.GetContext(ctx, &id, `
			INSERT INTO job_roles (organisation_id, code, title, description, nice_role_id, framework_id)
			VALUES (NULLIF($1, 0), $2, $3, $4, NULLIF($5, ''), $6) RETURNING id`,
			owner.OrgID, role.Code, role.Title, role.Description, role.NiceRoleID, frameworkID); err != nil {
			return err
		}
		if err := replaceRequirements(ctx, tx, id, role.Requirements, skillIDs); err != nil {
			return err
		}
		saved, err = getRole(ctx, tx, owner, role.Code)
		return err
	})
	return saved, err
}

// ReplaceRole replaces an existing role's fields and requirements; only requirements that
// differ are written, so that the gap engine refreshes the holders only for real changes.
func (db *DB) ReplaceRole(ctx context.Context, owner models.RoleOwner, role models.JobRole) (models.JobRole, error) {
	var saved models.JobRole
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		frameworkID, skillIDs, err := resolveRequirements(ctx, tx, role)
		if err != nil {
			return err
		}
		var f filter
		roleOwnerCondition(owner, &f)
		f.add("r.code = ?", role.Code)
		var id int64
		err = tx.GetContext(ctx, &id, tx.Rebind(`
			UPDATE job_roles SET title = ?, description = ?, nice_role_id = NULLIF(?, ''), framework_id = ?, updated_at = now()
			 WHERE id = (SELECT r.id FROM job_roles r`+f.where()+`)
			 RETURNING id`), append([]any{role.Title, role.Description, role.NiceRoleID, frameworkID}, f.args...)...)
		if err != nil {
			return notFoundAs(err, models.Errorf(models.ENOTFOUND, "role %q not found", role.Code))
		}
		if err := replaceRequirements(ctx, tx, id, role.Requirements, skillIDs); err != nil {
			return err
		}
		saved, err = getRole(ctx, tx, owner, role.Code)
		return err
	})
	return saved, err
}

// resolveRequirements finds the role's framework (the default one when unnamed) and the
// ids of its required skills, each in its own framework when it names one, naming each
// unknown or deprecated skill. The ids are by requirementKey.
func resolveRequirements(ctx context.Context, tx *sqlx.Tx, role models.JobRole) (int64, map[string]int64, error) {
	frameworkID, _, err := resolveSkills(ctx, tx, role.Framework, nil, "requirements")
	if err != nil {
		return 0, nil, err
	}
	// Each framework's codes, at the requirements' own indexes so that errors name them.
	byFramework := map[string][]string{}
	for _, q := range role.Requirements {
		if _, ok := byFramework[q.Framework]; !ok {
			byFramework[q.Framework] = make([]string, len(role.Requirements))
		}
	}
	for i, q := range role.Requirements {
		byFramework[q.Framework][i] = q.Skill
	}
	ids := map[string]int64{}
	var fields []models.FieldError
	for _, fw := range slices.Sorted(maps.Keys(byFramework)) {
		name, codes := cmp.Or(fw, role.Framework), byFramework[fw]
		_, found, err := resolveSkills(ctx, tx, name, codes, "requirements")
		var e *models.Error
		switch {
		case errors.As(err, &e) && e.Code == models.EINVALID && len(e.Fields) == 1 && e.Fields[0].Field == "framework":
			i := slices.IndexFunc(codes, func(c string) bool { return c != "" })
			fields = append(fields, models.FieldError{Field: "requirements[" + strconv.Itoa(i) + "].framework", Message: e.Fields[0].Message})
		case errors.As(err, &e) && e.Code == models.EINVALID:
			fields = append(fields, e.Fields...)
		case err != nil:
			return 0, nil, err
		}
		for code, id := range found {
			ids[requirementKey(fw, code)] = id
		}
	}
	if len(fields) > 0 {
		return 0, nil, models.Invalid(fields...)
	}
	return frameworkID, ids, nil
}

func requirementKey(framework, skill string) string { return framework + "\x00" + skill }

// resolveSkills finds a framework (the default one when unnamed) and the ids of the
// skills named by codes, reporting each unknown or deprecated one as list[i].skill.
func resolveSkills(ctx context.Context, tx *sqlx.Tx, framework string, codes []string, list string) (int64, map[string]int64, error) {
	var frameworkID int64
	err := tx.GetContext(ctx, &frameworkID, `
		SELECT id FROM frameworks WHERE CASE WHEN $1 = '' THEN is_default ELSE code = $1 END ORDER BY id LIMIT 1`, framework)
	if err != nil {
		return 0, nil, notFoundAs(err, models.Invalid(models.FieldError{Field: "framework", Message: "no framework has this code"}))
	}
	var rows []struct {
		Code   string `db:"code"`
		ID     int64  `db:"id"`
		Status string `db:"status"`
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT code, id, status FROM skills WHERE framework_id = $1 AND code = ANY ($2)`,
		frameworkID, stringArray(codes)); err != nil {
		return 0, nil, err
	}
	ids := map[string]int64{}
	status := map[string]string{}
	for _, r := range rows {
		ids[r.Code], status[r.Code] = r.ID, r.Status
	}
	var v models.Validator
	for i, code := range codes {
		if code == "" {
			continue // another framework's, in a role's requirements
		}
		field := list + "[" + strconv.Itoa(i) + "].skill"
		v.Check(ids[code] != 0, field, "no skill "+strconv.Quote(code)+" in the framework")
		v.Check(ids[code] == 0 || status[code] == "active", field, "skill "+strconv.Quote(code)+" is deprecated")
	}
	return frameworkID, ids, v.Err()
}

// replaceRequirements makes the role's requirements exactly reqs, touching only rows that
// differ, so that the gap engine refreshes the role's holders only for real changes.
func replaceRequirements(ctx context.Context, tx *sqlx.Tx, roleID int64, reqs []models.Requirement, skillIDs map[string]int64) error {
	ids := make([]int64, len(reqs))
	levels := make([]int64, len(reqs))
	crits := make([]string, len(reqs))
	for i, q := range reqs {
		ids[i], levels[i], crits[i] = skillIDs[requirementKey(q.Framework, q.Skill)], int64(q.Level), string(q.Criticality)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_requirements WHERE role_id = $1 AND NOT (skill_id = ANY ($2))`,
		roleID, int64Array(ids)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO role_requirements (role_id, skill_id, level, criticality)
		SELECT $1, u.skill_id, u.level, u.criticality
		  FROM unnest($2::bigint[], $3::smallint[], $4::text[]) AS u (skill_id, level, criticality)
		ON CONFLICT (role_id, skill_id) DO UPDATE SET level = excluded.level, criticality = excluded.criticality
		 WHERE (role_requirements.level, role_requirements.criticality) IS DISTINCT FROM (excluded.level, excluded.criticality)`,
		roleID, int64Array(ids), int64Array(levels), stringArray(crits))
	return err
}

// DeleteRole removes a role that nobody holds; a role in use is a conflict.
func (db *DB) DeleteRole(ctx context.Context, owner models.RoleOwner, code string) error {
	var f filter
	roleOwnerCondition(owner, &f)
	f.add("r.code = ?", code)
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM job_roles WHERE id IN (SELECT r.id FROM job_roles r`+f.where()+`)`), f.args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return models.Errorf(models.ENOTFOUND, "role %q not found", code)
		}
		return nil
	})
	if models.ErrorCode(err) == models.ECONFLICT {
		return models.Errorf(models.ECONFLICT, "role %q is held by staff; move them to another role first", code)
	}
	return err
}
