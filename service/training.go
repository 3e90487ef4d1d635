package service

import (
	"context"

	"cyberskills/models"
	"cyberskills/models/xapi"
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
	return s.db.DeleteCourse(ctx, courseAccess(p), code)
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

// statementProvider is the provider whose courses statements may be about: a trainer's
// own; any for an admin (""), the course's provider then owning the statement.
func statementProvider(p models.Principal) string {
	if p.Role == models.RoleTrainer {
		return p.Provider
	}
	return ""
}

// RecordStatements reads a body of one xAPI statement or an array of them, gives those
// without an id a new one, and stores them all or nothing, as of now. It returns the
// statement ids in order.
func (s *Service) RecordStatements(ctx context.Context, p models.Principal, body []byte) ([]string, error) {
	now := s.now()
	stmts, _, err := xapi.ParseStatements(body, now)
	if err != nil {
		return nil, err
	}
	xapi.AssignStatementIDs(stmts)
	if err := s.db.RecordStatements(ctx, statementProvider(p), stmts, p.TokenID, now); err != nil {
		return nil, err
	}
	ids := make([]string, len(stmts))
	for i, st := range stmts {
		ids[i] = st.ID
	}
	return ids, nil
}

// PutStatement reads a body of one xAPI statement and stores it under id (the Statement
// Resource's statementId, lower case), as of now: an id in the statement must be the same.
func (s *Service) PutStatement(ctx context.Context, p models.Principal, id string, body []byte) error {
	now := s.now()
	stmts, array, err := xapi.ParseStatements(body, now)
	switch {
	case err != nil:
		return err
	case !xapi.ValidUUID(id):
		return models.Invalid(models.FieldError{Field: "statementId", Message: "is required: the statement's UUID"})
	case array:
		return models.Invalid(models.FieldError{Field: "body", Message: "must be one statement; POST takes arrays"})
	case stmts[0].ID != "" && stmts[0].ID != id:
		return models.Invalid(models.FieldError{Field: "id", Message: "must match the statementId parameter"})
	}
	stmts[0].ID = id
	return s.db.RecordStatements(ctx, statementProvider(p), stmts, p.TokenID, now)
}
