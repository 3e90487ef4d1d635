package models

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strings"
)

// RawGroup is a group of a statistics breakdown before disclosure control.
type RawGroup struct {
	Keys, Labels  []string // one per dimension
	Organisations int
	// Stored snapshots name it so (they keep raw groups as JSON).
	WithGap int `json:"OrganisationsWithGap"`
	Demand  int
	Supply  int
	Held    [MaxLevel + 1]int
}

// Headline is the national picture over a set of organisations.
type Headline struct {
	Organisations           int
	WithBasicGap            int
	WithIncidentResponseGap int
	WithAdvancedGap         int
	Skills                  []SkillShare
}

// SkillShare is how many organisations have a gap in one skill.
type SkillShare struct {
	Skill, Name, Tier string
	WithGap           int
}

// StatisticsDimensions lists the dimensions a breakdown may group by.
func StatisticsDimensions() []string {
	return []string{"region", "icb", "sector", "size_band", "skill", "tier"}
}

// GroupName is how a group of a statistics dimension is named where a person reads it:
// its key, or, for the organisations that have no value in the dimension (the Welsh
// bodies of the ODS extract have no NHS England region and no ICB), "(no region)".
func GroupName(dim, key string) string {
	if key != "" {
		return key
	}
	noun := map[string]string{"icb": "ICB", "size_band": "size band"}[dim]
	if noun == "" {
		noun = dim
	}
	return "(no " + noun + ")"
}

// GroupLabel is the label of a group: its name in the dimension, or GroupName's for the
// group without a key.
func GroupLabel(dim, key, label string) string {
	if key == "" {
		return GroupName(dim, key)
	}
	return label
}

// StatPopulation is what a release of statistics is computed from: every active
// organisation of a type, with the values statistics group it by and its evaluated
// skills. Snapshots keep it, so that a trend is published as the live figures were.
type StatPopulation struct {
	Skills []StatSkill `json:"skills"` // every skill some organisation is evaluated in, in the framework's order
	Orgs   []StatOrg   `json:"orgs"`
}

// StatSkill is a skill of a statistics population.
type StatSkill struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Tier string `json:"tier"`
}

// StatOrg is one organisation of a statistics population: its region, ICB, sector and size
// band (codes and names, in the order of StatOrgDimensions) and its evaluated skills.
type StatOrg struct {
	Keys   [4]string      `json:"k"`
	Labels [4]string      `json:"l"`
	Skills []StatOrgSkill `json:"s"`
}

// StatOrgSkill is an organisation's evaluation in one skill (an index into the
// population's skills): staff demand and supply, staff at each level, and whether it has a gap.
type StatOrgSkill struct {
	Skill  int               `json:"i"`
	Demand int               `json:"d"`
	Supply int               `json:"s"`
	Held   [MaxLevel + 1]int `json:"h"`
	Gap    bool              `json:"g,omitempty"`
}

// StatOrgDimensions are the organisation dimensions of StatOrg.Keys, in order.
func StatOrgDimensions() []string { return []string{"region", "icb", "sector", "size_band"} }

// CheckGroupBy checks a breakdown's dimensions: one or two different ones, each known.
func CheckGroupBy(groupBy []string) error {
	if len(groupBy) < 1 || len(groupBy) > 2 || (len(groupBy) == 2 && groupBy[0] == groupBy[1]) {
		return Invalid(FieldError{Field: "group_by", Message: "one or two different dimensions"})
	}
	for _, d := range groupBy {
		if !slices.Contains(StatisticsDimensions(), d) {
			return Invalid(FieldError{Field: "group_by", Message: "unknown dimension " + d + "; use " + strings.Join(StatisticsDimensions(), ", ")})
		}
	}
	return nil
}

// Fingerprint is a hash of the population: equal populations have equal fingerprints,
// so that a release need not be computed again for unchanged data.
func (p StatPopulation) Fingerprint() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	num := func(n int) {
		binary.LittleEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
	}
	str := func(s string) {
		num(len(s))
		h.Write([]byte(s))
	}
	num(len(p.Skills))
	for _, s := range p.Skills {
		str(s.Code)
		str(s.Name)
		str(s.Tier)
	}
	num(len(p.Orgs))
	for _, o := range p.Orgs {
		for i := range o.Keys {
			str(o.Keys[i])
			str(o.Labels[i])
		}
		num(len(o.Skills))
		for _, s := range o.Skills {
			num(s.Skill)
			num(s.Demand)
			num(s.Supply)
			for _, n := range s.Held {
				num(n)
			}
			if s.Gap {
				num(1)
			} else {
				num(0)
			}
		}
	}
	return h.Sum64()
}
