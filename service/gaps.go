package service

import (
	"context"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

// GapOptions are the options every gap report shares: the level counted, the date it is
// as of (nil: now), and for the organisation report alone, the roll-up and vacancies.
type GapOptions struct {
	Basis              models.Basis
	At                 *time.Time
	IncludeDescendants bool
	IncludeVacancies   bool
}

// gapQuery is the repository's question for a report on org, as of the service's now.
func (s *Service) gapQuery(p models.Principal, org models.OrgRef, o GapOptions) models.GapQuery {
	return models.GapQuery{OrgID: org.ID, Scope: p.Scope(), Basis: o.Basis, At: o.At,
		IncludeDescendants: o.IncludeDescendants, IncludeVacancies: o.IncludeVacancies, Now: s.now()}
}

// reportTime is the moment a report describes: its date, or now.
func reportTime(q models.GapQuery) time.Time {
	if q.At != nil {
		return *q.At
	}
	return q.Now
}

// GapReport is an organisation's skills gap per skill and tier (see models.GapReport).
func (s *Service) GapReport(ctx context.Context, p models.Principal, org models.OrgRef, o GapOptions) (models.GapReport, error) {
	q := s.gapQuery(p, org, o)
	var lines []models.SkillLine
	err := s.readReport(ctx, q, func(db *repository.DB) (err error) {
		lines, err = db.SkillGaps(ctx, q)
		return err
	})
	if err != nil {
		return models.GapReport{}, err
	}
	at := reportTime(q)
	r := models.GapReport{Organisation: org.Code, IncludeDescendants: q.IncludeDescendants, Basis: q.Basis, At: at}
	r.Apply(lines, at)
	return r, nil
}

// RoleGaps is an organisation's gap per role: each role's holders and how they fare
// against each of its requirements.
func (s *Service) RoleGaps(ctx context.Context, p models.Principal, org models.OrgRef, o GapOptions) (models.RoleGapsReport, error) {
	q := s.gapQuery(p, org, o)
	heads, cells, err := s.roleGaps(ctx, q)
	if err != nil {
		return models.RoleGapsReport{}, err
	}
	r := models.RoleGapsReport{Organisation: org.Code, Basis: q.Basis, At: reportTime(q), Roles: []models.RoleGap{}}
	byRole := map[string]int{}
	for _, h := range heads {
		byRole[h.Organisation+"/"+h.Role] = len(r.Roles)
		r.Roles = append(r.Roles, models.RoleGap{Role: h.Role, Title: h.Title, Owner: h.Organisation, Headcount: h.Headcount,
			MeetingEssential: h.MeetingEssential, Requirements: []models.RequirementGap{}})
	}
	for _, cell := range cells {
		if i, ok := byRole[cell.Owner+"/"+cell.Role]; ok {
			r.Roles[i].Requirements = append(r.Roles[i].Requirements, models.NewRequirementGap(cell))
		}
	}
	return r, nil
}

// roleGaps reads the figures behind RoleGaps and GapMatrix.
func (s *Service) roleGaps(ctx context.Context, q models.GapQuery) (heads []models.RoleHeadcount, cells []models.RoleSkillGap, err error) {
	err = s.readReport(ctx, q, func(db *repository.DB) (err error) {
		heads, cells, err = db.RoleGaps(ctx, q)
		return err
	})
	return heads, cells, err
}

// GapMatrix is role x skill coverage for a heat map.
func (s *Service) GapMatrix(ctx context.Context, p models.Principal, org models.OrgRef, o GapOptions) (models.GapMatrix, error) {
	q := s.gapQuery(p, org, o)
	_, cells, err := s.roleGaps(ctx, q)
	if err != nil {
		return models.GapMatrix{}, err
	}
	m := models.GapMatrix{Organisation: org.Code, At: reportTime(q), Roles: []string{}, Skills: []string{}, Cells: []models.MatrixCell{}}
	seenRole, seenSkill := map[string]bool{}, map[string]bool{}
	for _, cell := range cells {
		if !seenRole[cell.Role] {
			seenRole[cell.Role] = true
			m.Roles = append(m.Roles, cell.Role)
		}
		if !seenSkill[cell.Skill] {
			seenSkill[cell.Skill] = true
			m.Skills = append(m.Skills, cell.Skill)
		}
		m.Cells = append(m.Cells, models.MatrixCell{Role: cell.Role, Skill: cell.Skill, RequiredLevel: cell.RequiredLevel,
			Demand: cell.Demand, Supply: cell.Supply, Coverage: models.NewRequirementGap(cell).Coverage})
	}
	return m, nil
}

// Candidates lists the people closest to meeting a skill, to decide whom to train first.
func (s *Service) Candidates(ctx context.Context, p models.Principal, org models.OrgRef, o GapOptions, skill string, page models.Page) ([]models.Candidate, string, error) {
	items, next, err := s.db.Candidates(ctx, s.gapQuery(p, org, o), skill, page)
	if items == nil {
		items = []models.Candidate{}
	}
	return items, next, err
}

// StaffGaps is one person's development needs as of at (nil: now), each with the
// courses that would close it.
func (s *Service) StaffGaps(ctx context.Context, p models.Principal, org models.OrgRef, externalID string, at *time.Time) (models.StaffGaps, error) {
	when := s.now()
	if at != nil {
		when = *at
	}
	levels, err := s.db.Competencies(ctx, p.Scope(), org.ID, externalID, when)
	if err != nil {
		return models.StaffGaps{}, err
	}
	needs := models.DevelopmentNeeds(levels)
	skills := make([]string, len(needs))
	for i, n := range needs {
		skills[i] = n.Skill
	}
	courses, err := s.db.CoursesConferring(ctx, skills)
	if err != nil {
		return models.StaffGaps{}, err
	}
	for i, n := range needs {
		for _, opt := range courses[n.Skill] {
			if opt.Level > n.Level {
				needs[i].Courses = append(needs[i].Courses, opt)
			}
		}
	}
	if needs == nil {
		needs = []models.DevelopmentNeed{}
	}
	return models.StaffGaps{Organisation: org.Code, ExternalID: externalID, At: when, Needs: needs}, nil
}

// Expiring lists the verified levels of the organisation's staff that lapse within the
// window from now, and the gaps each would open.
func (s *Service) Expiring(ctx context.Context, p models.Principal, org models.OrgRef, within time.Duration) (models.ExpiringList, error) {
	q := s.gapQuery(p, org, GapOptions{})
	items, err := s.db.Expiring(ctx, q, within)
	if items == nil {
		items = []models.Lapse{}
	}
	return models.ExpiringList{Organisation: org.Code, From: q.Now, To: q.Now.Add(within), Items: items}, err
}
