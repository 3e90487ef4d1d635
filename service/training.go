package service

import (
	"context"

	"cyberskills/models"
)

// courseAccess is whose courses the caller may see: a trainer its own provider's, admin
// and hr (who plan training) the whole catalogue. Routes keep hr to reading.
func courseAccess(p models.Principal) models.CourseAccess {
	switch p.Role {
	case models.RoleAdmin, models.RoleHR:
		return models.CourseAccess{All: true}
	case models.RoleTrainer:
		return models.CourseAccess{Provider: p.Provider}
	}
	return models.CourseAccess{}
}

// Courses lists the catalogue the caller may see by code, retired courses left out.
func (s *Service) Courses(ctx context.Context, p models.Principal, f models.CourseFilter, page models.Page) ([]models.Course, string, error) {
	return s.db.ListCourses(ctx, courseAccess(p), f, page)
}

// Course is one course the caller may see, retired or not.
func (s *Service) Course(ctx context.Context, p models.Principal, code string) (models.Course, error) {
	return s.db.GetCourse(ctx, courseAccess(p), code)
}

// CreateCourse creates a course: a trainer's own provider's, or the provider an admin
// names. An existing code is a conflict.
func (s *Service) CreateCourse(ctx context.Context, p models.Principal, c models.Course) (models.Course, error) {
	saved, _, err := s.db.SaveCourse(ctx, courseAccess(p), c, true)
	return saved, err
}

// PutCourse creates or replaces a course, bringing a retired one back, and reports
// whether it is new. Another provider's course is not found for a trainer.
func (s *Service) PutCourse(ctx context.Context, p models.Principal, c models.Course) (models.Course, bool, error) {
	return s.db.SaveCourse(ctx, courseAccess(p), c, false)
}

// DeleteCourse removes a course without history, or retires one with history so that its
// records keep their meaning: the retired course is returned, nil when it was removed.
func (s *Service) DeleteCourse(ctx context.Context, p models.Principal, code string) (*models.Course, error) {
	return s.db.DeleteCourse(ctx, courseAccess(p), code, s.now())
}

// RecordCompletions reads a body of one completion or an array of them and records them
// all or nothing, as of now. A trainer's items are its own provider's (naming another is
// invalid); an admin's items that name no provider get provider.
func (s *Service) RecordCompletions(ctx context.Context, p models.Principal, body []byte, provider string) (models.CompletionsResult, error) {
	ownOnly := p.Role != models.RoleAdmin
	if ownOnly {
		provider = p.Provider
	}
	now := s.now()
	items, err := models.ParseCompletions(body, provider, ownOnly, now)
	if err != nil {
		return models.CompletionsResult{}, err
	}
	results, err := s.db.RecordCompletions(ctx, items, p.TokenID, now)
	return models.CompletionsResult{Items: results}, err
}
