package api

import (
	"context"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/repository"
)

// StatMetadata states how a statistics response was made.
type StatMetadata struct {
	GeneratedAt       time.Time         `json:"generated_at"`
	DisclosureControl bool              `json:"disclosure_control" example:"true"`
	Rules             []string          `json:"rules"`
	Definitions       map[string]string `json:"definitions"`
}

var disclosureRules = []string{
	"staff counts of 1 to 7 are suppressed (null, suppressed: true); other staff counts are rounded to the nearest 5",
	"a group of fewer than 5 organisations is suppressed whole",
	"complementary suppression: where figures add up to a published total, a suppressed figure never stands alone and suppressed figures together hold at least the threshold (8 staff, 5 organisations)",
	"percentages are computed from the published (rounded) figures",
	"a filtered answer publishes only what the breakdown of all organisations by its filtered and grouped dimensions publishes (at most two dimensions in all), so that answers cannot be subtracted from each other",
}

var statDefinitions = map[string]string{
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

func metadata(controlled bool, at time.Time) StatMetadata {
	m := StatMetadata{GeneratedAt: at.UTC(), DisclosureControl: controlled, Rules: []string{}, Definitions: statDefinitions}
	if controlled {
		m.Rules = disclosureRules
	}
	return m
}

// statisticsFilter reads the shared filters, and whether disclosure control applies:
// always for analysts, for admins unless they ask for raw figures.
func statisticsFilter(c *gin.Context) (models.StatisticsFilter, bool, *params) {
	q := queryParams(c)
	f := models.StatisticsFilter{
		Type:   q.oneOf("type", "trust", "region", "icb", "trust", "department", "practice", "other"),
		Region: q.str("region"), ICB: q.str("icb"), Sector: q.str("sector"),
		SizeBand: q.oneOf("size_band", "", "micro", "small", "medium", "large", "very_large"),
	}
	raw := q.oneOf("disclosure", "controlled", "controlled", "none") == "none"
	q.oneOf("format", "json", "json", "csv")
	if raw && principal(c).Role != models.RoleAdmin {
		q.v.Add("disclosure", "only admin tokens may ask for raw figures")
	}
	return f, !raw, q
}

// GapMeasure is one of the survey's measures over organisations.
type GapMeasure struct {
	Organisations models.Figure `json:"organisations"`
	Share         *float64      `json:"share" example:"48.5"` // percent of the organisations
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
	Organisations       models.Figure           `json:"organisations"`
	BasicSkillsGap      GapMeasure              `json:"basic_skills_gap"`
	IncidentResponseGap GapMeasure              `json:"incident_response_gap"`
	AdvancedSkillsGap   GapMeasure              `json:"advanced_skills_gap"`
	Skills              []SkillMeasure          `json:"skills"`
}

// getHeadline godoc
// @Summary      National headline: share of organisations with a skills gap
// @Description  Over active organisations of a type (default trust), optionally filtered: how many there are and the share with a basic skills gap, an incident response gap and an advanced skills gap, and per skill the share with a gap in it. Live: read from aggregates maintained as data changes. Disclosure control for analysts (admins may ask for raw figures with disclosure=none); the rules are stated in the metadata. Under control, a filtered headline is withheld where the breakdown by its filters withholds its cell, and at most two filters may be combined.
// @ID           getHeadline
// @Tags         statistics
// @Produce      json,text/csv
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,trust,department,practice,other)
// @Param        region      query     string  false  "Region code, e.g. Y56"
// @Param        icb         query     string  false  "ICB code"
// @Param        sector      query     string  false  "Sector, e.g. acute"
// @Param        size_band   query     string  false  "Size band"  Enums(micro,small,medium,large,very_large)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  HeadlineStatistics
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/statistics/headline [get]
func (s *Server) getHeadline(c *gin.Context) {
	f, controlled, q := statisticsFilter(c)
	checkControlledDims(q, f, nil, controlled)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	ctx, at := c.Request.Context(), now(c)
	v, err := s.figures.get(ctx, filterKey("headline", f, nil), func(ctx context.Context) (any, error) {
		return s.db.StatisticsHeadline(ctx, f, at)
	})
	withheld := false
	if dims, _ := filteredDims(f); err == nil && controlled && len(dims) > 0 {
		// Published only where the canonical table publishes the filtered cell.
		var cell models.StatGroup
		cell, err = s.filteredCell(ctx, f, at)
		withheld = cell.Organisations.Suppressed
	}
	if err != nil {
		fail(c, err)
		return
	}
	respondTable(c, publishHeadline(v.(models.Headline), f, controlled, withheld, at), nil)
}

