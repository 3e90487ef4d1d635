package api

import (
	"context"
	"maps"
	"slices"
	"time"

	"cyberskills/models"
)

// Disclosure control across requests. Complementary suppression protects the cells of one
// table against its totals, but filters make new totals: the headline for two regions,
// taken from the national headline, would give a third region that the breakdown by
// region suppresses. So under disclosure control a filtered answer is a slice of one
// canonical table, the breakdown of all organisations of the type by the filtered and
// grouped dimensions, published with the usual rules; its total is the filtered cell of
// the canonical table by the filtered dimensions alone. Every figure an analyst can ask
// for is then a figure of a canonical table, and those tables protect each other's totals.

// maxControlledDims bounds the dimensions a controlled answer may name, filters and
// groupings together: the canonical tables are one- or two-way.
const maxControlledDims = 2

// filteredDims returns the organisation dimensions a filter names and their values, in
// a fixed order.
func filteredDims(f models.StatisticsFilter) (dims, values []string) {
	for _, d := range []struct{ dim, value string }{
		{"region", f.Region}, {"icb", f.ICB}, {"sector", f.Sector}, {"size_band", f.SizeBand},
	} {
		if d.value != "" {
			dims, values = append(dims, d.dim), append(values, d.value)
		}
	}
	return dims, values
}

// canonicalTable is the published breakdown of all organisations of f's type by dims,
// cached as published: complementary suppression runs once per computation, not once per
// request. Callers copy what they change; the cached table is shared.
func (s *Server) canonicalTable(ctx context.Context, f models.StatisticsFilter, dims []string, at time.Time) (BreakdownStatistics, error) {
	all := models.StatisticsFilter{Type: f.Type}
	v, err := s.figures.get(ctx, filterKey("canonical", all, dims), func(ctx context.Context) (any, error) {
		groups, err := s.db.StatisticsBreakdown(ctx, all, dims, at)
		return publishBreakdown(all, dims, groups, true, at), err
	})
	if err != nil {
		return BreakdownStatistics{}, err
	}
	return v.(BreakdownStatistics), nil
}

// controlledDims is the dimensions of the canonical table a controlled answer is a slice
// of: the filtered ones and the grouped ones, once each, in a fixed order so that a table
// asked for in either order is the same table.
func controlledDims(f models.StatisticsFilter, groupBy []string) []string {
	dims, _ := filteredDims(f)
	all := append(dims, groupBy...)
	slices.Sort(all)
	return slices.Compact(all)
}

// matches reports whether a published group lies in the filtered cell.
func matches(g models.StatGroup, dims, values []string) bool {
	for i, d := range dims {
		if g.Group[d] != values[i] {
			return false
		}
	}
	return true
}

// filteredCell is the published cell of the canonical table by the filtered dimensions;
// a filter that matches no organisation gives an empty, withheld cell.
func (s *Server) filteredCell(ctx context.Context, f models.StatisticsFilter, at time.Time) (models.StatGroup, error) {
	dims, values := filteredDims(f)
	table, err := s.canonicalTable(ctx, f, dims, at)
	if err != nil {
		return models.StatGroup{}, err
	}
	for _, g := range table.Groups {
		if matches(g, dims, values) {
			g.Group, g.Labels = map[string]string{}, map[string]string{}
			return g, nil
		}
	}
	_, empty := models.Publish(nil, nil, nil, models.RawGroup{}, true)
	return empty, nil
}

// controlledSlice answers a breakdown under disclosure control from the canonical tables.
// Unfiltered breakdowns come from them too: a two-way table asked for in the other order
// must not be published with another pattern of suppressions.
func (s *Server) controlledSlice(ctx context.Context, f models.StatisticsFilter, groupBy []string, at time.Time) (BreakdownStatistics, error) {
	dims, values := filteredDims(f)
	table, err := s.canonicalTable(ctx, f, controlledDims(f, groupBy), at)
	if err != nil {
		return BreakdownStatistics{}, err
	}
	total := table.Total
	if len(dims) > 0 {
		if total, err = s.filteredCell(ctx, f, at); err != nil {
			return BreakdownStatistics{}, err
		}
	}
	out := BreakdownStatistics{Metadata: metadata(true, at), Filter: f, GroupBy: groupBy, Groups: []models.StatGroup{}, Total: total}
	if out.Filter.Type == "" {
		out.Filter.Type = "trust"
	}
	for _, g := range table.Groups {
		if !matches(g, dims, values) {
			continue
		}
		// Name the group by the asked dimensions only, as an unfiltered answer does.
		g.Group, g.Labels = maps.Clone(g.Group), maps.Clone(g.Labels)
		for _, d := range dims {
			if !slices.Contains(groupBy, d) {
				delete(g.Group, d)
				delete(g.Labels, d)
			}
		}
		out.Groups = append(out.Groups, g)
	}
	if slices.Contains(groupBy, "skill") || slices.Contains(groupBy, "tier") {
		out.Total.OrganisationsWithGap, out.Total.ShareWithGap = models.Figure{}, nil // not additive over skills
	}
	return out, nil
}

// checkControlledDims refuses a controlled request that names more dimensions than the
// canonical tables have.
func checkControlledDims(q *params, f models.StatisticsFilter, groupBy []string, controlled bool) {
	if !controlled {
		return
	}
	if len(controlledDims(f, groupBy)) > maxControlledDims {
		field := "group_by"
		if len(groupBy) == 0 {
			dims, _ := filteredDims(f)
			field = dims[len(dims)-1]
		}
		q.v.Add(field, "under disclosure control, filters and group_by together may name at most two dimensions")
	}
}
