package repository

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// Every read of statements is limited in SQL to the caller's provider (provider ""
// reads every provider's: an administrator). Another provider's statement does not
// exist for a caller (404).

type storedRow struct {
	ID        string          `db:"id"`
	Provider  string          `db:"provider"`
	Statement json.RawMessage `db:"statement"`
	Stored    time.Time       `db:"stored_at"`
	Version   string          `db:"version"`
	Seq       int64           `db:"seq"`
}

func (r storedRow) stored() xapi.Stored {
	return xapi.Stored{ID: r.ID, Statement: r.Statement, Stored: r.Stored, Version: r.Version, Provider: r.Provider}
}

const storedColumns = `x.id::text, x.provider, x.statement, x.stored_at, x.version, x.seq`

// GetStatement reads one statement by id: one that is not voided, or with voided set one
// that is (voidedStatementId).
func (db *DB) GetStatement(ctx context.Context, provider, id string, voided bool) (xapi.Stored, error) {
	var w filter
	w.add("x.id = ?", id)
	if provider != "" {
		w.add("x.provider = ?", provider)
	}
	if voided {
		w.add("x.match_status = 'voided'")
	} else {
		w.add("x.match_status <> 'voided'")
	}
	return selectOne(ctx, db, `SELECT `+storedColumns+` FROM xapi_statements x`, &w,
		models.Errorf(models.ENOTFOUND, "no statement %s", id), always(storedRow.stored))
}

// ListStatements reads a page of statements matching q, newest stored first unless
// q.Ascending, voided ones left out, and returns the position of the last one when there
// are more. A statement that targets another (a StatementRef object) matches the filters
// when its target does, recursively (Communication 2.1.3); since, until and the page
// apply to the statements themselves.
func (db *DB) ListStatements(ctx context.Context, provider string, q xapi.Query) ([]xapi.Stored, *xapi.Position, error) {
	var direct filter
	if provider != "" {
		direct.add("x.provider = ?", provider)
	}
	filtered := statementFilters(&direct, q)
	var w filter
	query := `SELECT ` + storedColumns + ` FROM xapi_statements x`
	if filtered {
		query = `WITH RECURSIVE hits AS (
			SELECT x.id, x.provider FROM xapi_statements x` + direct.where() + `
			UNION
			SELECT x.id, x.provider FROM xapi_statements x JOIN hits h ON x.object_ref = h.id AND x.provider = h.provider)
			` + query
		w.args = direct.args
		w.add("x.id IN (SELECT id FROM hits)")
	} else {
		w = direct
	}
	w.add("x.match_status <> 'voided'")
	if q.Since != nil {
		w.add("x.stored_at > ?", *q.Since)
	}
	if q.Until != nil {
		w.add("x.stored_at <= ?", *q.Until)
	}
	order := " ORDER BY x.stored_at DESC, x.seq DESC"
	if q.Ascending {
		order = " ORDER BY x.stored_at, x.seq"
	}
	if q.After != nil {
		if q.Ascending {
			w.add("(x.stored_at, x.seq) > (?, ?)", q.After.Stored, q.After.Seq)
		} else {
			w.add("(x.stored_at, x.seq) < (?, ?)", q.After.Stored, q.After.Seq)
		}
	}
	var rows []storedRow
	args := append(w.args, q.Limit+1)
	if err := db.SelectContext(ctx, &rows, db.Rebind(query+w.where()+order+" LIMIT ?"), args...); err != nil {
		return nil, nil, translate(err)
	}
	var next *xapi.Position
	if len(rows) > q.Limit {
		rows = rows[:q.Limit]
		last := rows[len(rows)-1]
		next = &xapi.Position{Stored: last.Stored, Seq: last.Seq}
	}
	out := make([]xapi.Stored, len(rows))
	for i, r := range rows {
		out[i] = r.stored()
	}
	return out, next, nil
}

// statementFilters adds q's filters on what statements are about to w and reports
// whether there were any.
func statementFilters(w *filter, q xapi.Query) bool {
	n := len(w.conds)
	if q.Agent != nil {
		if q.RelatedAgents {
			// The authority is the provider's (xapi.Authority), which the store does not repeat.
			w.add(`(x.related_agents @> ARRAY[xapi_ifi(?::jsonb)] OR xapi_ifi(?::jsonb) = 'account ' || ? || E'\n' || x.provider)`,
				string(q.Agent), string(q.Agent), xapi.AuthorityHomePage)
		} else {
			w.add("x.agents @> ARRAY[xapi_ifi(?::jsonb)]", string(q.Agent))
		}
	}
	if q.Verb != "" {
		w.add("x.verb = ?", q.Verb)
	}
	if q.Activity != "" {
		if q.RelatedActivities {
			w.add("x.related_activities @> ARRAY[?::text]", q.Activity)
		} else {
			w.add("x.activity = ?", q.Activity)
		}
	}
	if q.Registration != "" {
		w.add("x.registration = ?", strings.ToLower(q.Registration))
	}
	return len(w.conds) > n
}

// ActivityDefinitions reads the provider's definitions of the given Activities (every
// provider's, merged, for provider ""), by id: canonical format shows them.
func (db *DB) ActivityDefinitions(ctx context.Context, provider string, ids []string) (map[string]json.RawMessage, error) {
	var rows []struct {
		ID         string          `db:"id"`
		Definition json.RawMessage `db:"definition"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT id, xapi_merge_definitions(definition ORDER BY provider) AS definition
		  FROM xapi_activities WHERE id = ANY ($2) AND ($1 = '' OR provider = $1)
		 GROUP BY id`, provider, stringArray(ids))
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[string]json.RawMessage, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Definition
	}
	return out, nil
}
