package demo

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"time"
)

// requirement is what a role asks of a skill.
type requirement struct {
	Skill       string `json:"skill"`
	Level       int    `json:"level"`
	Criticality string `json:"criticality"`
}

// evidence is one record as the HR system sends it.
type evidence struct {
	id, skill, source, assessor, note string
	level                             int
	assessed                          time.Time
	expires                           *time.Time
}

// basicSkills are the survey's basic skills, which the default targets ask two
// practitioners of in every trust.
var basicSkills = []string{"firewall-config", "secure-data", "malware-protection", "software-restriction",
	"secure-configuration", "patch-management", "access-control", "backup-recovery"}

// evidenceOf is what vouches for a person's skills: for each requirement of their role,
// with the trust's maturity as the chance, verified evidence at the level required (now
// and then above it), else one level short or nothing; self-assessments beside it; and,
// for technical staff of mature trusts, practitioner-level basics their role does not
// ask for, which is how trusts meet their capability targets. Certificates expire, a
// few within the next three months and a few already.
func evidenceOf(p person, reqs []requirement, maturity float64, technical bool, rng *rand.Rand, now time.Time) (out []evidence) {
	verified := map[string]int{}
	for _, r := range reqs {
		level := 0
		switch x := rng.Float64(); {
		case x < maturity:
			level = r.Level
			if level < 4 && rng.IntN(5) == 0 {
				level++
			}
		case x < maturity+0.2:
			level = r.Level - 1
		}
		if level > 0 {
			verified[r.Skill] = level
			out = append(out, verifiedRecord(p.id, r.Skill, level, rng, now))
		}
		if rng.IntN(3) == 0 {
			self := max(level, r.Level-1) + rng.IntN(2)
			if self >= 1 && self <= 4 {
				out = append(out, evidence{id: p.id, skill: r.Skill, level: self, source: "self", assessed: daysAgo(now, 5+rng.IntN(200))})
			}
		}
	}
	if technical {
		for _, skill := range basicSkills {
			if verified[skill] < 3 && rng.Float64() < maturity*0.6 {
				out = append(out, verifiedRecord(p.id, skill, 3, rng, now))
			}
		}
	}
	return out
}

// verifiedRecord is evidence from a manager, an assessment or a certificate.
func verifiedRecord(id, skill string, level int, rng *rand.Rand, now time.Time) evidence {
	e := evidence{id: id, skill: skill, level: level, assessed: daysAgo(now, 30+rng.IntN(900))}
	switch x := rng.IntN(20); {
	case x < 9:
		e.source, e.assessor = "manager", "Line manager"
	case x < 13:
		e.source, e.assessor = "assessment", "Trust assessment centre"
	default:
		e.source, e.note = "certification", "Vendor certificate"
		e.assessed = daysAgo(now, 30+rng.IntN(600))
		expires := e.assessed.AddDate(3, 0, 0)
		switch rng.IntN(8) {
		case 0: // lapses within the next three months: the expiring report shows it
			expires = now.AddDate(0, 0, 10+rng.IntN(80)).Truncate(24 * time.Hour)
		case 1: // lapsed: the history keeps it, the level no longer counts
			expires = daysAgo(now, 5+rng.IntN(25))
		}
		e.expires = &expires
	}
	return e
}

// daysAgo is midnight UTC n days before now.
func daysAgo(now time.Time, n int) time.Time {
	return now.AddDate(0, 0, -n).Truncate(24 * time.Hour)
}

// staffCSV is people as the staff import reads them.
func staffCSV(people []person) []byte {
	return writeCSV([]string{"external_id", "role", "fte", "start_date"}, len(people), func(i int) []string {
		p := people[i]
		return []string{p.id, p.role, strconv.FormatFloat(p.fte, 'f', -1, 64), p.start.Format(time.DateOnly)}
	})
}

// evidenceCSV is records as the evidence import reads them.
func evidenceCSV(records []evidence) []byte {
	return writeCSV([]string{"external_id", "skill", "level", "source", "assessed_at", "expires_at", "assessor", "note"}, len(records), func(i int) []string {
		e := records[i]
		expires := ""
		if e.expires != nil {
			expires = e.expires.Format(time.DateOnly)
		}
		return []string{e.id, e.skill, strconv.Itoa(e.level), e.source, e.assessed.Format(time.DateOnly), expires, e.assessor, e.note}
	})
}

func writeCSV(header []string, n int, row func(int) []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for i := 0; i < n; i++ {
		_ = w.Write(row(i))
	}
	w.Flush()
	return b.Bytes()
}
