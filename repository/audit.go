package repository

import (
	"context"
	"encoding/json"
	"time"

	"cyberskills/models"
)

// RecordAudit appends one entry to the audit trail. The organisation is resolved from
// its code in the same statement; an unknown code is kept as given.
func (db *DB) RecordAudit(ctx context.Context, e models.AuditEntry) error {
	target, err := json.Marshal(e.Target)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `
		INSERT INTO audit_log (token_id, role, method, route, organisation_id, organisation, target, status, request_id, at)
		VALUES (NULLIF($1, 0), NULLIF($2, ''), $3, $4,
		        (SELECT id FROM organisations WHERE code = NULLIF($5, '')), NULLIF($5, ''), $6, $7, NULLIF($8, ''), $9)`,
		e.TokenID, string(e.Role), e.Method, e.Route, e.Organisation, string(target), e.Status, e.RequestID, e.At)
	return translate(err)
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	Organisation string // its code; entries for the organisation and its subtree
	TokenID      int64
	From, To     *time.Time
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
	Status       int       `db:"status"`
	RequestID    *string   `db:"request_id"`
}

// ListAudit lists the trail newest first, by keyset on id.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter, page models.Page) ([]models.AuditEntry, string, error) {
	page = page.Normalize()
	var after int64
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	var w filter
	if after > 0 {
		w.add("a.id < ?", after)
	}
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
	w.args = append(w.args, page.Limit+1)
	var rows []auditRow
	q := `SELECT a.id, a.at, a.token_id, a.role, a.method, a.route, a.organisation, a.target, a.status, a.request_id
		FROM audit_log a` + w.where() + ` ORDER BY a.id DESC LIMIT ?`
	if err := db.SelectContext(ctx, &rows, db.Rebind(q), w.args...); err != nil {
		return nil, "", translate(err)
	}
	out := make([]models.AuditEntry, 0, len(rows))
	for _, r := range rows {
		e := models.AuditEntry{
			ID: r.ID, At: r.At, TokenID: derefInt(r.TokenID), Role: models.Role(deref(r.Role)),
			Method: r.Method, Route: r.Route, Organisation: deref(r.Organisation), Status: r.Status,
			RequestID: deref(r.RequestID),
		}
		if err := json.Unmarshal(r.Target, &e.Target); err != nil {
			return nil, "", err
		}
		out = append(out, e)
	}
	return paginate(out, page.Limit, func(e models.AuditEntry) any { return e.ID })
}
