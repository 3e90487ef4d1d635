package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// ErrAssuranceComputing answers a request for national assurance figures that have not
// been computed yet: the leader is computing them, and the caller should come back.
var ErrAssuranceComputing = models.Errorf(models.EUNAVAILABLE,
	"the national assurance figures of this organisation type are being computed for the first time; try again shortly")

// assurancePoll is how often the leader looks for national assurance figures that are
// due: a read of one small row per organisation type asked for.
const assurancePoll = time.Second

// AssuranceStatistics is the share of organisations of a type meeting each B6 indicator,
// nationally and by groupBy (region, icb, sector; empty: national only), each organisation
// judged over its own subtree by its own report's rules, the evaluation over the same year
// as an organisation's report. At national scale (millions of staff) the figures take
// longer to compute than a request may, so the leader computes them in the background
// (RefreshAssuranceStatistics) and a request publishes the last stored result, as of the
// instant its computation began, which the answer states. Under disclosure control it is
// published as the skills gap statistics are: a release of every canonical table at once
// (models/disclosure), made once per stored result. Before a type's first result it
// answers ErrAssuranceComputing, and asks for the type.
func (s *Service) AssuranceStatistics(ctx context.Context, orgType, groupBy string, controlled bool) (disclosure.AssuranceStatistics, error) {
	r, err := s.assurance.latest(ctx, s, orgType)
	if err != nil {
		return disclosure.AssuranceStatistics{}, err
	}
	out := disclosure.PublishAssurance(r.release(controlled), orgType, groupBy, r.AsOf)
	out.AsOf, out.ComputedAt = r.AsOf, r.ComputedAt
	return out, nil
}

// assuranceResults are the stored results this server has read, with their releases, and
// what the leader remembers of its own computations.
type assuranceResults struct {
	mu   sync.Mutex
	read map[string]*publishedAssurance // by organisation type
	// changes counts the announcements of a change to what the figures are made of.
	changes atomic.Int64
	runs    map[string]assuranceRun // the leader's last computation of each type
}

func newAssuranceResults() *assuranceResults {
	return &assuranceResults{read: map[string]*publishedAssurance{}, runs: map[string]assuranceRun{}}
}

// publishedAssurance is a stored result and its releases, made when first asked for.
type publishedAssurance struct {
	models.AssuranceResult
	once     [2]sync.Once
	releases [2]*disclosure.Release // raw, controlled
}

func (p *publishedAssurance) release(controlled bool) *disclosure.Release {
	i := 0
	if controlled {
		i = 1
	}
	p.once[i].Do(func() { p.releases[i] = disclosure.NewRelease(models.AssurancePopulation(p.Orgs), controlled) })
	return p.releases[i]
}

// latest is the newest stored result of a type. Each request reads the type's row, which
// carries the organisations only when its generation is new to this server: a result
// stored by any server is served by every server from the next request on, with no
// announcement to miss.
func (a *assuranceResults) latest(ctx context.Context, s *Service, orgType string) (*publishedAssurance, error) {
	a.mu.Lock()
	known := a.read[orgType]
	a.mu.Unlock()
	var generation int64
	if known != nil {
		generation = known.Generation
	}
	r, err := s.db.AssuranceResult(ctx, orgType, generation)
	if models.ErrorCode(err) == models.ENOTFOUND {
		if err := s.db.AskForAssuranceStatistics(ctx, orgType); err != nil {
			return nil, err
		}
		return nil, ErrAssuranceComputing
	}
	switch {
	case err != nil:
		return nil, err
	case !r.Computed():
		return nil, ErrAssuranceComputing
	case known != nil && r.Generation == known.Generation:
		return known, nil
	}
	p := &publishedAssurance{AssuranceResult: r}
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur := a.read[orgType]; cur != nil && cur.Generation == p.Generation {
		return cur, nil // a concurrent request read it: its releases are shared
	}
	// What was read last is kept, even an older generation than a concurrent request's
	// (the next request reads the newer one again): a generation that went back (the
	// table made again) must not leave a server serving its old result.
	a.read[orgType] = p
	return p, nil
}
