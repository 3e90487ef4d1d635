package service

import (
	"context"

	"cyberskills/models"
)

// StaffList lists an organisation's staff by external id, a page at a time.
func (s *Service) StaffList(ctx context.Context, p models.Principal, org models.OrgRef, f models.StaffFilter, page models.Page) ([]models.Staff, string, error) {
	return s.db.ListStaff(ctx, p.Scope(), org.ID, f, page)
}

// Staff is one person of an organisation.
func (s *Service) Staff(ctx context.Context, p models.Principal, org models.OrgRef, externalID string) (models.Staff, error) {
	return s.db.GetStaff(ctx, p.Scope(), org.ID, externalID)
}

// CreateStaff adds a person; an external id the organisation has is a conflict.
func (s *Service) CreateStaff(ctx context.Context, p models.Principal, org models.OrgRef, st models.Staff) (models.Staff, error) {
	if err := st.Validate(); err != nil {
		return models.Staff{}, err
	}
	return s.db.CreateStaff(ctx, p.Scope(), org.ID, st)
}

// PutStaff creates the person with externalID, or replaces them when they exist (isNew
// says which); st.Organisation, another organisation in scope, moves them there.
func (s *Service) PutStaff(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, st models.Staff) (saved models.Staff, isNew bool, err error) {
	if err := st.Validate(); err != nil {
		return models.Staff{}, false, err
	}
	saved, err = s.db.ReplaceStaff(ctx, p.Scope(), org.ID, externalID, st)
	if models.ErrorCode(err) != models.ENOTFOUND {
		return saved, false, err
	}
	saved, err = s.db.CreateStaff(ctx, p.Scope(), org.ID, st)
	if models.ErrorCode(err) == models.ECONFLICT { // created meanwhile by another request
		saved, err = s.db.ReplaceStaff(ctx, p.Scope(), org.ID, externalID, st)
		return saved, false, err
	}
	return saved, err == nil, err
}

// ReplaceStaff replaces an existing person (a PATCH, once merged).
func (s *Service) ReplaceStaff(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, st models.Staff) (models.Staff, error) {
	if err := st.Validate(); err != nil {
		return models.Staff{}, err
	}
	return s.db.ReplaceStaff(ctx, p.Scope(), org.ID, externalID, st)
}

// MarkLeaver records that a person left today; with erase, their personal fields go for good.
func (s *Service) MarkLeaver(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, erase bool) (models.Staff, error) {
	return s.db.MarkLeaver(ctx, p.Scope(), org.ID, externalID, erase, s.now())
}

// ImportStaff loads a staff file for an organisation, all or nothing unless the mode is
// partial; with mark leavers, active staff absent from the file leave today. next
// returns io.EOF after the last row.
func (s *Service) ImportStaff(ctx context.Context, org models.OrgRef, mode models.ImportMode, markLeavers bool, next func() (models.StaffImportRow, error)) (models.ImportReport, error) {
	return s.db.ImportStaff(ctx, org.ID, models.StaffImportOptions{Mode: mode, MarkLeavers: markLeavers, Now: s.now()}, next)
}
