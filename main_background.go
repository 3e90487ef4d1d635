package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"cyberskills/api"
	"cyberskills/models"
	"cyberskills/repository"
)

// runBackground is the leader's work, until ctx ends (leadership lost, or shutdown): the
// flusher, which applies queued writes to the gap counts, and the sweeper, which applies
// the passing of time, forgets old idempotency keys, goes on with erasures' scans and
// takes the monthly statistics snapshot. Each run is counted in the metrics.
func runBackground(ctx context.Context, db *repository.DB, clock models.Clock, cfg config, log *slog.Logger, srv *api.Server) {
	var wg sync.WaitGroup
	wg.Add(2)
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
	wg.Wait()
}
