package service

import (
	"context"

	"cyberskills/models"
)

// enrolmentAccess is what the caller reaches of an organisation's enrolments: hr and
// admin its subtree within their scope, a trainer only enrolments on its own courses (a
// trainer has no organisation scope, and sees nothing else of the organisation).
func enrolmentAccess(p models.Principal) models.EnrolmentAccess {
	if p.Role == models.RoleTrainer {
		return models.EnrolmentAccess{Provider: p.Provider}
	}
	return models.EnrolmentAccess{Scope: p.Scope()}
}

// Enrolments lists the enrolments of the organisation's staff (and everything below it)
// that the caller reaches, newest first.
func (s *Service) Enrolments(ctx context.Context, p models.Principal, org models.OrgRef, f models.EnrolmentFilter, page models.Page) ([]models.Enrolment, string, error) {
	return s.db.ListEnrolments(ctx, enrolmentAccess(p), org.ID, f, page)
}

// Enrol enrols a person of the organisation on a course, by hr of the organisation or by
// the provider that owns the course, recording who enrolled them and when.
func (s *Service) Enrol(ctx context.Context, p models.Principal, org models.OrgRef, n models.NewEnrolment) (models.Enrolment, error) {
	return s.db.Enrol(ctx, enrolmentAccess(p), org.ID, n, p.TokenID, s.now())
}

// Withdraw ends an open enrolment the caller reaches without completion, now.
func (s *Service) Withdraw(ctx context.Context, p models.Principal, org models.OrgRef, id int64) (models.Enrolment, error) {
	return s.db.Withdraw(ctx, enrolmentAccess(p), org.ID, id, s.now())
}
