package demo

import (
	"slices"
	"time"
)

// The survey's tiers, as the default framework puts its skills in them.
const (
	tierBasic    = "basic"
	tierIncident = "incident_response"
	tierAdvanced = "advanced"
)

// incidentSkills are the survey's incident response skills; the default framework's
// other skills, neither basic nor these, are advanced.
var incidentSkills = []string{"incident-detection", "incident-management"}

// tierOf is the survey tier of one of the default framework's skills.
func tierOf(skill string) string {
	switch {
	case slices.Contains(basicSkills, skill):
		return tierBasic
	case slices.Contains(incidentSkills, skill):
		return tierIncident
	}
	return tierAdvanced
}

// gapSkill is, per tier, the skill a trust with a gap in the tier lacks: one every trust
// asks of someone (clinicians, the information governance lead and the head of cyber
// security), so that every ICB has trusts with and without each gap.
var gapSkill = map[string]string{tierBasic: "secure-data", tierIncident: "incident-management", tierAdvanced: "security-architecture"}

// targetHolders is how many technical staff a trust makes practitioners in each of its
// basic and incident response skills: the default targets ask two, RJ7's own target
// three incident managers.
const targetHolders = 3

// design makes a trust's evidence show the survey measures the trust is given (gaps):
// everyone meets every essential requirement and enough technical staff are
// practitioners to meet the targets, but for one person per tier with a gap (the first
// who needs the tier's gapSkill), who holds no verified evidence of that skill and is not
// trained in it.
//
// Why not leave it to chance: every trust of the demo's size would then have a basic and
// an incident response gap, in skills scattered at random, and disclosure control would
// rightly withhold every national measure of ten trusts (a count equal to the trusts
// tells each trust's figure; a gap in a skill that no other trust of the ICB shares
// cannot be hidden among them). With the design in trusts, each measure is shared by
// six or seven trusts in both ICBs; the trusts alone in their ICB and sector (RJZ, RRU,
// RQY) have every gap, and three trusts that share theirs with others (RV5, RJ6, RVR)
// have none, so that every withheld figure has a change of the data that moves it and
// no published one.
type design struct {
	gaps    map[string]bool // the tiers the trust has a gap in
	shortIn map[string]bool // the tiers whose gap has been made
	holders int             // technical staff made practitioners
	now     time.Time
}

func newDesign(gaps []string, now time.Time) *design {
	d := &design{gaps: map[string]bool{}, shortIn: map[string]bool{}, now: now}
	for _, t := range gaps {
		d.gaps[t] = true
	}
	return d
}

// shape adjusts one person's drawn evidence to the design, and names the skills they
// are kept short in (their training leaves them alone).
func (d *design) shape(p person, reqs []requirement, records []evidence, technical bool) ([]evidence, map[string]bool) {
	short := map[string]bool{}
	for _, r := range reqs {
		if r.Criticality != "essential" {
			continue
		}
		tier := tierOf(r.Skill)
		switch {
		case d.gaps[tier] && !d.shortIn[tier] && r.Skill == gapSkill[tier]:
			d.shortIn[tier] = true
			short[r.Skill] = true
			records = slices.DeleteFunc(records, func(e evidence) bool { return e.skill == r.Skill && e.source != "self" })
		case verifiedLevels(records, d.now)[r.Skill] < r.Level:
			records = append(records, d.managerSays(p, r.Skill, r.Level))
		}
	}
	if !technical || d.holders >= targetHolders {
		return records, short
	}
	d.holders++
	held := verifiedLevels(records, d.now)
	for _, skill := range append(slices.Clone(basicSkills), incidentSkills...) {
		if held[skill] < 3 && !short[skill] {
			records = append(records, d.managerSays(p, skill, 3))
		}
	}
	return records, short
}

// managerSays is a line manager's assessment, two months old, that p is at level in skill.
func (d *design) managerSays(p person, skill string, level int) evidence {
	return evidence{id: p.id, skill: skill, level: level, source: "manager", assessor: "Line manager", assessed: daysAgo(d.now, 60)}
}
