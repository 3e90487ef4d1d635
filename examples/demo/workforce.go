package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// trust is one of the demo's trusts: how many of each kind of staff it has and how far
// its people's skills have come (maturity, the chance that a requirement is met).
type trust struct {
	code     string
	clinical int      // clinical staff, in the trust itself
	admin    int      // administrative staff, in the trust and its information governance team
	digital  int      // technical staff in its digital services department, the head of cyber security included
	maturity float64  // 0 to 1
	gaps     []string // the survey tiers it has a gap in (see design)
}

// trusts are the open trusts of examples/ods/etr-south-london.csv, each given a size, a
// maturity and the survey gaps it has, so that gap reports differ between them and
// statistics have figures to publish (every national survey measure, see design) and
// some to withhold (breakdowns by sector, and counts of trusts by ICB).
var trusts = []trust{
	{code: "RJ1", clinical: 34, admin: 10, digital: 14, maturity: 0.95, gaps: []string{tierBasic, tierIncident}},
	{code: "RJ2", clinical: 22, admin: 7, digital: 7, maturity: 0.6, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RJZ", clinical: 30, admin: 9, digital: 11, maturity: 0.9, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RRU", clinical: 16, admin: 6, digital: 6, maturity: 0.7, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RV5", clinical: 18, admin: 6, digital: 5, maturity: 0.5},
	{code: "RAX", clinical: 20, admin: 7, digital: 6, maturity: 0.75, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RJ6", clinical: 18, admin: 6, digital: 5, maturity: 0.45},
	{code: "RJ7", clinical: 28, admin: 9, digital: 12, maturity: 0.9, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RQY", clinical: 12, admin: 5, digital: 4, maturity: 0.55, gaps: []string{tierBasic, tierIncident, tierAdvanced}},
	{code: "RVR", clinical: 24, admin: 8, digital: 8, maturity: 0.8},
}

// digitalRoles is the order technical posts are filled in: the first few every trust
// has, the specialists only the larger ones.
var digitalRoles = []string{
	"head-of-cyber-security", "network-engineer", "service-desk-analyst", "clinical-systems-administrator",
	"service-desk-analyst", "network-engineer", "security-operations-analyst", "clinical-systems-administrator",
	"service-desk-analyst", "security-operations-analyst", "security-architect", "penetration-tester",
	"digital-forensics-investigator", "network-engineer",
}

// person is one member of staff as the HR system holds them.
type person struct {
	org, id, role string
	fte           float64
	start         time.Time
}

// departments of each trust, below it: code suffix and name.
var departments = [][2]string{{"-DIG", "Digital services"}, {"-IG", "Information governance"}}

// staffOf is a trust's staff: clinical and administrative staff in the trust, the
// information governance lead and some administrators in its IG team, technical staff
// in digital services. RJ1 has ward cyber champions, a role of its own.
func staffOf(t trust, rng *rand.Rand, now time.Time) []person {
	var out []person
	n := 20001
	add := func(org, role string) {
		fte := 1.0
		if rng.IntN(5) == 0 {
			fte = []float64{0.4, 0.6, 0.8}[rng.IntN(3)]
		}
		start := now.AddDate(0, 0, -60-rng.IntN(5000)).Truncate(24 * time.Hour)
		out = append(out, person{org: org, id: fmt.Sprintf("E%d", n), role: role, fte: fte, start: start})
		n++
	}
	for i := 0; i < t.clinical; i++ {
		role := "clinical-staff"
		if t.code == "RJ1" && i%8 == 0 {
			role = "cyber-champion"
		}
		add(t.code, role)
	}
	for i := 0; i < t.admin; i++ {
		org := t.code
		if i < 2 {
			org = t.code + "-IG"
		}
		add(org, "administrative-staff")
	}
	add(t.code+"-IG", "information-governance-lead")
	for i := 0; i < t.digital; i++ {
		add(t.code+"-DIG", digitalRoles[i%len(digitalRoles)])
	}
	return out
}
