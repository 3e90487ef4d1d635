package service

import (
	"context"
	"time"

	"cyberskills/models"
)

// evaluationMonths is how many month-ends the evaluation looks back over: a year.
const evaluationMonths = 12

// TrainingRequirements are the requirements in force for an organisation's staff groups.
func (s *Service) TrainingRequirements(ctx context.Context, p models.Principal, org models.OrgRef) (models.TrainingRequirements, error) {
	rs, err := s.db.TrainingRequirements(ctx, p.Scope(), org.ID)
	return models.TrainingRequirements{Organisation: org.Code, Requirements: rs}, err
}

// SetTrainingRequirements replaces an organisation's own requirements.
func (s *Service) SetTrainingRequirements(ctx context.Context, p models.Principal, org models.OrgRef, rs []models.TrainingRequirement) (models.TrainingRequirements, error) {
	out, err := s.db.SetTrainingRequirements(ctx, p.Scope(), org.ID, rs)
	return models.TrainingRequirements{Organisation: org.Code, Requirements: out}, err
}

// KeyRoles are the key roles of an organisation: the job roles that carry them and its
// own staff's appointments.
func (s *Service) KeyRoles(ctx context.Context, p models.Principal, org models.OrgRef) (models.KeyRoles, error) {
	k, err := s.db.KeyRoles(ctx, p.Scope(), org.ID)
	k.Organisation = org.Code
	return k, err
}

// SetKeyRoles replaces an organisation's own key role lists and appointments.
func (s *Service) SetKeyRoles(ctx context.Context, p models.Principal, org models.OrgRef, k models.KeyRoles) (models.KeyRoles, error) {
	out, err := s.db.SetKeyRoles(ctx, p.Scope(), org.ID, k)
	out.Organisation = org.Code
	return out, err
}

// B6Report assembles the evidence for CAF B6 over an organisation's subtree as of at
// (nil: now): the training needs analysis, its delivery, its evaluation over the last 12
// month-ends, the suggested status of each indicator and who is overdue.
func (s *Service) B6Report(ctx context.Context, p models.Principal, org models.OrgRef, at *time.Time) (models.B6Report, error) {
	asOf := s.now()
	if at != nil {
		asOf = at.UTC()
	}
	r := models.B6Report{Organisation: org.Code, AsOf: asOf}
	o, err := s.db.GetOrganisation(ctx, p.Scope(), org.Code)
	if err != nil {
		return r, err
	}
	r.Name = o.Name
	reqs, err := s.db.TrainingRequirements(ctx, p.Scope(), org.ID)
	if err != nil {
		return r, err
	}
	keys, err := s.db.KeyRoles(ctx, p.Scope(), org.ID)
	if err != nil {
		return r, err
	}
	ends := models.MonthEnds(asOf, evaluationMonths)
	lines, err := s.db.TrainingFigures(ctx, p.Scope(), org.ID, append([]time.Time{asOf}, ends...))
	if err != nil {
		return r, err
	}
	people, err := s.db.TrainingPeople(ctx, p.Scope(), org.ID, asOf)
	if err != nil {
		return r, err
	}
	gaps, err := s.skillGapChange(ctx, p, org, ends[0], asOf)
	if err != nil {
		return r, err
	}
	r.Delivery, r.Evaluation.MonthEnds = models.SplitTrainingLines(lines, ends)
	r.Evaluation.SkillGaps = gaps
	r.KeyPeople, r.Overdue = models.SplitTrainingPeople(people)
	r.TNA = models.BuildTNA(reqs, keys.Roles, r.Delivery, people)
	r.Indicators = r.Judge()
	return r, nil
}

// skillGapChange compares the organisation's gap report at from with the one at to,
// both computed from the evidence history as the gap report's ?at= is.
func (s *Service) skillGapChange(ctx context.Context, p models.Principal, org models.OrgRef, from, to time.Time) (models.SkillGapChange, error) {
	c := models.SkillGapChange{From: from, To: to}
	then, err := s.GapReport(ctx, p, org, GapOptions{At: &from})
	if err != nil {
		return c, err
	}
	now, err := s.GapReport(ctx, p, org, GapOptions{At: &to})
	if err != nil {
		return c, err
	}
	c.SkillsWithGapFrom, c.ShortfallFrom = gapTally(then)
	c.SkillsWithGapTo, c.ShortfallTo = gapTally(now)
	c.Change = c.SkillsWithGapTo - c.SkillsWithGapFrom
	c.BasicSkillsGapFrom, c.BasicSkillsGapTo = then.BasicSkillsGap, now.BasicSkillsGap
	return c, nil
}

// gapTally counts a gap report's skills with a gap and sums their essential shortfall.
func gapTally(r models.GapReport) (skills, shortfall int) {
	for _, l := range r.Skills {
		if l.Gap {
			skills++
		}
		shortfall += l.EssentialShortfall
	}
	return skills, shortfall
}
