package repository_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
)

// What the statistics are made of announces its changes: an organisation written by an
// administrator, and the gap counts a flush applies after a write of staff.
func TestStatisticsChangesAreAnnounced(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 100)
	followed := make(chan error, 1)
	go func() {
		followed <- db.FollowStatistics(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil)), func() { changed <- struct{}{} })
	}()
	defer func() { cancel(); <-followed }()
	announced := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatalf("no announcement of %s", what)
		}
	}
	announced("listening") // a listener starts by assuming it missed changes
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	announced("a new organisation")
	all := models.ScopeAll()
	orgID, _ := db.OrganisationID(ctx, all, "T1")
	if _, err := db.CreateStaff(ctx, all, orgID, models.Staff{ExternalID: "E1", FTE: 1, Status: models.StaffActive}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Flush(ctx, clocktest.Now()); err != nil || n == 0 {
		t.Fatalf("flushed %d entries: %v", n, err)
	}
	announced("the counts a flush applied")
}