// filterKey names a cached figure: what it is, the population and filters, and the
// dimensions. Figures are cached raw and published per request, so that analysts and
// admins, JSON and CSV, share one computation.
func filterKey(what string, f models.StatisticsFilter, dims []string) string {
	return what + "?type=" + f.Type + "&region=" + f.Region + "&icb=" + f.ICB + "&sector=" + f.Sector +
		"&size_band=" + f.SizeBand + "&dims=" + strings.Join(dims, ",")
}

// publishHeadline applies disclosure control to a headline: withheld whole when it covers
// fewer than MinOrganisations organisations or the canonical table withholds its cell.
func publishHeadline(h models.Headline, f models.StatisticsFilter, controlled, withheld bool, at time.Time) HeadlineStatistics {
	withheld = controlled && (withheld || h.Organisations < models.MinOrganisations)
	fig := func(n int) models.Figure {
		if withheld {
			return models.Suppressed(n)
		}
		return models.Raw(n)
	}
	total := fig(h.Organisations)
	measure := func(n int) GapMeasure {
		m := GapMeasure{Organisations: fig(n)}
		m.Share = models.Share(m.Organisations, total)
		return m
	}
	if f.Type == "" {
		f.Type = "trust"
	}
	out := HeadlineStatistics{
		Metadata: metadata(controlled, at), Filter: f, Organisations: total,
		BasicSkillsGap: measure(h.WithBasicGap), IncidentResponseGap: measure(h.WithIncidentResponseGap),
		AdvancedSkillsGap: measure(h.WithAdvancedGap), Skills: []SkillMeasure{},
	}
	for _, sk := range h.Skills {
		out.Skills = append(out.Skills, SkillMeasure{Skill: sk.Skill, Name: sk.Name, Tier: sk.Tier, GapMeasure: measure(sk.WithGap)})
	}
	return out
}

func (h HeadlineStatistics) csvTable() ([]string, [][]string) {
	rows := [][]string{
		{"all", "", "organisations", figureCell(h.Organisations), ""},
		{"all", "", "basic_skills_gap", figureCell(h.BasicSkillsGap.Organisations), floatCell(h.BasicSkillsGap.Share)},
		{"all", "", "incident_response_gap", figureCell(h.IncidentResponseGap.Organisations), floatCell(h.IncidentResponseGap.Share)},
		{"all", "", "advanced_skills_gap", figureCell(h.AdvancedSkillsGap.Organisations), floatCell(h.AdvancedSkillsGap.Share)},
	}
	for _, sk := range h.Skills {
		rows = append(rows, []string{"skill", sk.Skill, "organisations_with_gap", figureCell(sk.Organisations), floatCell(sk.Share)})
	}
	return []string{"scope", "skill", "measure", "organisations", "share_percent"}, rows
}

// BreakdownStatistics is a breakdown by one or two dimensions.
type BreakdownStatistics struct {
	Metadata StatMetadata            `json:"metadata"`
	Filter   models.StatisticsFilter `json:"filter"`
	GroupBy  []string                `json:"group_by"`
	Groups   []models.StatGroup      `json:"groups"`
	Total    models.StatGroup        `json:"total"`
}

