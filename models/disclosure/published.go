package disclosure

import (
	"slices"
	"time"

	"cyberskills/models"
)

// StatMetadata states how a statistics response was made.
type StatMetadata struct {
	GeneratedAt       time.Time         `json:"generated_at"`
	DisclosureControl bool              `json:"disclosure_control" example:"true"`
	Rules             []string          `json:"rules"`
	Definitions       map[string]string `json:"definitions"`
}

var Rules = []string{
	"staff counts of 1 to 7 are suppressed (null, suppressed: true); other staff counts are rounded to the nearest 5; zeros are shown as 0",
	"a group of fewer than 5 organisations is suppressed whole, whatever its figures (its zeros too)",
	"every table of the organisation type is published together, a figure shared by several tables (the same organisations and skills) once: no suppressed figure can be worked out from published ones by addition or subtraction (sums of groups, rows and columns, shortfall = demand - supply) or from bounds (counts are never negative, a published 0 settles everything inside it), and the suppressed figures of a line hold at least 8 staff (5 organisations) together",
	"percentages are computed from the published (rounded) figures",
	"a filtered answer publishes only what the breakdown of all organisations by its filtered and grouped dimensions publishes (at most two dimensions in all; a headline, itself a breakdown by tier and skill, one filter), so that answers cannot be subtracted from each other",
}

var Definitions = map[string]string{
	"organisations":          "active organisations of the type in the group",
	"organisations_with_gap": "of those, how many have a gap: in the group's skill or tier, or in any skill when not grouped by skill",
	"gap":                    "an organisation has a gap in a skill when an essential requirement of its staff's roles is unmet, or its capability target is unmet, unless the skill is covered by an external provider under contract; its figures cover everything below it",
	"basic_skills_gap":       "a gap in any basic-tier skill (the survey's basic skills gap)",
	"incident_response_gap":  "a gap in any incident-response skill",
	"advanced_skills_gap":    "a gap in any advanced-tier skill",
	"demand":                 "requirements of active staff's roles (a person needing three skills counts three times, once per skill when grouped by skill)",
	"supply":                 "of those requirements, the ones met on verified evidence",
	"staff_by_level":         "active staff at each proficiency level (1-4), summed over the skills",
}

func Metadata(controlled bool, at time.Time) StatMetadata {
	m := StatMetadata{GeneratedAt: at.UTC(), DisclosureControl: controlled, Rules: []string{}, Definitions: Definitions}
	if controlled {
		m.Rules = Rules
	}
	return m
}

// GapMeasure is one of the survey's measures over organisations.
type GapMeasure struct {
	Organisations Figure   `json:"organisations"`
	Share         *float64 `json:"share" example:"48.5" extensions:"x-nullable"` // percent of the organisations
}

// SkillMeasure is one skill's share of organisations with a gap.
type SkillMeasure struct {
	Skill string `json:"skill" example:"firewall-config"`
	Name  string `json:"name" example:"Firewall configuration"`
	Tier  string `json:"tier" example:"basic"`
	GapMeasure
}

// HeadlineStatistics is the national picture.
type HeadlineStatistics struct {
	Metadata            StatMetadata            `json:"metadata"`
	Filter              models.StatisticsFilter `json:"filter"`
	Organisations       Figure                  `json:"organisations"`
	BasicSkillsGap      GapMeasure              `json:"basic_skills_gap"`
	IncidentResponseGap GapMeasure              `json:"incident_response_gap"`
	AdvancedSkillsGap   GapMeasure              `json:"advanced_skills_gap"`
	Skills              []SkillMeasure          `json:"skills"`
}

// PublishHeadline applies disclosure control to a headline: withheld whole when it covers
// fewer than MinOrganisations organisations or the canonical table withholds its cell.
func PublishHeadline(h models.Headline, f models.StatisticsFilter, controlled, withheld bool, at time.Time) HeadlineStatistics {
	withheld = controlled && (withheld || h.Organisations < MinOrganisations)
	fig := func(n int) Figure {
		if withheld {
			return Suppressed(n)
		}
		return Raw(n)
	}
	total := fig(h.Organisations)
	measure := func(n int) GapMeasure {
		m := GapMeasure{Organisations: fig(n)}
		m.Share = Share(m.Organisations, total)
		return m
	}
	if f.Type == "" {
		f.Type = "trust"
	}
	out := HeadlineStatistics{
		Metadata: Metadata(controlled, at), Filter: f, Organisations: total,
		BasicSkillsGap: measure(h.WithBasicGap), IncidentResponseGap: measure(h.WithIncidentResponseGap),
		AdvancedSkillsGap: measure(h.WithAdvancedGap), Skills: []SkillMeasure{},
	}
	for _, sk := range h.Skills {
		out.Skills = append(out.Skills, SkillMeasure{Skill: sk.Skill, Name: sk.Name, Tier: sk.Tier, GapMeasure: measure(sk.WithGap)})
	}
	return out
}

