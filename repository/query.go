package repository

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// filter accumulates fixed SQL conditions with ? placeholders and their parameters, so
// that dynamic filters never concatenate input into SQL. sqlx.Rebind turns the
// placeholders into $n.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition; its ? placeholders take args in order.
func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

// scope appends the tenant predicate on an organisation id column.
func (f *filter) scope(column string, s models.Scope) {
	cond, args := scopeCondition(column, s)
	f.add(cond, args...)
}

// where renders " WHERE a AND b", or "" when there are no conditions.
func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// and renders " AND a AND b" for appending to an existing WHERE clause.
func (f *filter) and() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(f.conds, " AND ")
}

// scopeCondition is the one tenant predicate: the organisation is the scope's root or
// below it. An empty scope matches nothing (organisation ids start at 1).
func scopeCondition(column string, s models.Scope) (string, []any) {
	if s.All() {
		return "TRUE", nil
	}
	return column + " IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = ?)", []any{s.OrgID()}
}

// likePattern escapes a user's search text for ILIKE.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// selectOne reads the one row that query selects with w's conditions and turns it into a
// models value with conv. No row is notFound, which keeps the driver's error as its cause.
func selectOne[R, T any](ctx context.Context, q sqlx.QueryerContext, query string, w *filter, notFound *models.Error,
	conv func(R) (T, error)) (T, error) {
	var row R
	if err := sqlx.GetContext(ctx, q, &row, sqlx.Rebind(sqlx.DOLLAR, query+w.where()), w.args...); err != nil {
		var zero T
		return zero, notFoundAs(err, notFound)
	}
	return conv(row)
}
