package service

import (
	"context"

	"cyberskills/models"
)

// roleOwner is whose roles a call is about: the global templates (org nil) or one
// organisation's own roles, within the caller's scope.
func roleOwner(p models.Principal, org *models.OrgRef) models.RoleOwner {
	owner := models.RoleOwner{Scope: p.Scope()}
	if org != nil {
		owner.OrgID = org.ID
	}
	return owner
}

// Roles lists the templates (org nil) or an organisation's own roles by code.
func (s *Service) Roles(ctx context.Context, p models.Principal, org *models.OrgRef, search string, page models.Page) ([]models.JobRole, string, error) {
	return s.db.ListRoles(ctx, roleOwner(p, org), search, page)
}

// Role is one template (org nil) or one of an organisation's own roles.
func (s *Service) Role(ctx context.Context, p models.Principal, org *models.OrgRef, code string) (models.JobRole, error) {
	return s.db.GetRole(ctx, roleOwner(p, org), code)
}

// CreateRole adds a role with its requirements; an existing code is a conflict.
func (s *Service) CreateRole(ctx context.Context, p models.Principal, org *models.OrgRef, role models.JobRole) (models.JobRole, error) {
	if err := role.Validate(); err != nil {
		return models.JobRole{}, err
	}
	return s.db.CreateRole(ctx, roleOwner(p, org), role)
}

// PutRole creates the role, or replaces it when it exists (isNew says which): a PUT is
// idempotent, and a repeated one changes nothing. Changed requirements update every
// holder's gaps.
func (s *Service) PutRole(ctx context.Context, p models.Principal, org *models.OrgRef, role models.JobRole) (saved models.JobRole, isNew bool, err error) {
	if err := role.Validate(); err != nil {
		return models.JobRole{}, false, err
	}
	owner := roleOwner(p, org)
	saved, err = s.db.ReplaceRole(ctx, owner, role)
	if models.ErrorCode(err) != models.ENOTFOUND {
		return saved, false, err
	}
	saved, err = s.db.CreateRole(ctx, owner, role)
	if models.ErrorCode(err) == models.ECONFLICT { // created meanwhile by another request
		saved, err = s.db.ReplaceRole(ctx, owner, role)
		return saved, false, err
	}
	return saved, err == nil, err
}

// ReplaceRole replaces a role that exists (a PATCH, once merged).
func (s *Service) ReplaceRole(ctx context.Context, p models.Principal, org *models.OrgRef, role models.JobRole) (models.JobRole, error) {
	if err := role.Validate(); err != nil {
		return models.JobRole{}, err
	}
	return s.db.ReplaceRole(ctx, roleOwner(p, org), role)
}

// DeleteRole removes a role nobody holds.
func (s *Service) DeleteRole(ctx context.Context, p models.Principal, org *models.OrgRef, code string) error {
	return s.db.DeleteRole(ctx, roleOwner(p, org), code)
}
