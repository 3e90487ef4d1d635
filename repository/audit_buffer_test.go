package repository_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
)

// TestAuditBufferWritesEveryEntry queues more entries than one batch holds and checks
// that all are written, in batches and on Close, with their fields.
func TestAuditBufferWritesEveryEntry(t *testing.T) {
	db, ctx := testDB(t)
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	buf := repository.NewAuditBuffer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour, 10)
	ok := 200
	for i := 0; i < 25; i++ {
		if err := buf.RecordAudit(ctx, models.AuditEntry{At: clocktest.Now(), TokenID: 7, Role: models.RoleHR, Method: "GET",
			Route: "/api/v1/organisations/:code/staff/:external_id", Organisation: "T1",
			Target: map[string]string{"external_id": "E1"}, Status: &ok, RequestID: "r"}); err != nil {
			t.Fatal(err)
		}
	}
	buf.Close()
	entries, _, err := db.ListAudit(ctx, models.AuditFilter{Organisation: "T1"}, models.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 25 || entries[0].Target["external_id"] != "E1" || entries[0].Role != models.RoleHR || entries[0].Status == nil || *entries[0].Status != 200 {
		t.Fatalf("%d entries, first %+v", len(entries), entries[0])
	}
}

// TestAuditBufferIsolatesAnEntryThatCannotBeStored: one entry the database refuses (a NUL,
// which jsonb cannot hold) fails its batch; the buffer retries, then splits the batch
// until the others are stored, and logs the refused entry whole at error level.
func TestAuditBufferIsolatesAnEntryThatCannotBeStored(t *testing.T) {
	db, ctx := testDB(t)
	var logged bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelError}))
	buf := repository.NewAuditBuffer(db, log, time.Hour, 16)
	ok := 200
	for i := 0; i < 16; i++ {
		e := models.AuditEntry{At: clocktest.Now(), TokenID: 7, Method: "GET", Route: "/api/v1/organisations/:code/staff/:external_id",
			Target: map[string]string{"external_id": fmt.Sprintf("E%d", i)}, Status: &ok, RequestID: fmt.Sprintf("req-%d", i)}
		if i == 5 {
			e.Target["external_id"] = "x\x00y"
		}
		if err := buf.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	buf.Close()
	var stored []string
	if err := db.SelectContext(ctx, &stored, `SELECT request_id FROM audit_log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 15 || slices.Contains(stored, "req-5") {
		t.Fatalf("stored %v, want every entry but req-5", stored)
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"level":"ERROR"`) || !strings.Contains(lines[0], `"request_id":"req-5"`) ||
		!strings.Contains(lines[0], `"route":"/api/v1/organisations/:code/staff/:external_id"`) {
		t.Fatalf("log %q, want one error line with the whole refused entry", logged.String())
	}
}
