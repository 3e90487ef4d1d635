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
// on, and one multi-row insert a tenth of a second writes them all, instead of a commit
// (and a disk flush) per request. When the buffer is full, a request waits for room, so
// entries are never dropped; Close writes what is left. An entry can be lost only in a
// crash within the batch interval.
type AuditBuffer struct {
	db      *DB
	log     *slog.Logger
	entries chan models.AuditEntry
	done    chan struct{}
	once    sync.Once
}

// NewAuditBuffer starts a buffer writing every interval or every batch entries.
func NewAuditBuffer(db *DB, log *slog.Logger, interval time.Duration, batch int) *AuditBuffer {
	b := &AuditBuffer{db: db, log: log, entries: make(chan models.AuditEntry, 4*batch), done: make(chan struct{})}
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
		if len(pending) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := b.db.RecordAudits(ctx, pending); err != nil {
			b.log.Error("writing audit entries failed", "entries", len(pending), "error", err.Error())
		}
		cancel()
		pending = pending[:0]
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

// RecordAudits appends entries in one statement.
func (db *DB) RecordAudits(ctx context.Context, entries []models.AuditEntry) error {
	body, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `
		INSERT INTO audit_log (at, token_id, role, method, route, organisation_id, organisation, target, status, request_id)
		SELECT e.at, NULLIF(e.token_id, 0), NULLIF(e.role, ''), e.method, e.route, o.id, NULLIF(e.organisation, ''),
		       COALESCE(e.target, '{}'), e.status, NULLIF(e.request_id, '')
		  FROM jsonb_to_recordset($1::jsonb) AS e (at timestamptz, token_id bigint, role text, method text, route text,
		       organisation text, target jsonb, status int, request_id text)
		  LEFT JOIN organisations o ON o.code = e.organisation`, string(body))
	return translate(err)
}
