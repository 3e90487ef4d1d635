package repository

import (
	"context"
	"time"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

type outcomeRow struct {
	Seq      int64     `db:"seq"`
	ID       string    `db:"id"`
	Provider string    `db:"provider"`
	Stored   time.Time `db:"stored_at"`
	Verb     string    `db:"verb"`
	Activity *string   `db:"activity"`
	Status   string    `db:"match_status"`
	Reason   *string   `db:"match_reason"`
	Course   *string   `db:"course"`
}

// ListStatementOutcomes lists what became of a provider's statements (every provider's
// for ""), newest first, a page at a time: whether each earned evidence, and why not.
func (db *DB) ListStatementOutcomes(ctx context.Context, provider string, f xapi.OutcomeFilter, page models.Page) ([]xapi.Outcome, string, error) {
	var w filter
	if provider != "" {
		w.add("x.provider = ?", provider)
	}
	if f.Status != "" {
		w.add("x.match_status = ?", f.Status)
	}
	if f.Since != nil {
		w.add("x.stored_at > ?", *f.Since)
	}
	type keyed struct {
		xapi.Outcome
		seq int64
	}
	items, next, err := selectPage(ctx, db, `
		SELECT x.seq, x.id::text, x.provider, x.stored_at, x.verb, x.activity, x.match_status, x.match_reason, c.code AS course
		  FROM xapi_statements x LEFT JOIN courses c ON c.id = x.course_id`, &w, newestFirst("x.seq"), page,
		always(func(r outcomeRow) keyed {
			return keyed{xapi.Outcome{StatementID: r.ID, Provider: r.Provider, Stored: r.Stored, Verb: r.Verb, Activity: deref(r.Activity),
				Status: r.Status, Reason: deref(r.Reason), Course: deref(r.Course)}, r.Seq}
		}), func(k keyed) int64 { return k.seq })
	out := make([]xapi.Outcome, len(items))
	for i, k := range items {
		out[i] = k.Outcome
	}
	return out, next, err
}