// BreakdownStatistics is a breakdown by one or two dimensions.
type BreakdownStatistics struct {
	Metadata StatMetadata            `json:"metadata"`
	Filter   models.StatisticsFilter `json:"filter"`
	GroupBy  []string                `json:"group_by"`
	Groups   []StatGroup             `json:"groups"`
	Total    StatGroup               `json:"total"`
}

// PublishBreakdown publishes a raw breakdown and its total (the sum of its groups' staff
// figures, and of the organisations of each organisation group once), as admins may ask.
func PublishBreakdown(f models.StatisticsFilter, groupBy []string, groups []models.RawGroup, at time.Time) BreakdownStatistics {
	orgDim := make([]bool, len(groupBy))
	for i, d := range groupBy {
		orgDim[i] = d != "skill" && d != "tier"
	}
	raw := make([]models.RawGroup, len(groups))
	var total models.RawGroup
	skillGrouped := !orgDim[0] || (len(orgDim) > 1 && !orgDim[1])
	orgGroups := map[string]int{}
	for i, g := range groups {
		key := ""
		for d := range groupBy {
			if orgDim[d] {
				key += g.Keys[d] + "\x00"
			}
		}
		orgGroups[key] = g.Organisations
		// Snapshots taken before raw groups lived in models kept two keys whatever the
		// dimensions; a group has one per dimension.
		g.Keys, g.Labels = g.Keys[:len(groupBy)], g.Labels[:len(groupBy)]
		raw[i] = g
		total.Demand += g.Demand
		total.Supply += g.Supply
		for l := range g.Held {
			total.Held[l] += g.Held[l]
		}
		if !skillGrouped {
			total.WithGap += g.WithGap
		}
	}
	for _, n := range orgGroups {
		total.Organisations += n
	}
	published, tot := Publish(groupBy, raw, total)
	if skillGrouped {
		tot.OrganisationsWithGap, tot.ShareWithGap = Figure{}, nil // not additive over skills
	}
	if f.Type == "" {
		f.Type = "trust"
	}
	return BreakdownStatistics{Metadata: Metadata(false, at), Filter: f, GroupBy: groupBy, Groups: published, Total: tot}
}

// MaxControlledDims bounds the dimensions a controlled answer may name, filters and
// groupings together: the canonical tables are one- or two-way.
const MaxControlledDims = 2

// FilteredDims returns the organisation dimensions a filter names and their values, in
// a fixed order.
func FilteredDims(f models.StatisticsFilter) (dims, values []string) {
	for _, d := range []struct{ dim, value string }{
		{"region", f.Region}, {"icb", f.ICB}, {"sector", f.Sector}, {"size_band", f.SizeBand},
	} {
		if d.value != "" {
			dims, values = append(dims, d.dim), append(values, d.value)
		}
	}
	return dims, values
}

// ControlledDims is the dimensions of the canonical table a controlled answer is a slice
// of: the filtered ones and the grouped ones, once each, in a fixed order so that a table
// asked for in either order is the same table.
func ControlledDims(f models.StatisticsFilter, groupBy []string) []string {
	dims, _ := FilteredDims(f)
	all := append(dims, groupBy...)
	slices.Sort(all)
	return slices.Compact(all)
}

// matches reports whether a published group lies in the filtered cell.
func Matches(g StatGroup, dims, values []string) bool {
	for i, d := range dims {
		if g.Group[d] != values[i] {
			return false
		}
	}
	return true
}

// CheckControlledHeadline refuses a controlled headline with more than one filter: its
// measures split its organisations by tier and by skill, so with two filters they would
// be figures of a three-way table, which no release publishes or protects.
func CheckControlledHeadline(v *models.Validator, f models.StatisticsFilter, controlled bool) {
	if dims, _ := FilteredDims(f); controlled && len(dims) > 1 {
		v.Add(dims[len(dims)-1], "under disclosure control, a headline may name one filter (its measures are a breakdown by tier and skill); use statistics/gaps for two")
	}
}

// CheckControlledDims refuses a controlled request that names more dimensions than the
// canonical tables have.
func CheckControlledDims(v *models.Validator, f models.StatisticsFilter, groupBy []string, controlled bool) {
	if !controlled {
		return
	}
	if len(ControlledDims(f, groupBy)) > MaxControlledDims {
		field := "group_by"
		if len(groupBy) == 0 {
			dims, _ := FilteredDims(f)
			field = dims[len(dims)-1]
		}
		v.Add(field, "under disclosure control, filters and group_by together may name at most two dimensions")
	}
}
