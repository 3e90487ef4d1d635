package repository

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// TakeSnapshot computes and stores, as taken at at, the headline and every
// single-dimension breakdown over organisations of a type, and their population (what
// disclosure control publishes them from).
func (db *DB) TakeSnapshot(ctx context.Context, orgType string, tokenID int64, at time.Time) (models.Snapshot, error) {
	f := models.StatisticsFilter{Type: orgType}
	head, err := db.StatisticsHeadline(ctx, f, at)
	if err != nil {
		return models.Snapshot{}, err
	}
	pop, err := db.StatisticsPopulation(ctx, orgType, at)
	if err != nil {
		return models.Snapshot{}, err
	}
	figs := models.SnapshotFigures{Headline: head, Breakdowns: map[string][]models.RawGroup{}, Population: &pop}
	for _, d := range models.StatisticsDimensions() {
		groups, err := db.StatisticsBreakdown(ctx, f, []string{d}, at)
		if err != nil {
			return models.Snapshot{}, err
		}
		figs.Breakdowns[d] = groups
	}
	body, err := json.Marshal(figs)
	if err != nil {
		return models.Snapshot{}, err
	}
	s := models.Snapshot{Type: statsArgs(f, at)[0].(string), Figures: figs}
	err = db.WithTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO statistics_snapshots (taken_by, org_type, figures, taken_at) VALUES (NULLIF($1, 0), $2, $3, $4)
			RETURNING id, taken_at`, tokenID, s.Type, string(body), at).Scan(&s.ID, &s.TakenAt)
	})
	return s, err
}

// Snapshots returns the snapshots of a type taken in [from, to), oldest first.
func (db *DB) Snapshots(ctx context.Context, orgType string, from, to time.Time) ([]models.Snapshot, error) {
	var rows []struct {
		ID      int64     `db:"id"`
		TakenAt time.Time `db:"taken_at"`
		Figures []byte    `db:"figures"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT id, taken_at, figures FROM statistics_snapshots
		 WHERE org_type = $1 AND taken_at >= $2 AND taken_at < $3 ORDER BY taken_at, id LIMIT 1000`,
		orgType, from, to); err != nil {
		return nil, translate(err)
	}
	out := make([]models.Snapshot, len(rows))
	for i, r := range rows {
		out[i] = models.Snapshot{ID: r.ID, TakenAt: r.TakenAt, Type: orgType}
		if err := json.Unmarshal(r.Figures, &out[i].Figures); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EnsureMonthlySnapshot takes a snapshot of trusts unless one exists for the calendar
// month (UTC) of at; the sweeper calls it, so that trends have at least one point a month.
// The month and the snapshot's time are both at's, so a new month is seen exactly once.
func (db *DB) EnsureMonthlySnapshot(ctx context.Context, at time.Time) (bool, error) {
	var exists bool
	if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM statistics_snapshots
		WHERE org_type = 'trust' AND taken_at >= date_trunc('month', $1::timestamptz, 'UTC'))`, at); err != nil {
		return false, translate(err)
	}
	if exists {
		return false, nil
	}
	_, err := db.TakeSnapshot(ctx, "trust", 0, at)
	return err == nil, err
}
