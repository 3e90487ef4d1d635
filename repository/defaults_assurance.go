package repository

import (
	"context"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// loadDefaultAssurance makes the default training needs analysis (each staff group's
// requirement, and the key roles the role templates carry) that of
// defaults/assurance.json. As with the capability targets, nothing else writes these
// tables (organisations override them with their own), so they follow the file.
func loadDefaultAssurance(ctx context.Context, db *DB) (bool, error) {
	var doc struct {
		Requirements []models.TrainingRequirement `json:"requirements"`
		Roles        []models.RoleKeyRoles        `json:"roles"`
	}
	if err := readDefaults("defaults/assurance.json", &doc); err != nil {
		return false, err
	}
	var changed bool
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE default_training_requirements, default_key_role_roles IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		reqs, err := followFile(ctx, tx, "default_training_requirements", "audience, skill_id, level, refresh_months, reason",
			`SELECT r.audience, k.id, r.level::smallint, r.refresh_months, r.reason
			   FROM jsonb_to_recordset($1::jsonb) AS r (audience text, skill text, level int, refresh_months int, reason text)
			   JOIN skills k ON k.code = r.skill AND k.framework_id = (SELECT id FROM frameworks WHERE is_default)`,
			jsonText(doc.Requirements))
		if err != nil {
			return err
		}
		roles, err := followFile(ctx, tx, "default_key_role_roles", "role_code, key_roles",
			`SELECT r.role, ARRAY(SELECT jsonb_array_elements_text(r.key_roles))
			   FROM jsonb_to_recordset($1::jsonb) AS r (role text, key_roles jsonb)`,
			jsonText(doc.Roles))
		changed = reqs || roles
		return err
	})
	return changed && err == nil, err
}
