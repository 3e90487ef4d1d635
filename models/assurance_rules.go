package models

import (
	"fmt"
	"strings"
	"time"
)

// IndicatorStatus is a suggested judgement of an indicator. The organisation makes the
// judgement in its DSPT submission; the service only suggests one, by a stated rule.
type IndicatorStatus string

// The suggestions, in the DSPT's and CAF's words.
const (
	IndicatorMet       IndicatorStatus = "met"
	IndicatorPartlyMet IndicatorStatus = "partly_met"
	IndicatorNotMet    IndicatorStatus = "not_met"
)

// Indicator is one indicator of CAF B6 with the suggested status, the rule that produced
// it and the figures the rule read.
type Indicator struct {
	Code    string          `json:"code" enums:"training_needs_analysis,awareness,key_roles,evaluation" example:"awareness"`
	Title   string          `json:"title" example:"Every member of staff has in-date awareness training"`
	Status  IndicatorStatus `json:"status" enums:"met,partly_met,not_met" example:"partly_met"`
	Rule    string          `json:"rule" example:"met at 95% or more in date, partly met at 80% or more, otherwise not met"`
	Finding string          `json:"finding" example:"112 of 120 staff (93.3%) in date"`
}

// The thresholds of the suggested statuses. 95% was the DSPT's test of annual awareness
// training before the CAF-aligned toolkit; 80% marks a programme that reaches most staff.
const (
	AwarenessMetShare    = 95.0
	AwarenessPartlyShare = 80.0
	KeyRolesPartlyShare  = 50.0
)

// JudgeTNA suggests whether the training needs analysis covers the people it must:
// every staff group has a requirement with its reason (the shipped ones do), and the
// key roles every organisation appoints (SIRO, Caldicott Guardian, DPO) have a holder,
// by appointment or by a job role that carries them.
func JudgeTNA(holders map[Audience]int) Indicator {
	in := Indicator{Code: "training_needs_analysis", Title: "The training needs analysis covers every staff group and key role",
		Rule: "met when the SIRO, the Caldicott Guardian and the data protection officer each have a holder (every staff group has a requirement with its reason); partly met when some have; not met when none has"}
	var missing []string
	for _, a := range AppointedRoles() {
		if holders[a] == 0 {
			missing = append(missing, a.Title())
		}
	}
	switch {
	case len(missing) == 0:
		in.Status, in.Finding = IndicatorMet, "every appointed key role has a holder"
	case len(missing) < len(AppointedRoles()):
		in.Status, in.Finding = IndicatorPartlyMet, "no holder: "+strings.Join(missing, ", ")
	default:
		in.Status, in.Finding = IndicatorNotMet, "no holder: "+strings.Join(missing, ", ")
	}
	return in
}

// JudgeAwareness suggests whether everyone's awareness training is in date.
func JudgeAwareness(f TrainingFigures) Indicator {
	in := Indicator{Code: "awareness", Title: "Every member of staff has in-date awareness training",
		Rule: fmt.Sprintf("met at %.0f%% or more of staff in date, partly met at %.0f%% or more, otherwise not met (not met without staff)", AwarenessMetShare, AwarenessPartlyShare)}
	in.Status = IndicatorNotMet
	if f.inDateAtLeast(AwarenessMetShare) {
		in.Status = IndicatorMet
	} else if f.inDateAtLeast(AwarenessPartlyShare) {
		in.Status = IndicatorPartlyMet
	}
	in.Finding = describe(f, "staff")
	return in
}

// JudgeKeyRoles suggests whether the key role holders have their role-specific
// training in date. f sums the key roles' figures: a person holding two key roles
// counts once in each.
func JudgeKeyRoles(f TrainingFigures) Indicator {
	in := Indicator{Code: "key_roles", Title: "Key role holders have in-date role-specific training",
		Rule: fmt.Sprintf("met when every key role requirement is in date, partly met at %.0f%% or more, otherwise not met (not met without key role holders)", KeyRolesPartlyShare)}
	in.Status = IndicatorNotMet
	if f.Headcount > 0 && f.InDate == f.Headcount {
		in.Status = IndicatorMet
	} else if f.inDateAtLeast(KeyRolesPartlyShare) {
		in.Status = IndicatorPartlyMet
	}
	in.Finding = describe(f, "key role requirements")
	return in
}

// JudgeEvaluation suggests whether training had an effect over the year: the share of
// staff with in-date awareness did not fall from the first month-end, and the number of
// skills with a gap did not rise.
func JudgeEvaluation(then, now TrainingFigures, gaps SkillGapChange) Indicator {
	in := Indicator{Code: "evaluation", Title: "Training is evaluated: awareness held up and skills gaps did not grow over the year",
		Rule: "met when the share of staff in date did not fall since the first month-end of the year and the skills with a gap did not rise; partly met when one of the two holds; otherwise not met"}
	a, b := then.InDateShare(), now.InDateShare()
	held := b != nil && (a == nil || *b >= *a)
	fewer := gaps.Change <= 0
	switch {
	case held && fewer:
		in.Status = IndicatorMet
	case held || fewer:
		in.Status = IndicatorPartlyMet
	default:
		in.Status = IndicatorNotMet
	}
	in.Finding = fmt.Sprintf("staff in date %s then, %s now; skills with a gap %d then, %d now", pct(a), pct(b),
		gaps.SkillsWithGapFrom, gaps.SkillsWithGapTo)
	return in
}

func describe(f TrainingFigures, what string) string {
	return fmt.Sprintf("%d of %d %s in date (%s); %d overdue, %d never trained", f.InDate, f.Headcount, what,
		pct(f.InDateShare()), f.Overdue, f.NeverTrained)
}

func pct(p *float64) string {
	if p == nil {
		return "no figure"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// Add sums two groups' figures.
func (f TrainingFigures) Add(g TrainingFigures) TrainingFigures {
	return TrainingFigures{Headcount: f.Headcount + g.Headcount, InDate: f.InDate + g.InDate, Due30: f.Due30 + g.Due30,
		Due90: f.Due90 + g.Due90, Overdue: f.Overdue + g.Overdue, NeverTrained: f.NeverTrained + g.NeverTrained}
}

// MonthEnds are the ends of the n months before at's own month, oldest first: each the
// last microsecond of its month in UTC (PostgreSQL keeps microseconds), so that
// everything dated that month counts and nothing of the next. at's own month has not
// ended yet.
func MonthEnds(at time.Time, n int) []time.Time {
	at = at.UTC()
	first := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, n)
	for i := range n {
		out[n-1-i] = first.AddDate(0, -i, 0).Add(-time.Microsecond)
	}
	return out
}

// inDateAtLeast says whether at least percent of the headcount is in date, on the exact
// counts: the share the report shows is rounded to a tenth, and 1,899 of 2,000 (94.95%)
// must not pass for 95%.
func (f TrainingFigures) inDateAtLeast(percent float64) bool {
	return f.Headcount > 0 && float64(f.InDate)*100 >= percent*float64(f.Headcount)
}
