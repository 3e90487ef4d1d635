package repository_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// TestAuditBufferWritesEveryEntry queues more entries than one batch holds and checks
// that all are written, in batches and on Close, with their fields.
func TestAuditBufferWritesEveryEntry(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	buf := repository.NewAuditBuffer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour, 10)
	for i := 0; i < 25; i++ {
		if err := buf.RecordAudit(ctx, models.AuditEntry{At: clocktest.Now(), TokenID: 7, Role: models.RoleHR, Method: "GET",
			Route: "/api/v1/organisations/:code/staff/:external_id", Organisation: "T1",
			Target: map[string]string{"external_id": "E1"}, Status: 200, RequestID: "r"}); err != nil {
			t.Fatal(err)
		}
	}
	buf.Close()
	entries, _, err := db.ListAudit(ctx, repository.AuditFilter{Organisation: "T1"}, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 25 || entries[0].Target["external_id"] != "E1" || entries[0].Role != models.RoleHR || entries[0].Status != 200 {
		t.Fatalf("%d entries, first %+v", len(entries), entries[0])
	}
}
