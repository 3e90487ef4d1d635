package demo

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"
)

// loadTrust loads one trust as its HR system (hr) and the training provider (trainer)
// would: departments, staff and evidence, funded posts, bought-in cover, then the
// provider's completions and enrolments.
func loadTrust(hr, trainer client, t trust, roles map[string][]requirement, rng *rand.Rand, now time.Time, sum *Summary) error {
	orgs := []string{t.code}
	for _, d := range departments {
		body := map[string]any{"code": t.code + d[0], "name": d[1], "type": "department", "parent": t.code}
		if err := hr.json(http.MethodPost, "/organisations", body, nil); err != nil {
			return err
		}
		orgs = append(orgs, t.code+d[0])
	}
	sum.Trusts++
	sum.Departments += len(departments)
	staff := map[string][]person{}
	records := map[string][]evidence{}
	var done []completion
	var booked []enrolment
	design := newDesign(t.gaps, now)
	for _, p := range staffOf(t, rng, now) {
		reqs := roles[p.role]
		technical := strings.HasSuffix(p.org, "-DIG")
		ev, short := design.shape(p, reqs, evidenceOf(p, reqs, t.maturity, technical, rng, now), technical)
		c, b := trainingOf(p, reqs, verifiedLevels(ev, now), short, rng, now)
		staff[p.org] = append(staff[p.org], p)
		records[p.org] = append(records[p.org], ev...)
		done, booked = append(done, c...), append(booked, b...)
	}
	for _, org := range orgs {
		if err := hr.file("/organisations/"+org+"/staff/import", "text/csv", staffCSV(staff[org]), nil); err != nil {
			return err
		}
		if err := hr.file("/organisations/"+org+"/evidence/import", "text/csv", evidenceCSV(records[org]), nil); err != nil {
			return err
		}
		sum.Staff += len(staff[org])
		sum.Evidence += len(records[org])
	}
	if err := hr.json(http.MethodPut, "/organisations/"+t.code+"/establishment", establishmentOf(t, staff[t.code+"-DIG"], rng, now), nil); err != nil {
		return err
	}
	if cover, ok := coverageOf(t.code, now); ok {
		if err := hr.json(http.MethodPut, "/organisations/"+t.code+"/coverage", cover, nil); err != nil {
			return err
		}
	}
	if t.code == "RJ7" { // asks for three incident managers instead of the default two
		body := map[string]any{"targets": []map[string]any{{"skill": "incident-management", "min_level": 3, "min_headcount": 3}}}
		if err := hr.json(http.MethodPut, "/organisations/RJ7/targets", body, nil); err != nil {
			return err
		}
	}
	if len(done) > 0 {
		if err := trainer.json(http.MethodPost, "/completions", done, nil); err != nil {
			return err
		}
	}
	for _, e := range booked {
		if err := trainer.json(http.MethodPost, "/organisations/"+e.org+"/enrolments", e, nil); err != nil {
			return err
		}
	}
	sum.Completions += len(done)
	sum.Enrolments += len(booked)
	return nil
}

// verifiedLevels is a person's level in each skill from the records given, by the
// current-level rule's verified basis: the highest in force from any source but self.
func verifiedLevels(records []evidence, now time.Time) map[string]int {
	out := map[string]int{}
	for _, e := range records {
		if e.source != "self" && (e.expires == nil || e.expires.After(now)) {
			out[e.skill] = max(out[e.skill], e.level)
		}
	}
	return out
}

// establishmentOf funds the trust's technical posts this quarter (now and then one more
// than are filled: a vacancy) and, in the more mature trusts, a network engineer more
// from next quarter.
func establishmentOf(t trust, digital []person, rng *rand.Rand, now time.Time) map[string]any {
	filled := map[string]int{}
	for _, p := range digital {
		filled[p.role]++
	}
	var entries []map[string]any
	for _, role := range slices.Sorted(maps.Keys(filled)) {
		funded := filled[role]
		if rng.IntN(3) == 0 {
			funded++
		}
		entries = append(entries, map[string]any{"role": role, "period": quarter(now, 0), "funded_posts": funded})
		if role == "network-engineer" && t.maturity >= 0.5 {
			entries = append(entries, map[string]any{"role": role, "period": quarter(now, 1), "funded_posts": funded + 1})
		}
	}
	return map[string]any{"entries": entries}
}

// coverageOf is the cover some trusts buy in: security monitoring from the national SOC
// for a year, and at RJ2 from a regional SOC whose contract ends in two months, which
// RJ2's projection shows as a gap opening.
func coverageOf(code string, now time.Time) (map[string]any, bool) {
	entry := func(skill, provider string, end time.Time) map[string]any {
		return map[string]any{"coverage": []map[string]any{{"skill": skill, "provider": provider, "contract_end": end.Format(time.DateOnly)}}}
	}
	switch code {
	case "RJZ", "RAX":
		return entry("security-monitoring", "NHS Cyber Security Operations Centre", now.AddDate(1, 0, 0)), true
	case "RJ2":
		return entry("security-monitoring", "Regional SOC", now.AddDate(0, 2, 0)), true
	}
	return nil, false
}

// quarter is the name of the quarter k quarters after now's (2027-Q1).
func quarter(now time.Time, k int) string {
	q := quarterStart(now, k)
	return fmt.Sprintf("%d-Q%d", q.Year(), (int(q.Month())-1)/3+1)
}

// quarterStart is the first day of the quarter k quarters after now's.
func quarterStart(now time.Time, k int) time.Time {
	first := time.Month((int(now.Month())-1)/3*3 + 1)
	return time.Date(now.Year(), first+time.Month(3*k), 1, 0, 0, 0, 0, time.UTC)
}
