package service

import (
	"context"
	"io"

	"cyberskills/models"
	"cyberskills/models/exchange"
)

// Organisation metadata is public NHS reference data: admin, trainer and analyst tokens
// read all of it, an hr token its own subtree (models.Principal.OrganisationScope).
// Writes are scoped by the caller's tenant scope, and the hr rules on top of it
// (models.CheckOrganisationWrite) are applied to the stored row, under its lock, where
// it is written.

// Organisations lists the organisations the caller may read, ordered by code.
func (s *Service) Organisations(ctx context.Context, p models.Principal, f models.OrganisationFilter, page models.Page) ([]models.Organisation, string, error) {
	return s.db.ListOrganisations(ctx, p.OrganisationScope(), f, page)
}

// OrganisationByCode is one organisation the caller may read.
func (s *Service) OrganisationByCode(ctx context.Context, p models.Principal, code string) (models.Organisation, error) {
	return s.db.GetOrganisation(ctx, p.OrganisationScope(), code)
}

// OrganisationInput is an organisation as a client writes it: its fields, and whether it
// is active when the client says so (nil: open unless its close date has passed).
type OrganisationInput struct {
	Organisation models.Organisation
	Active       *bool
}

// organisation is the input normalised, its active flag resolved, and validated, as of today.
func (s *Service) organisation(in OrganisationInput) (models.Organisation, error) {
	today := models.TodayAt(s.now())
	o := in.Organisation
	o.Normalize()
	o.ResolveActive(in.Active, today)
	return o, o.Validate(today)
}

// CreateOrganisation adds an organisation under its parent.
func (s *Service) CreateOrganisation(ctx context.Context, p models.Principal, in OrganisationInput) (models.Organisation, error) {
	o, err := s.organisation(in)
	if err != nil {
		return models.Organisation{}, err
	}
	return s.db.CreateOrganisation(ctx, p.Scope(), o)
}

// PutOrganisation creates or replaces an organisation and reports whether it was
// created; writing what is stored already changes nothing.
func (s *Service) PutOrganisation(ctx context.Context, p models.Principal, in OrganisationInput) (models.Organisation, bool, error) {
	o, err := s.organisation(in)
	if err != nil {
		return models.Organisation{}, false, err
	}
	return s.db.PutOrganisation(ctx, p.Scope(), o)
}

// PatchOrganisation applies a merge patch to an organisation; when its close date
// changes and the patch does not say whether it is active, active follows the dates as
// of today.
func (s *Service) PatchOrganisation(ctx context.Context, p models.Principal, code string, patch models.OrganisationPatch) (models.Organisation, error) {
	return s.db.PatchOrganisation(ctx, p.Scope(), code, patch, models.TodayAt(s.now()))
}

// DeleteOrganisation deletes an organisation without children that nothing refers to.
func (s *Service) DeleteOrganisation(ctx context.Context, p models.Principal, code string) error {
	return s.db.DeleteOrganisation(ctx, p.Scope(), code)
}

// ImportOrganisations reads a whole file of organisations (format and extract empty:
// detected) and upserts it in one transaction, or nothing when any row is bad. Whether
// an organisation is active follows its dates (and an extract's status) as of today,
// the day missing organisations are retired on when opts ask for it.
func (s *Service) ImportOrganisations(ctx context.Context, r io.Reader, opts models.OrganisationImportOptions) (models.OrganisationImportResult, error) {
	today := models.TodayAt(s.now())
	imp, err := exchange.ParseOrganisations(r, opts, today)
	if err != nil {
		return models.OrganisationImportResult{}, err
	}
	models.ProgressOf(ctx).Rows(len(imp.Rows) + len(imp.Errors))
	if opts.RetireMissing && len(imp.Errors) == 0 {
		if err := imp.CheckRetire(); err != nil {
			return models.OrganisationImportResult{}, err
		}
	}
	return s.db.ImportOrganisations(ctx, imp, opts.RetireMissing, today)
}
