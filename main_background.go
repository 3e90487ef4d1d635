package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"cyberskills/api"
	"cyberskills/models"
	"cyberskills/repository"
	"cyberskills/service"
)

// runBackground is the leader's work, until ctx ends (leadership lost, or shutdown): the
// flusher, which applies queued writes to the gap counts, and the sweeper, which applies
// the passing of time, forgets old idempotency keys, goes on with erasures' scans and
// takes the monthly statistics snapshot, and the national assurance figures' computation.
// Each run is counted in the metrics.
func runBackground(ctx context.Context, db *repository.DB, svc *service.Service, clock models.Clock, cfg config, log *slog.Logger, srv *api.Server) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		db.RunSweeper(ctx, clock, cfg.sweepInterval, func(n int, err error) {
			srv.BackgroundRan("sweep", err)
			switch {
			case errors.Is(err, repository.ErrBusy):
				log.Warn("sweep skipped: another server's sweep holds its lock (a leader that lost leadership while sweeping)")
			case err != nil:
				log.Error("sweep failed", "error", err.Error())
			case n > 0:
				log.Info("sweep refreshed expired levels", "rows", n)
			}
		})
	}()
	go func() {
		defer wg.Done()
		db.RunFlusher(ctx, clock, cfg.refreshInterval, func(_ int, err error) {
			srv.BackgroundRan("flush", err)
			if err != nil {
				log.Error("applying queued changes to the gap counts failed", "error", err.Error())
			}
		})
	}()
	go func() {
		defer wg.Done()
		svc.RunAssuranceStatistics(ctx, func(stored []models.AssuranceResult, err error) {
			srv.BackgroundRan("assurance", err)
			for _, r := range stored {
				log.Info("national assurance figures computed", "type", r.Type, "generation", r.Generation,
					"as_of", r.AsOf, "took", r.Took.String())
			}
			switch {
			case errors.Is(err, repository.ErrBusy):
				log.Warn("assurance figures not computed: another server's computation holds its lock")
			case err != nil:
				log.Error("computing the national assurance figures failed; the last result is served", "error", err.Error())
			}
		})
	}()
	wg.Wait()
}
