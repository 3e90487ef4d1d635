package service

import (
	"context"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// providerOf is whose person mappings and outcomes the caller works with: a trainer's own
// provider's, or the one an administrator names ("" naming every provider, for reading).
func providerOf(p models.Principal, named string) string {
	if p.Role == models.RoleTrainer {
		return p.Provider
	}
	return named
}

// ImportPersonMappings loads a mappings file for the caller's provider (an administrator
// names one), all or nothing unless mode is partial.
func (s *Service) ImportPersonMappings(ctx context.Context, p models.Principal, provider string, mode models.ImportMode,
	next func() (xapi.MappingRow, error)) (models.ImportReport, error) {
	provider = providerOf(p, provider)
	if provider == "" {
		return models.ImportReport{}, models.Invalid(models.FieldError{Field: "provider", Message: "is required: the provider whose statements the mappings are for"})
	}
	return s.db.ImportPersonMappings(ctx, provider, mode, next)
}

// PersonMappings lists the caller's provider's mappings, optionally of one organisation.
func (s *Service) PersonMappings(ctx context.Context, p models.Principal, provider, organisation string, page models.Page) ([]xapi.PersonMapping, string, error) {
	return s.db.ListPersonMappings(ctx, providerOf(p, provider), organisation, page)
}

// DeletePersonMapping removes one of the caller's provider's mappings.
func (s *Service) DeletePersonMapping(ctx context.Context, p models.Principal, id int64) error {
	return s.db.DeletePersonMapping(ctx, providerOf(p, ""), id)
}

// StatementOutcomes lists what became of the caller's provider's statements.
func (s *Service) StatementOutcomes(ctx context.Context, p models.Principal, provider string, f xapi.OutcomeFilter, page models.Page) ([]xapi.Outcome, string, error) {
	return s.db.ListStatementOutcomes(ctx, providerOf(p, provider), f, page)
}
