package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/repository"
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
	if err := models.CheckGroupBy(q.GroupBy); err != nil {
		return err
	}
	var v models.Validator
	disclosure.CheckControlledDims(&v, q.Filter, q.GroupBy, q.Controlled)
	return v.Err()
}

// Headline is the national picture over the query's organisations: how many have a
// basic, incident response and advanced skills gap, and a gap in each skill. Under
// disclosure control it is read from the release, so with at most one filter.
func (s *Service) Headline(ctx context.Context, q StatisticsQuery) (disclosure.HeadlineStatistics, error) {
	var v models.Validator
	disclosure.CheckControlledHeadline(&v, q.Filter, q.Controlled)
	if err := v.Err(); err != nil {
		return disclosure.HeadlineStatistics{}, err
	}
	at := s.now()
	if q.Controlled {
		r, err := s.release(ctx, q.Filter.Type, at)
		if err != nil {
			return disclosure.HeadlineStatistics{}, err
		}
		return r.Headline(q.Filter, at), nil
	}
	v2, err := s.figures.get(ctx, figureKey("headline", q.Filter, nil), func(ctx context.Context) (any, error) {
		return lagTolerant(ctx, s, func(db *repository.DB) (models.Headline, error) { return db.StatisticsHeadline(ctx, q.Filter, at) })
	})
	if err != nil {
		return disclosure.HeadlineStatistics{}, err
	}
	return disclosure.PublishHeadline(v2.(models.Headline), q.Filter, false, false, at), nil
}

// Breakdown groups the query's organisations by one or two dimensions. Under disclosure
// control it is a slice of a canonical table of the release (see controlledSlice).
func (s *Service) Breakdown(ctx context.Context, q StatisticsQuery) (disclosure.BreakdownStatistics, error) {
	if err := q.check(); err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	at := s.now()
	if q.Controlled {
		return s.controlledSlice(ctx, q.Filter, q.GroupBy, at)
	}
	v, err := s.figures.get(ctx, figureKey("breakdown", q.Filter, q.GroupBy), func(ctx context.Context) (any, error) {
		return lagTolerant(ctx, s, func(db *repository.DB) ([]models.RawGroup, error) {
			return db.StatisticsBreakdown(ctx, q.Filter, q.GroupBy, at)
		})
	})
	if err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	return disclosure.PublishBreakdown(q.Filter, q.GroupBy, v.([]models.RawGroup), at), nil
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

// Trends follows a metric over the stored snapshots, each published as the live figures
// were when it was taken.
func (s *Service) Trends(ctx context.Context, q TrendsQuery) (disclosure.Trends, error) {
	now := s.now()
	from, to := now.AddDate(-1, 0, 0), now.Add(time.Second)
	if q.From != nil {
		from = *q.From
	}
	if q.To != nil {
		to = *q.To
	}
	snaps, err := lagTolerant(ctx, s, func(db *repository.DB) ([]models.Snapshot, error) { return db.Snapshots(ctx, q.Filter.Type, from, to) })
	if err != nil {
		return disclosure.Trends{}, err
	}
	published := make([]disclosure.PublishedSnapshot, len(snaps))
	for i, sn := range snaps {
		published[i] = s.snapshots.published(sn, q.Controlled)
	}
	out := disclosure.Trends{Metadata: disclosure.Metadata(q.Controlled, now), Metric: q.Metric, GroupBy: q.GroupBy,
		Series: []disclosure.TrendSeries{}}
	if q.GroupBy == "" {
		out.Series = []disclosure.TrendSeries{disclosure.HeadlineSeries(published, q.Metric)}
	} else {
		out.Series = disclosure.GroupSeries(published, q.GroupBy, q.Metric)
	}
	return out, nil
}

// TakeSnapshot stores the national figures of an organisation type now, for trends.
func (s *Service) TakeSnapshot(ctx context.Context, p models.Principal, orgType string) (models.Snapshot, error) {
	return s.db.TakeSnapshot(ctx, orgType, p.TokenID, s.now())
}

// figureKey names a cached figure: what it is, the population and filters, and the
// dimensions. Raw figures are cached per question; analysts' come from one release per
// organisation type.
func figureKey(what string, f models.StatisticsFilter, dims []string) string {
	return what + "?type=" + f.Type + "&region=" + f.Region + "&icb=" + f.ICB + "&sector=" + f.Sector +
		"&size_band=" + f.SizeBand + "&dims=" + strings.Join(dims, ",")
}

// Disclosure control across requests and tables. Filters make totals of their own (the
// headline for two regions, taken from the national headline, would give a third region
// that the breakdown by region suppresses), and tables share figures (a region and an ICB
// covering the same trusts). So under disclosure control every answer is a slice of one
// release: every canonical table of the organisation type (the breakdown of all its
// organisations by each one or two dimensions), published together so that none can be
// worked out from the others (models/disclosure). A filtered answer's groups are the
// cells of the table by its filtered and grouped dimensions, its total the cell of the
// table by its filtered dimensions.

// release is the published release of an organisation type, cached: disclosure control
// runs once per computation, not once per request, and not at all when the population
// has not changed since the last one (see releases).
func (s *Service) release(ctx context.Context, orgType string, at time.Time) (*disclosure.Release, error) {
	v, err := s.figures.get(ctx, figureKey("release", models.StatisticsFilter{Type: orgType}, nil), func(ctx context.Context) (any, error) {
		p, err := lagTolerant(ctx, s, func(db *repository.DB) (models.StatPopulation, error) {
			return db.StatisticsPopulation(ctx, orgType, at)
		})
		if err != nil {
			return nil, err
		}
		return s.releases.of(orgType, p), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*disclosure.Release), nil
}

// controlledSlice answers a breakdown under disclosure control from the release.
// Unfiltered breakdowns come from it too: a two-way table asked for in the other order
// must not be published with another pattern of suppressions.
func (s *Service) controlledSlice(ctx context.Context, f models.StatisticsFilter, groupBy []string, at time.Time) (disclosure.BreakdownStatistics, error) {
	r, err := s.release(ctx, f.Type, at)
	if err != nil {
		return disclosure.BreakdownStatistics{}, err
	}
	dims, values := disclosure.FilteredDims(f)
	groups, total, _ := r.Table(disclosure.ControlledDims(f, groupBy))
	if len(dims) > 0 {
		var found bool
		if total, found = r.Cell(dims, values); !found {
			total = disclosure.EmptyGroup() // no organisation matches the filter
		}
	}
	out := disclosure.BreakdownStatistics{Metadata: disclosure.Metadata(true, at), Filter: f, GroupBy: groupBy,
		Groups: []disclosure.StatGroup{}, Total: total}
	if out.Filter.Type == "" {
		out.Filter.Type = "trust"
	}
	for _, g := range groups {
		if !disclosure.Matches(g, dims, values) {
			continue
		}
		// Name the group by the asked dimensions only, as an unfiltered answer does.
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