// getBreakdown godoc
// @Summary      Skills-gap statistics by region, ICB, sector, size band, skill or tier
// @Description  Groups organisations of a type (default trust) by one or two dimensions (group_by=region or group_by=region,tier): per group the organisations, those with a gap, staff demand, supply and shortfall, and staff per proficiency level; and the total. Disclosure control for analysts, as stated in the metadata; admins may ask for raw figures with disclosure=none. Under control, a filtered breakdown is the slice of the breakdown of all organisations by the filtered and grouped dimensions (at most two in all), and its total is the filtered cell of the breakdown by the filters.
// @ID           getBreakdown
// @Tags         statistics
// @Produce      json,text/csv
// @Param        group_by    query     string  true   "One or two of region, icb, sector, size_band, skill, tier, comma-separated"
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,trust,department,practice,other)
// @Param        region      query     string  false  "Region code, e.g. Y56"
// @Param        icb         query     string  false  "ICB code"
// @Param        sector      query     string  false  "Sector, e.g. acute"
// @Param        size_band   query     string  false  "Size band"  Enums(micro,small,medium,large,very_large)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  BreakdownStatistics
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/statistics/gaps [get]
func (s *Server) getBreakdown(c *gin.Context) {
	f, controlled, q := statisticsFilter(c)
	groupBy := splitList(q.str("group_by"))
	q.v.Check(len(groupBy) >= 1 && len(groupBy) <= 2, "group_by", "one or two of "+strings.Join(repository.StatisticsDimensions(), ", "))
	checkControlledDims(q, f, groupBy, controlled)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	ctx, at := c.Request.Context(), now(c)
	if controlled {
		b, err := s.controlledSlice(ctx, f, groupBy, at)
		respondTable(c, b, err)
		return
	}
	v, err := s.figures.get(ctx, filterKey("breakdown", f, groupBy), func(ctx context.Context) (any, error) {
		return s.db.StatisticsBreakdown(ctx, f, groupBy, at)
	})
	if err != nil {
		fail(c, err)
		return
	}
	respondTable(c, publishBreakdown(f, groupBy, v.([]models.RawGroup), false, at), nil)
}

// publishBreakdown applies disclosure control to a breakdown and its total: the sum of
// its groups' staff figures, and of the organisations of each organisation group once.
func publishBreakdown(f models.StatisticsFilter, groupBy []string, groups []models.RawGroup, controlled bool, at time.Time) BreakdownStatistics {
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
	published, tot := models.Publish(groupBy, orgDim, raw, total, controlled)
	if skillGrouped {
		tot.OrganisationsWithGap, tot.ShareWithGap = models.Figure{}, nil // not additive over skills
	}
	if f.Type == "" {
		f.Type = "trust"
	}
	return BreakdownStatistics{Metadata: metadata(controlled, at), Filter: f, GroupBy: groupBy, Groups: published, Total: tot}
}

func (b BreakdownStatistics) csvTable() ([]string, [][]string) {
	header := append([]string{}, b.GroupBy...)
	header = append(header, "organisations", "organisations_with_gap", "share_with_gap", "demand", "supply", "shortfall",
		"coverage", "staff_level_1", "staff_level_2", "staff_level_3", "staff_level_4")
	row := func(keys []string, g models.StatGroup) []string {
		r := append([]string{}, keys...)
		return append(r, figureCell(g.Organisations), figureCell(g.OrganisationsWithGap), floatCell(g.ShareWithGap),
			figureCell(g.Demand), figureCell(g.Supply), figureCell(g.Shortfall), floatCell(g.Coverage),
			figureCell(g.StaffByLevel["1"]), figureCell(g.StaffByLevel["2"]), figureCell(g.StaffByLevel["3"]), figureCell(g.StaffByLevel["4"]))
	}
	var rows [][]string
	for _, g := range b.Groups {
		keys := make([]string, len(b.GroupBy))
		for i, d := range b.GroupBy {
			keys[i] = g.Group[d]
		}
		rows = append(rows, row(keys, g))
	}
	totalKeys := make([]string, len(b.GroupBy))
	for i := range totalKeys {
		totalKeys[i] = "total"
	}
	return header, append(rows, row(totalKeys, b.Total))
}

// figureCell writes a published figure: empty when suppressed.
func figureCell(f models.Figure) string {
	if f.Value == nil {
		return ""
	}
	return itoaCell(*f.Value)
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
