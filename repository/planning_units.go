package repository

import (
	"context"
	"time"

	"cyberskills/models"
)

// PlanningUnits loads every organisation below orgID (not orgID itself), within scope, for
// a projection that judges each on its own subtree: its parent, targets and coverage. Three
// statements whatever the number: a region's thousands of organisations cost what a
// trust's few do, plus the rows.
func (db *DB) PlanningUnits(ctx context.Context, scope models.Scope, orgID int64, now time.Time) ([]models.PlanningUnit, error) {
	cond, args := scopeCondition("u.id", scope)
	var rows []struct {
		ID     int64  `db:"id"`
		Unit   string `db:"unit"`
		Parent string `db:"parent"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(`
		SELECT u.id, u.code AS unit, p.code AS parent
		  FROM organisation_tree below
		  JOIN organisations u ON u.id = below.descendant_id
		  JOIN organisations p ON p.id = u.parent_id
		 WHERE below.ancestor_id = ? AND below.descendant_id <> ? AND `+cond+`
		 ORDER BY u.code`), append([]any{orgID, orgID}, args...)...); err != nil {
		return nil, translate(err)
	}
	units := make([]models.PlanningUnit, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		units[i], ids[i] = models.PlanningUnit{Code: r.Unit, Parent: r.Parent}, r.ID
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
