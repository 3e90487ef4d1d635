package service

import (
	"context"
	"errors"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

// assuranceRun is what the leader remembers of its last computation of a type's figures.
type assuranceRun struct {
	started time.Time // by the process's clock: the interval is real elapsed time, as a job's
	changes int64     // the announcements of a change seen when it began
	failed  bool
}

// assuranceDue says whether a type's figures are to be computed now, given the stored
// result, the leader's last computation of them (ran: there was one in this process),
// the announcements of a change seen so far, the service's instant now and the process's
// clock wall:
//   - a type asked for with no result yet is computed at once, and so is every type when
//     a server takes leadership (it cannot know what changed before);
//   - a result as of another day (UTC) than now is computed again: training falls due and
//     month-ends pass with the day, which announces nothing;
//   - a change announced since the last computation began is taken in, but no sooner
//     than interval after that computation began, so that a busy day's stream of
//     changes costs one computation an interval, not one each;
//   - a failed computation is tried again an interval after it began, not at every poll.
func assuranceDue(stored models.AssuranceResult, last assuranceRun, ran bool, changes int64, now, wall time.Time, interval time.Duration) bool {
	waited := wall.Sub(last.started) >= interval
	switch {
	case !ran:
		return true
	case last.failed:
		return waited
	case !stored.Computed(), !sameUTCDay(stored.AsOf, now):
		return true
	case changes > last.changes:
		return waited
	}
	return false
}

func sameUTCDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// RefreshAssuranceStatistics is one round of the leader's background computation of the
// national assurance figures: every organisation type asked for whose figures are due
// (assuranceDue) is computed as of now, each in a transaction whose statements may take
// the configured budget (AssuranceTimeout), and stored, so that every server serves it
// from its next request. It returns the results it stored; repository.ErrBusy when
// another server is computing.
func (s *Service) RefreshAssuranceStatistics(ctx context.Context) ([]models.AssuranceResult, error) {
	wanted, err := s.db.WantedAssuranceStatistics(ctx)
	if err != nil {
		return nil, err
	}
	var stored []models.AssuranceResult
	for _, w := range wanted {
		a := s.assurance
		changes := a.changes.Load()
		a.mu.Lock()
		last, ran := a.runs[w.Type]
		a.mu.Unlock()
		now, wall := s.now(), time.Now()
		if !assuranceDue(w, last, ran, changes, now, wall, s.cfg.AssuranceRefreshInterval) {
			continue
		}
		r, err := s.db.ComputeAssuranceStatistics(ctx, w.Type, models.MonthEnds(now, evaluationMonths)[0], now, s.cfg.AssuranceTimeout)
		if ctx.Err() != nil {
			return stored, ctx.Err() // stopped (leadership lost): not a failure of the figures
		}
		if errors.Is(err, repository.ErrBusy) {
			return stored, err // another server is computing: tried again at the next look
		}
		a.mu.Lock()
		a.runs[w.Type] = assuranceRun{started: wall, changes: changes, failed: err != nil}
		a.mu.Unlock()
		if err != nil {
			return stored, err
		}
		r.Orgs = nil
		stored = append(stored, r)
	}
	return stored, nil
}

// RunAssuranceStatistics computes the national assurance figures when due, until ctx
// ends: the leader's work. report is told of every round.
func (s *Service) RunAssuranceStatistics(ctx context.Context, report func(stored []models.AssuranceResult, err error)) {
	// A new term: what changed while another server led is not known here.
	s.assurance.mu.Lock()
	clear(s.assurance.runs)
	s.assurance.mu.Unlock()
	t := time.NewTicker(assurancePoll)
	defer t.Stop()
	for {
		stored, err := s.RefreshAssuranceStatistics(ctx)
		if ctx.Err() != nil {
			return
		}
		report(stored, err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
