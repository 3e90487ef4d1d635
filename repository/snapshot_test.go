package repository_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
)

// snapshotRow is one stored statistics snapshot as the table holds it.
type snapshotRow struct {
	ID        int64     `db:"id"`
	TakenAt   time.Time `db:"taken_at"`
	TakenBy   *int64    `db:"taken_by"`
	OrgType   string    `db:"org_type"`
	ThisMonth bool      `db:"this_month"`
}

// storedSnapshots lists every snapshot, oldest first, with whether it falls in the test
// clock's calendar month (UTC, as EnsureMonthlySnapshot counts months).
func storedSnapshots(t *testing.T, db *repository.DB) []snapshotRow {
	t.Helper()
	var rows []snapshotRow
	if err := db.SelectContext(context.Background(), &rows, `
		SELECT id, taken_at, taken_by, org_type,
		       date_trunc('month', taken_at AT TIME ZONE 'UTC') = date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AS this_month
		  FROM statistics_snapshots ORDER BY taken_at, id`, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	return rows
}

// snapshotDB is testDB with one trust, so that a snapshot has figures to keep.
func snapshotDB(t *testing.T) (*repository.DB, context.Context) {
	t.Helper()
	db, ctx := testDB(t)
	if _, err := db.Exec(`INSERT INTO organisations (code, name, type) VALUES ('SNAP-T1', 'Snapshot trust', 'trust')`); err != nil {
		t.Fatal(err)
	}
	if got := storedSnapshots(t, db); len(got) != 0 {
		t.Fatalf("a fresh database already holds %d snapshots", len(got))
	}
	return db, ctx
}

// TestEnsureMonthlySnapshotStoresOnePerMonth: on a database without a snapshot this
// month the monthly routine stores one automatic snapshot of trusts (no token), with the
// headline and every one-dimension breakdown; called again the same month it stores none.
func TestEnsureMonthlySnapshotStoresOnePerMonth(t *testing.T) {
	db, ctx := snapshotDB(t)

	took, err := db.EnsureMonthlySnapshot(ctx, clocktest.Now())
	if err != nil || !took {
		t.Fatalf("first call this month: took %v, err %v; want a snapshot taken", took, err)
	}
	rows := storedSnapshots(t, db)
	if len(rows) != 1 {
		t.Fatalf("%d snapshots after the first call, want 1", len(rows))
	}
	if r := rows[0]; r.OrgType != "trust" || r.TakenBy != nil || !r.ThisMonth {
		t.Fatalf("snapshot %+v, want an automatic (taken_by NULL) trust snapshot of this month", r)
	}

	from := clocktest.MonthStart(0)
	snaps, err := db.Snapshots(ctx, "trust", from, from.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || snaps[0].ID != rows[0].ID {
		t.Fatalf("Snapshots of this month: %+v, want the one stored (id %d)", snaps, rows[0].ID)
	}
	f := snaps[0].Figures
	live, err := db.StatisticsHeadline(ctx, models.StatisticsFilter{Type: "trust"}, clocktest.Now())
	if err != nil {
		t.Fatal(err)
	}
	if f.Headline.Organisations != 1 || len(f.Headline.Skills) == 0 || !reflect.DeepEqual(f.Headline, live) {
		t.Fatalf("snapshot headline %+v, want the live trust headline (1 trust) %+v", f.Headline, live)
	}
	for _, d := range models.StatisticsDimensions() {
		if _, ok := f.Breakdowns[d]; !ok {
			t.Errorf("the snapshot has no %s breakdown", d)
		}
	}
	if len(f.Breakdowns) != len(models.StatisticsDimensions()) {
		t.Errorf("breakdowns %d, want %d (one per dimension)", len(f.Breakdowns), len(models.StatisticsDimensions()))
	}

	for i := 0; i < 2; i++ {
		took, err = db.EnsureMonthlySnapshot(ctx, clocktest.Now())
		if err != nil || took {
			t.Fatalf("call %d again the same month: took %v, err %v; want nothing taken", i+2, took, err)
		}
	}
	if got := storedSnapshots(t, db); len(got) != 1 {
		t.Fatalf("%d snapshots after calling again the same month, want still 1", len(got))
	}
}

// TestSweepTakesTheMonthlySnapshot: the periodic sweep (what the server runs every
// SWEEP_INTERVAL) takes the month's snapshot when it is missing and only then.
func TestSweepTakesTheMonthlySnapshot(t *testing.T) {
	db, ctx := snapshotDB(t)
	for i := 0; i < 3; i++ {
		if _, err := db.Sweep(ctx, clocktest.Now()); err != nil {
			t.Fatalf("sweep %d: %v", i+1, err)
		}
		rows := storedSnapshots(t, db)
		if len(rows) != 1 || rows[0].OrgType != "trust" || rows[0].TakenBy != nil || !rows[0].ThisMonth {
			t.Fatalf("after sweep %d: %+v, want exactly one automatic trust snapshot of this month", i+1, rows)
		}
	}
}

// TestRunSweeperSnapshotsOnStart: the background sweeper sweeps as soon as it starts,
// not one interval later, so a server started with the default SWEEP_INTERVAL stores the
// month's snapshot by itself straight away.
func TestRunSweeperSnapshotsOnStart(t *testing.T) {
	db, ctx := snapshotDB(t)
	ctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	reports := make(chan error, 16)
	go func() {
		defer close(done)
		db.RunSweeper(ctx, clocktest.Clock{}, time.Hour, func(_ int, err error) {
			select {
			case reports <- err:
			default:
			}
		})
	}()
	defer func() { stop(); <-done }()
	select {
	case err := <-reports:
		if err != nil {
			t.Fatalf("the first sweep failed: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("RunSweeper did not sweep on start")
	}
	rows := storedSnapshots(t, db)
	if len(rows) != 1 || rows[0].OrgType != "trust" || rows[0].TakenBy != nil || !rows[0].ThisMonth {
		t.Fatalf("after the sweeper's first run: %+v, want one automatic trust snapshot of this month", rows)
	}
}

// TestEnsureMonthlySnapshotCountsOnlyThisMonthsTrustSnapshots: a trust snapshot from last
// month or one of another organisation type does not stand for this month's; an admin's
// on-demand trust snapshot taken this month does.
func TestEnsureMonthlySnapshotCountsOnlyThisMonthsTrustSnapshots(t *testing.T) {
	t.Parallel()

	t.Run("last month's and another type's do not count", func(t *testing.T) {
		db, ctx := snapshotDB(t)
		if _, err := db.Exec(`INSERT INTO statistics_snapshots (taken_at, org_type, figures) VALUES ($1, 'trust', '{}')`,
			clocktest.MonthStart(0).AddDate(0, 0, -1)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TakeSnapshot(ctx, "icb", 0, clocktest.Now()); err != nil {
			t.Fatal(err)
		}
		took, err := db.EnsureMonthlySnapshot(ctx, clocktest.Now())
		if err != nil || !took {
			t.Fatalf("took %v, err %v; want a trust snapshot for this month", took, err)
		}
		var trustThisMonth, total int
		for _, r := range storedSnapshots(t, db) {
			total++
			if r.OrgType == "trust" && r.ThisMonth {
				trustThisMonth++
			}
		}
		if trustThisMonth != 1 || total != 3 {
			t.Fatalf("%d trust snapshots this month of %d in all, want 1 of 3", trustThisMonth, total)
		}
	})

	t.Run("an admin's snapshot this month counts", func(t *testing.T) {
		db, ctx := snapshotDB(t)
		tok, _, err := db.CreateToken(ctx, models.NewToken{Name: "snapshot admin", Role: models.RoleAdmin}, clocktest.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TakeSnapshot(ctx, "trust", tok.ID, clocktest.Now()); err != nil {
			t.Fatal(err)
		}
		took, err := db.EnsureMonthlySnapshot(ctx, clocktest.Now())
		if err != nil || took {
			t.Fatalf("took %v, err %v; want nothing taken after the admin's snapshot", took, err)
		}
		rows := storedSnapshots(t, db)
		if len(rows) != 1 || rows[0].TakenBy == nil || *rows[0].TakenBy != tok.ID {
			t.Fatalf("snapshots %+v, want only the admin's (taken_by %d)", rows, tok.ID)
		}
	})
}
