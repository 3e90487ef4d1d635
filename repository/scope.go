package repository

import (
	"context"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// OrganisationID resolves an organisation code within scope. An organisation outside the
// scope is not found, exactly like one that does not exist.
func (db *DB) OrganisationID(ctx context.Context, scope models.Scope, code string) (int64, error) {
	return organisationID(ctx, db, scope, code)
}

func organisationID(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, code string) (int64, error) {
	cond, args := scopeCondition("o.id", scope)
	var id int64
	err := getPrepared(ctx, q, &id, sqlx.Rebind(sqlx.DOLLAR,
		`SELECT o.id FROM organisations o WHERE o.code = ? AND `+cond), append([]any{code}, args...)...)
	if err != nil {
		return 0, notFoundAs(err, models.Errorf(models.ENOTFOUND, "organisation %q not found", code))
	}
	return id, nil
}
