package repository

import (
	"context"
	"encoding/json"
	"fmt"

	"cyberskills/models"
)

// DefaultRoleTemplates are the embedded job role templates over the default framework.
func DefaultRoleTemplates() ([]models.JobRole, error) {
	b, err := defaultsFS.ReadFile("defaults/roles.json")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Framework string           `json:"framework"`
		Roles     []models.JobRole `json:"roles"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("defaults/roles.json: %w", err)
	}
	for i := range doc.Roles {
		doc.Roles[i].Framework = doc.Framework
	}
	return doc.Roles, nil
}

// loadDefaultRoles loads the role templates into an installation that has none, so that
// templates an administrator later changes or deletes stay that way.
func loadDefaultRoles(ctx context.Context, db *DB) error {
	var any bool
	if err := db.GetContext(ctx, &any, `SELECT EXISTS (SELECT 1 FROM job_roles WHERE organisation_id IS NULL)`); err != nil || any {
		return translate(err)
	}
	roles, err := DefaultRoleTemplates()
	if err != nil {
		return err
	}
	owner := models.RoleOwner{Scope: models.ScopeAll()}
	for _, r := range roles {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("role %s: %v", r.Code, describeFields(err))
		}
		if _, err := db.CreateRole(ctx, owner, r); err != nil && models.ErrorCode(err) != models.ECONFLICT {
			return fmt.Errorf("role %s: %v", r.Code, describeFields(err))
		}
	}
	return nil
}
