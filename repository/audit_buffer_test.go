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

// TestAuditBufferStoresABatchWholeOnItsRetry: the database refuses a batch once, as it
// refuses a transaction that loses a serialization conflict, after the batch's first five
// rows are in; the buffer tries again and the retry stores the whole batch, each entry
// once, in one transaction (not split), with nothing logged.
func TestAuditBufferStoresABatchWholeOnItsRetry(t *testing.T) {
	db, ctx := testDB(t)
	// A sequence is not rolled back with the transaction that moved it: the sixth row the
	// database is asked to insert is refused, and no other.
	mustExec(t, db, `CREATE SEQUENCE audit_rows_tried`)
	mustExec(t, db, `CREATE FUNCTION refuse_the_sixth_row() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF nextval('audit_rows_tried') = 6 THEN
				RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';
			END IF;
			RETURN NEW;
		END $$`)
	mustExec(t, db, `CREATE TRIGGER refuse_the_sixth_row BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_the_sixth_row()`)
	var logged bytes.Buffer
	buf := repository.NewAuditBuffer(db, slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelError})), time.Hour, 16)
	ok := 200
	var want []string
	for i := 0; i < 16; i++ {
		want = append(want, fmt.Sprintf("req-%02d", i))
		if err := buf.RecordAudit(ctx, models.AuditEntry{At: clocktest.Now(), TokenID: 7, Method: "GET", Route: "/api/v1/organisations",
			Status: &ok, RequestID: want[i]}); err != nil {
			t.Fatal(err)
		}
	}
	buf.Close()

	var stored []struct {
		RequestID   string `db:"request_id"`
		Transaction string `db:"xmin"`
	}
	if err := db.SelectContext(ctx, &stored, `SELECT request_id, xmin::text AS xmin FROM audit_log ORDER BY request_id`); err != nil {
		t.Fatal(err)
	}
	var got []string
	transactions := map[string]bool{}
	for _, s := range stored {
		got = append(got, s.RequestID)
		transactions[s.Transaction] = true
	}
	if !slices.Equal(got, want) || len(transactions) != 1 {
		t.Fatalf("stored %v in %d transactions, want each of %v once, in one", got, len(transactions), want)
	}
	// The first attempt got as far as the sixth row, the retry through all sixteen.
	var tried int
	if err := db.GetContext(ctx, &tried, `SELECT last_value FROM audit_rows_tried`); err != nil {
		t.Fatal(err)
	}
	if tried != 6+16 || logged.Len() != 0 {
		t.Fatalf("%d rows tried, want 22 (6 refused at the sixth, then 16); log %q", tried, logged.String())
	}
}
