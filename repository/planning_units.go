package repository

import (
	"context"
	"time"

	"cyberskills/models"
)

// MaxPlanningUnits bounds a roll-up: each organisation below is projected on its own.
const MaxPlanningUnits = 500

// PlanningUnits loads every organisation below orgID (not orgID itself), within scope, for a
// projection that judges each on its own subtree.
func (db *DB) PlanningUnits(ctx context.Context, scope models.Scope, orgID int64, now time.Time) ([]models.PlanningUnit, error) {
	cond, args := scopeCondition("u.id", scope)
	var rows []struct {
		ID     int64  `db:"id"`
		Unit   string `db:"unit"`
		Member string `db:"member"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(`
		SELECT u.id, u.code AS unit, m.code AS member
		  FROM organisation_tree below
		  JOIN organisations u ON u.id = below.descendant_id
		  JOIN organisation_tree sub ON sub.ancestor_id = u.id
		  JOIN organisations m ON m.id = sub.descendant_id
		 WHERE below.ancestor_id = ? AND below.descendant_id <> ? AND `+cond+`
		 ORDER BY u.code, m.code`), append([]any{orgID, orgID}, args...)...); err != nil {
		return nil, translate(err)
	}
	var units []models.PlanningUnit
	var ids []int64
	for _, r := range rows {
		if len(units) == 0 || units[len(units)-1].Code != r.Unit {
			if len(units) == MaxPlanningUnits {
				return nil, models.Invalid(models.FieldError{Field: "include_descendants",
					Message: "more than 500 organisations below: project them one by one"})
			}
			units = append(units, models.PlanningUnit{Code: r.Unit, Members: map[string]bool{}})
			ids = append(ids, r.ID)
		}
		units[len(units)-1].Members[r.Member] = true
	}
	targets, err := targetsOf(ctx, db, scope, ids)
	if err != nil {
		return nil, err
	}
	coverage, err := coverageOf(ctx, db, scope, ids, now)
	if err != nil {
		return nil, err
	}
	for i := range units {
		units[i].Targets, units[i].Coverage = targets[ids[i]], coverage[ids[i]]
	}
	return units, nil
}
