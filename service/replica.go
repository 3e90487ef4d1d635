package service

import (
	"context"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

// Reads that tolerate lag go to the read replica when one is configured (ReadFrom): the
// national statistics (headline, breakdowns and trends, which are served up to a cache
// lifetime old anyway, and which no analyst reads right after writing them) and the gap
// reports as of a past date (at), which read the evidence history rather than the
// counts kept current. Nothing a client reads right after its own write goes there: the
// current gap reports, staff, evidence, tokens, the organisation a route names and every
// write stay on the primary. Evidence recorded with a past date can reach a report as of
// that date up to the replica's lag bound later.

// ReadFrom sends the reads that tolerate lag to r.
func (s *Service) ReadFrom(r *repository.Replica) { s.replica = r }

// readLagTolerant runs read on the replica when it is in use, else on the primary; a
// replica that fails to answer is retried on the primary (repository.Replica.Read).
func (s *Service) readLagTolerant(ctx context.Context, read func(db *repository.DB) error) error {
	if s.replica == nil {
		return read(s.db)
	}
	return s.replica.Read(ctx, read)
}

// lagTolerant is readLagTolerant for a read of one value.
func lagTolerant[T any](ctx context.Context, s *Service, read func(db *repository.DB) (T, error)) (T, error) {
	var out T
	err := s.readLagTolerant(ctx, func(db *repository.DB) error {
		var err error
		out, err = read(db)
		return err
	})
	return out, err
}

// readReport runs a gap report's read: as of a past date on the replica when in use,
// otherwise on the primary, where the current figures include every write before it.
func (s *Service) readReport(ctx context.Context, q models.GapQuery, read func(db *repository.DB) error) error {
	if q.At == nil {
		return read(s.db)
	}
	return s.readLagTolerant(ctx, read)
}

// FiguresChanged is told of every change to what the statistics are made of, on any
// server (repository.DB.FollowStatistics): every cached figure lapses. The announcement
// comes from the primary; figures recomputed from a replica that has not replayed the
// change yet would be kept for a whole lifetime, so with a replica they lapse once more
// when every read from it includes the change. On the leader, it makes the national
// assurance figures due for computation (assuranceDue).
func (s *Service) FiguresChanged() {
	s.assurance.changes.Add(1)
	s.figures.lapse()
	if s.replica != nil {
		time.AfterFunc(s.replica.CatchUp(), s.figures.lapse)
	}
}
