package service

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// StatisticsQuery is what an analyst asks of the national statistics: a population, how
// to group it, and whether disclosure control applies (always for analysts; admins may
// ask for raw figures).
type StatisticsQuery struct {
	Filter     models.StatisticsFilter
	GroupBy    []string
	Controlled bool
}

// check refuses a controlled query that names more dimensions than the canonical tables
// have.
func (q StatisticsQuery) check() error {
	var v models.Validator
	disclosure.CheckControlledDims(&v, q.Filter, q.GroupBy, q.Controlled)
	return v.Err()
}

// Headline is the national picture over the query's organisations: how many have a
// basic, incident response and advanced skills gap, and a gap in each skill. Under
// disclosure control a filtered headline is published only where the canonical table
// publishes its cell.
func (s *Service) Headline(ctx context.Context, q StatisticsQuery) (disclosure.HeadlineStatistics, error) {
	if err := q.check(); err != nil {
		return disclosure.HeadlineStatistics{}, err
	}
	at := s.now()
	v, err := s.figures.get(ctx, figureKey("headline", q.Filter, nil), func(ctx context.Context) (any, error) {
		return s.db.StatisticsHeadline(ctx, q.Filter, at)
	})
	if err != nil {
		return disclosure.HeadlineStatistics{}, err
	}
	withheld := false
	if dims, _ := disclosure.FilteredDims(q.Filter); q.Controlled && len(dims) > 0 {
		cell, err := s.filteredCell(ctx, q.Filter, at)
		if err != nil {
			return disclosure.HeadlineStatistics{}, err
		}
		withheld = cell.Organisations.Suppressed
	}
	return disclosure.PublishHeadline(v.(models.Headline), q.Filter, q.Controlled, withheld, at), nil
}

// Breakdown groups the query's organisations by one or two dimensions. Under disclosure
// control it is a slice of a canonical table (see canonicalTable).
func (s *Service) Breakdown(ctx context.Context, q StatisticsQuery) (disclosure.BreakdownStatistics, error) {
	if err := q.check(); err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	at := s.now()
	if q.Controlled {
		return s.controlledSlice(ctx, q.Filter, q.GroupBy, at)
	}
	v, err := s.figures.get(ctx, figureKey("breakdown", q.Filter, q.GroupBy), func(ctx context.Context) (any, error) {
		return s.db.StatisticsBreakdown(ctx, q.Filter, q.GroupBy, at)
	})
	if err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	return disclosure.PublishBreakdown(q.Filter, q.GroupBy, v.([]models.RawGroup), false, at), nil
}

// TrendsQuery asks for one metric over the snapshots taken in [From, To), nationally or
// by one dimension.
type TrendsQuery struct {
	Filter     models.StatisticsFilter
	GroupBy    string
	Metric     string
	From, To   *time.Time // default: the last year
	Controlled bool
}

// Trends follows a metric over the stored snapshots, published as each snapshot's
// figures are.
func (s *Service) Trends(ctx context.Context, q TrendsQuery) (disclosure.Trends, error) {
	now := s.now()
	from, to := now.AddDate(-1, 0, 0), now.Add(time.Second)
	if q.From != nil {
		from = *q.From
	}
	if q.To != nil {
		to = *q.To
	}
	snaps, err := s.db.Snapshots(ctx, q.Filter.Type, from, to)
	if err != nil {
		return disclosure.Trends{}, err
	}
	out := disclosure.Trends{Metadata: disclosure.Metadata(q.Controlled, now), Metric: q.Metric, GroupBy: q.GroupBy,
		Series: []disclosure.TrendSeries{}}
	if q.GroupBy == "" {
		out.Series = []disclosure.TrendSeries{disclosure.HeadlineSeries(snaps, q.Metric, q.Controlled)}
	} else {
		out.Series = disclosure.GroupSeries(snaps, q.GroupBy, q.Metric, q.Controlled)
	}
	return out, nil
}

