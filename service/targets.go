package service

import (
	"context"

	"cyberskills/models"
)

// Targets are the capability targets in force for an organisation: its own, and the
// defaults of its type and size band where it has none of its own.
func (s *Service) Targets(ctx context.Context, p models.Principal, org models.OrgRef) (models.TargetsList, error) {
	ts, err := s.db.Targets(ctx, p.Scope(), org.ID)
	return models.TargetsList{Organisation: org.Code, Targets: ts}, err
}

// SetTargets replaces an organisation's own targets.
func (s *Service) SetTargets(ctx context.Context, p models.Principal, org models.OrgRef, ts []models.SkillTarget) (models.TargetsList, error) {
	out, err := s.db.SetTargets(ctx, p.Scope(), org.ID, ts)
	return models.TargetsList{Organisation: org.Code, Targets: out}, err
}

// Coverage is the external coverage an organisation declares, each marked active when
// its contract runs today.
func (s *Service) Coverage(ctx context.Context, p models.Principal, org models.OrgRef) (models.CoverageList, error) {
	cs, err := s.db.Coverage(ctx, p.Scope(), org.ID, s.now())
	return models.CoverageList{Organisation: org.Code, Coverage: cs}, err
}

// SetCoverage replaces an organisation's external coverage declarations.
func (s *Service) SetCoverage(ctx context.Context, p models.Principal, org models.OrgRef, cs []models.SkillCoverage) (models.CoverageList, error) {
	out, err := s.db.SetCoverage(ctx, p.Scope(), org.ID, cs, s.now())
	return models.CoverageList{Organisation: org.Code, Coverage: out}, err
}

// Establishment is an organisation's funded posts by role and period; the period in
// force today says how many are filled and vacant.
func (s *Service) Establishment(ctx context.Context, p models.Principal, org models.OrgRef) (models.Establishment, error) {
	entries, err := s.db.Establishment(ctx, p.Scope(), org.ID, s.now())
	return models.Establishment{Organisation: org.Code, Entries: entries}, err
}

// SetEstablishment replaces the funded posts of the periods the entries name.
func (s *Service) SetEstablishment(ctx context.Context, p models.Principal, org models.OrgRef, entries []models.EstablishmentEntry) (models.Establishment, error) {
	out, err := s.db.SetEstablishment(ctx, p.Scope(), org.ID, entries, s.now())
	return models.Establishment{Organisation: org.Code, Entries: out}, err
}
