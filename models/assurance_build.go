package models

import (
	"slices"
	"sort"
	"time"
)

// audienceRank orders staff groups as Audiences lists them.
func audienceRank(a Audience) int { return slices.Index(Audiences(), a) }

// SplitTrainingLines arranges the figures of a report's instants (the report's moment
// first, then the month-ends given): the delivery, each staff group in all and then by
// role, as of the report's moment; and each staff group in all at each month-end. A
// group nobody belongs to is listed with zeros, so that a missing key role shows.
func SplitTrainingLines(lines []TrainingLine, ends []time.Time) ([]DeliveryLine, []MonthEnd) {
	totals := map[int]map[Audience]TrainingFigures{}
	var delivery []DeliveryLine
	for _, l := range lines {
		if l.Total {
			if totals[l.Instant] == nil {
				totals[l.Instant] = map[Audience]TrainingFigures{}
			}
			totals[l.Instant][l.Audience] = l.TrainingFigures
		}
		if l.Instant == 1 && !l.Total {
			delivery = append(delivery, DeliveryLine{Audience: l.Audience, Role: l.Role, RoleTitle: roleTitle(l.Role, l.RoleTitle),
				TrainingFigures: l.TrainingFigures, InDateShare: l.InDateShare()})
		}
	}
	for _, a := range Audiences() {
		f := totals[1][a]
		delivery = append(delivery, DeliveryLine{Audience: a, Total: true, TrainingFigures: f, InDateShare: f.InDateShare()})
	}
	sort.SliceStable(delivery, func(i, j int) bool {
		a, b := delivery[i], delivery[j]
		if a.Audience != b.Audience {
			return audienceRank(a.Audience) < audienceRank(b.Audience)
		}
		if a.Total != b.Total {
			return a.Total // the group's total first
		}
		return a.Role < b.Role
	})
	months := make([]MonthEnd, len(ends))
	for i, end := range ends {
		m := MonthEnd{Month: end.Format("2006-01"), At: end, Groups: make([]GroupFigures, 0, len(Audiences()))}
		for _, a := range Audiences() {
			f := totals[i+2][a]
			m.Groups = append(m.Groups, GroupFigures{Audience: a, TrainingFigures: f, InDateShare: f.InDateShare()})
		}
		months[i] = m
	}
	return delivery, months
}

// roleTitle names a role in a report; staff without a role are a group of their own.
func roleTitle(code, title string) string {
	if code == "" {
		return "(no role)"
	}
	return title
}

// SplitTrainingPeople arranges the people of a report: every key role holder, in date or
// not and since when (the start of the unbroken cover that keeps them in date, or the
// moment it lapsed), and everyone whose training is overdue or never happened.
func SplitTrainingPeople(people []TrainingPerson) ([]KeyPerson, []OverduePerson) {
	keys, overdue := []KeyPerson{}, []OverduePerson{}
	for _, p := range people {
		if p.Audience != AudienceAllStaff {
			k := KeyPerson{Audience: p.Audience, ExternalID: p.ExternalID, DisplayName: p.DisplayName, Organisation: p.Organisation,
				Role: p.Role, InDate: p.Status == TrainingInDate, Status: p.Status, ValidUntil: p.ValidUntil}
			switch p.Status {
			case TrainingInDate:
				k.Since = p.CoverSince
			case TrainingOverdue:
				k.Since = p.ValidUntil
			}
			keys = append(keys, k)
		}
		if p.Status != TrainingInDate {
			o := OverduePerson{ExternalID: p.ExternalID, DisplayName: p.DisplayName, Organisation: p.Organisation, Role: p.Role,
				Audience: p.Audience, Status: p.Status, LastTrained: p.LastTrained}
			if p.Status == TrainingOverdue {
				o.LapsedOn = p.ValidUntil
			}
			overdue = append(overdue, o)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return audienceRank(keys[i].Audience) < audienceRank(keys[j].Audience) })
	sort.SliceStable(overdue, func(i, j int) bool {
		a, b := overdue[i], overdue[j]
		if a.Organisation != b.Organisation || a.ExternalID != b.ExternalID {
			return a.Organisation < b.Organisation || a.Organisation == b.Organisation && a.ExternalID < b.ExternalID
		}
		return audienceRank(a.Audience) < audienceRank(b.Audience)
	})
	return keys, overdue
}

// BuildTNA is the training needs analysis of a report: each staff group with what it
// requires and why, the roles held that carry it and the people appointed to it; and
// each role held with the staff groups whose requirements apply to its holders.
func BuildTNA(reqs []TrainingRequirement, flags []RoleKeyRoles, delivery []DeliveryLine, people []TrainingPerson) TNA {
	carries := map[string][]Audience{}
	for _, f := range flags {
		carries[f.Role] = f.KeyRoles
	}
	var held []DeliveryLine
	heads := map[Audience]int{}
	for _, d := range delivery {
		if d.Audience == AudienceAllStaff && !d.Total {
			held = append(held, d)
		}
		if d.Total {
			heads[d.Audience] = d.Headcount
		}
	}
	appointed := map[Audience]int{}
	for _, p := range people {
		if p.Appointed {
			appointed[p.Audience]++
		}
	}
	out := TNA{Groups: []TNAGroup{}, Roles: []TNARole{}}
	for _, d := range held {
		role := TNARole{Role: d.Role, Title: d.RoleTitle, Headcount: d.Headcount, Requires: []Audience{AudienceAllStaff}}
		for _, a := range Audiences() {
			if slices.Contains(carries[d.Role], a) {
				role.Requires = append(role.Requires, a)
			}
		}
		out.Roles = append(out.Roles, role)
	}
	for _, r := range reqs {
		g := TNAGroup{Title: r.Audience.Title(), TrainingRequirement: r, Roles: []string{},
			Appointed: appointed[r.Audience], Headcount: heads[r.Audience]}
		for _, role := range out.Roles {
			if r.Audience != AudienceAllStaff && slices.Contains(role.Requires, r.Audience) {
				g.Roles = append(g.Roles, role.Role)
			}
		}
		out.Groups = append(out.Groups, g)
	}
	return out
}

// Judge suggests a status for each indicator from the report's figures.
func (r B6Report) Judge() []Indicator {
	holders := map[Audience]int{}
	var keyRoles TrainingFigures
	for _, a := range Audiences() {
		holders[a] = r.Totals(a).Headcount
		if a.KeyRole() {
			keyRoles = keyRoles.Add(r.Totals(a))
		}
	}
	var then TrainingFigures
	if len(r.Evaluation.MonthEnds) > 0 {
		for _, g := range r.Evaluation.MonthEnds[0].Groups {
			if g.Audience == AudienceAllStaff {
				then = g.TrainingFigures
			}
		}
	}
	return []Indicator{JudgeTNA(holders), JudgeAwareness(r.Totals(AudienceAllStaff)), JudgeKeyRoles(keyRoles),
		JudgeEvaluation(then, r.Totals(AudienceAllStaff), r.Evaluation.SkillGaps)}
}
