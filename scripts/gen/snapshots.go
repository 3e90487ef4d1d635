package main

import (
	"context"
	"fmt"
	"time"
)

// snapshots takes the trusts' monthly statistics snapshot for each of the last n months
// as the service would have taken it then (the gap aggregates rebuilt as of that
// moment: evidence assessed later, or expired by then, does not count), then this
// month's, and leaves the aggregates as of now. It gives the trend views a history.
func (g *generator) snapshots(ctx context.Context, n int) error {
	for m := n; m >= 0; m-- {
		at := g.now.AddDate(0, -m, 0)
		if err := g.rebuild(ctx, at); err != nil {
			return fmt.Errorf("rebuilding the gap aggregates as of %s: %w", at.Format(time.DateOnly), err)
		}
		if _, err := g.db.TakeSnapshot(ctx, "trust", 0, at); err != nil {
			return fmt.Errorf("taking the snapshot of %s: %w", at.Format(time.DateOnly), err)
		}
	}
	g.step("took %d monthly snapshots of the trusts", n+1)
	return nil
}
