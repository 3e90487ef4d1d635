package service

import (
	"context"
	"time"

	"cyberskills/models"
)

// Competencies are a person's levels in every skill they hold or their role requires, as
// of at (nil: now).
func (s *Service) Competencies(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, at *time.Time) (models.Competencies, error) {
	when := s.now()
	if at != nil {
		when = *at
	}
	items, err := s.db.Competencies(ctx, p.Scope(), org.ID, externalID, when)
	if items == nil {
		items = []models.Competency{}
	}
	return models.Competencies{Organisation: org.Code, ExternalID: externalID, At: when, Items: items}, err
}

// Evidence lists a person's evidence, newest first, a page at a time.
func (s *Service) Evidence(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, f models.EvidenceFilter, page models.Page) ([]models.Evidence, string, error) {
	return s.db.ListEvidence(ctx, p.Scope(), org.ID, externalID, f, page)
}

// AddEvidence appends a record for a person of the organisation named by code, as
// posted by the caller, assessed now unless it says when. The organisation is resolved
// within scope by the insert itself: this is the busiest write, and one statement fewer
// is a tenth more throughput.
func (s *Service) AddEvidence(ctx context.Context, p models.Principal, orgCode, externalID string, e models.NewEvidence) (models.Evidence, error) {
	return s.db.AddEvidence(ctx, p.Scope(), orgCode, externalID, e, p.TokenID, s.now())
}

// ImportEvidence appends an evidence file for an organisation's staff, all or nothing
// unless the mode is partial; rows without an assessment time are assessed at, the
// instant the file was sent (a job may start later). next returns io.EOF after the last row.
func (s *Service) ImportEvidence(ctx context.Context, p models.Principal, org models.OrgRef, mode models.ImportMode, at time.Time,
	next func() (models.EvidenceImportRow, error)) (models.ImportReport, error) {
	return s.db.ImportEvidence(ctx, org.ID, mode, p.TokenID, at, next)
}