// TakeSnapshot stores the national figures of an organisation type now, for trends.
func (s *Service) TakeSnapshot(ctx context.Context, p models.Principal, orgType string) (models.Snapshot, error) {
	return s.db.TakeSnapshot(ctx, orgType, p.TokenID, s.now())
}

// figureKey names a cached figure: what it is, the population and filters, and the
// dimensions. Figures are cached raw and published per request, so that analysts and
// admins, JSON and CSV, share one computation.
func figureKey(what string, f models.StatisticsFilter, dims []string) string {
	return what + "?type=" + f.Type + "&region=" + f.Region + "&icb=" + f.ICB + "&sector=" + f.Sector +
		"&size_band=" + f.SizeBand + "&dims=" + strings.Join(dims, ",")
}

// Disclosure control across requests. Complementary suppression protects the cells of one
// table against its totals, but filters make new totals: the headline for two regions,
// taken from the national headline, would give a third region that the breakdown by
// region suppresses. So under disclosure control a filtered answer is a slice of one
// canonical table, the breakdown of all organisations of the type by the filtered and
// grouped dimensions, published with the usual rules; its total is the filtered cell of
// the canonical table by the filtered dimensions alone. Every figure an analyst can ask
// for is then a figure of a canonical table, and those tables protect each other's totals.

// canonicalTable is the published breakdown of all organisations of f's type by dims,
// cached as published: complementary suppression runs once per computation, not once per
// request. Callers copy what they change; the cached table is shared.
func (s *Service) canonicalTable(ctx context.Context, f models.StatisticsFilter, dims []string, at time.Time) (disclosure.BreakdownStatistics, error) {
	all := models.StatisticsFilter{Type: f.Type}
	v, err := s.figures.get(ctx, figureKey("canonical", all, dims), func(ctx context.Context) (any, error) {
		groups, err := s.db.StatisticsBreakdown(ctx, all, dims, at)
		return disclosure.PublishBreakdown(all, dims, groups, true, at), err
	})
	if err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	return v.(disclosure.BreakdownStatistics), nil
}

// filteredCell is the published cell of the canonical table by the filtered dimensions;
// a filter that matches no organisation gives an empty, withheld cell.
func (s *Service) filteredCell(ctx context.Context, f models.StatisticsFilter, at time.Time) (disclosure.StatGroup, error) {
	dims, values := disclosure.FilteredDims(f)
	table, err := s.canonicalTable(ctx, f, dims, at)
	if err != nil {
		return disclosure.StatGroup{}, err
	}
	for _, g := range table.Groups {
		if disclosure.Matches(g, dims, values) {
			g.Group, g.Labels = map[string]string{}, map[string]string{}
			return g, nil
		}
	}
	_, empty := disclosure.Publish(nil, nil, nil, models.RawGroup{}, true)
	return empty, nil
}

// controlledSlice answers a breakdown under disclosure control from the canonical tables.
// Unfiltered breakdowns come from them too: a two-way table asked for in the other order
// must not be published with another pattern of suppressions.
func (s *Service) controlledSlice(ctx context.Context, f models.StatisticsFilter, groupBy []string, at time.Time) (disclosure.BreakdownStatistics, error) {
	dims, values := disclosure.FilteredDims(f)
	table, err := s.canonicalTable(ctx, f, disclosure.ControlledDims(f, groupBy), at)
	if err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	total := table.Total
	if len(dims) > 0 {
		if total, err = s.filteredCell(ctx, f, at); err != nil {
			return disclosure.BreakdownStatistics{}, err
		}
	}
	out := disclosure.BreakdownStatistics{Metadata: disclosure.Metadata(true, at), Filter: f, GroupBy: groupBy,
		Groups: []disclosure.StatGroup{}, Total: total}
	if out.Filter.Type == "" {
		out.Filter.Type = "trust"
	}
	for _, g := range table.Groups {
		if !disclosure.Matches(g, dims, values) {
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
		out.Total.OrganisationsWithGap, out.Total.ShareWithGap = disclosure.Figure{}, nil // not additive over skills
	}
	return out, nil
}
