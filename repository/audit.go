package repository

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// auditRecordSQL appends one entry through audit_record (migration 0016); $1-$9 are the
// arguments of auditArgs.
const auditRecordSQL = `SELECT audit_record($1, $2, $3, $4, $5, $6, $7, $8, $9)`

func auditArgs(e *models.AuditEntry) []any {
	target := e.Target
	if target == nil {
		target = map[string]string{}
	}
	return []any{e.At, e.TokenID, string(e.Role), e.Method, e.Route, e.Organisation, jsonText(target), e.Status, e.RequestID}
}

// recordWriteAudit appends the audit entry that ctx carries, if any and not yet stored, in
// the write's transaction tx; its id is known once the transaction commits. WithTx calls
// it before every commit, so that no change commits without its record.
func recordWriteAudit(ctx context.Context, tx *sqlx.Tx) (int64, error) {
	e := models.AuditOf(ctx)
	if e == nil || e.ID != 0 {
		return 0, nil
	}
	var id int64
	err := tx.GetContext(ctx, &id, auditRecordSQL, auditArgs(e)...)
	return id, err
}

// RecordAudit stores one entry: a new one, or, for a write whose entry committed with it
// (e.ID set), the response's status. The status of a stored entry is filled in once.
func (db *DB) RecordAudit(ctx context.Context, e models.AuditEntry) error {
	if e.ID != 0 {
		_, err := db.ExecContext(ctx, `UPDATE audit_log SET status = $2 WHERE id = $1 AND status IS NULL`, e.ID, e.Status)
		return translate(err)
	}
	_, err := db.ExecContext(ctx, auditRecordSQL, auditArgs(&e)...)
	return translate(err)
}

type auditRow struct {
	ID           int64     `db:"id"`
	At           time.Time `db:"at"`
	TokenID      *int64    `db:"token_id"`
	Role         *string   `db:"role"`
	Method       string    `db:"method"`
	Route        string    `db:"route"`
	Organisation *string   `db:"organisation"`
	Target       []byte    `db:"target"`
	Status       *int      `db:"status"`
	RequestID    *string   `db:"request_id"`
}

// ListAudit lists the trail newest first, by keyset on id.
func (db *DB) ListAudit(ctx context.Context, f models.AuditFilter, page models.Page) ([]models.AuditEntry, string, error) {
	var w filter
	if f.Organisation != "" {
		w.add(`a.organisation_id IN (SELECT t.descendant_id FROM organisation_tree t
			JOIN organisations o ON o.id = t.ancestor_id WHERE o.code = ?)`, f.Organisation)
	}
	if f.TokenID > 0 {
		w.add("a.token_id = ?", f.TokenID)
	}
	if f.From != nil {
		w.add("a.at >= ?", *f.From)
	}
	if f.To != nil {
		w.add("a.at < ?", *f.To)
	}
	return selectPage(ctx, db, `SELECT a.id, a.at, a.token_id, a.role, a.method, a.route, a.organisation, a.target, a.status, a.request_id
		FROM audit_log a`, &w, newestFirst("a.id"), page, auditRow.entry, func(e models.AuditEntry) int64 { return e.ID })
}

func (r auditRow) entry() (models.AuditEntry, error) {
	e := models.AuditEntry{
		ID: r.ID, At: r.At, TokenID: derefInt(r.TokenID), Role: models.Role(deref(r.Role)),
		Method: r.Method, Route: r.Route, Organisation: deref(r.Organisation), Status: r.Status,
		RequestID: deref(r.RequestID),
	}
	return e, json.Unmarshal(r.Target, &e.Target)
}
