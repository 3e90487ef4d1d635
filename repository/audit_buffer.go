package repository

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"cyberskills/models"
)

// AuditBuffer records audit entries in batches: a request hands its entry over and goes
// on, and one statement a tenth of a second writes them all, instead of a commit (and a
// disk flush) per request. It carries the entries of reads, of refused writes, and the
// response status of writes, whose entries commit with the writes themselves. When the
// buffer is full, a request waits for room, so entries are never dropped; Close writes
// what is left. What it holds is lost only in a crash within the batch interval.
type AuditBuffer struct {
	db      *DB
	log     *slog.Logger
	entries chan models.AuditEntry
	done    chan struct{}
	once    sync.Once
	retry   time.Duration // pause before a failed batch is tried again
}

// NewAuditBuffer starts a buffer writing every interval or every batch entries.
func NewAuditBuffer(db *DB, log *slog.Logger, interval time.Duration, batch int) *AuditBuffer {
	b := &AuditBuffer{db: db, log: log, entries: make(chan models.AuditEntry, 4*batch), done: make(chan struct{}),
		retry: 100 * time.Millisecond}
	go b.run(interval, batch)
	return b
}

// RecordAudit queues an entry, dated by its At (the request's instant).
func (b *AuditBuffer) RecordAudit(ctx context.Context, e models.AuditEntry) error {
	select {
	case b.entries <- e:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes the queued entries and stops.
func (b *AuditBuffer) Close() {
	b.once.Do(func() { close(b.entries) })
	<-b.done
}

func (b *AuditBuffer) run(interval time.Duration, batch int) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	var pending []models.AuditEntry
	write := func() {
		if len(pending) > 0 {
			b.write(pending)
			pending = pending[:0]
		}
	}
	for {
		select {
		case e, ok := <-b.entries:
			if !ok {
				write()
				return
			}
			pending = append(pending, e)
			if len(pending) >= batch {
				write()
			}
		case <-t.C:
			write()
		}
	}
}

// write stores a batch; a batch that fails twice is split in halves and each half written
// on its own, so that one bad entry cannot take the others with it. An entry that still
// fails alone, or any entry while the database is unavailable (splitting cannot help
// then), is logged whole at error level: the log keeps what the trail could not.
func (b *AuditBuffer) write(entries []models.AuditEntry) {
	err := b.attempt(entries)
	if err == nil {
		return
	}
	time.Sleep(b.retry)
	if err = b.attempt(entries); err == nil {
		return
	}
	if len(entries) == 1 || models.ErrorCode(err) == models.EUNAVAILABLE {
		for _, e := range entries {
			b.log.Error("audit entry not recorded", "error", err.Error(), "entry", auditLogValue(e))
		}
		return
	}
	half := len(entries) / 2
	b.write(entries[:half])
	b.write(entries[half:])
}

func (b *AuditBuffer) attempt(entries []models.AuditEntry) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return b.db.RecordAudits(ctx, entries)
}

// auditLogValue is an entry as a log attribute: identifiers only, as the trail holds.
func auditLogValue(e models.AuditEntry) slog.Value {
	status := 0
	if e.Status != nil {
		status = *e.Status
	}
	return slog.GroupValue(slog.Int64("id", e.ID), slog.Time("at", e.At), slog.Int64("token_id", e.TokenID),
		slog.String("role", string(e.Role)), slog.String("method", e.Method), slog.String("route", e.Route),
		slog.String("organisation", e.Organisation), slog.Any("target", e.Target), slog.Int("status", status),
		slog.String("request_id", e.RequestID))
}

// RecordAudits stores entries in one transaction: new ones in one insert, and the
// statuses of writes' entries (stored with the writes) in one update.
func (db *DB) RecordAudits(ctx context.Context, entries []models.AuditEntry) error {
	var fresh, statuses []models.AuditEntry
	for _, e := range entries {
		if e.ID != 0 {
			statuses = append(statuses, e)
		} else {
			fresh = append(fresh, e)
		}
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	if len(fresh) > 0 {
		body, err := json.Marshal(fresh)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			SELECT audit_record(e.at, e.token_id, e.role, e.method, e.route, e.organisation, e.target, e.status, e.request_id)
			  FROM jsonb_to_recordset($1::jsonb) AS e (at timestamptz, token_id bigint, role text, method text, route text,
			       organisation text, target jsonb, status int, request_id text)`, string(body)); err != nil {
			return translate(err)
		}
	}
	if len(statuses) > 0 {
		body, err := json.Marshal(statuses)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE audit_log a SET status = e.status
			  FROM jsonb_to_recordset($1::jsonb) AS e (id bigint, status int)
			 WHERE a.id = e.id AND a.status IS NULL`, string(body)); err != nil {
			return translate(err)
		}
	}
	return translate(tx.Commit())
}
