package repository

import (
	"context"
	"sort"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// applySupersession recomputes effective_id for every skill of a framework from the
// superseded_by links, after a publish has written them: a skill counts towards itself,
// or towards the end of its supersession chain (A superseded by B superseded by C: A, B
// and C all count towards C). It refuses cycles. It returns the effective ids that
// changed, both the old and the new ones, sorted: every gap aggregate keyed by one of
// them is stale.
//
// This is the one place where effective_id changes, so it is the one place where gap
// aggregates must be refreshed for the returned ids, inside the same transaction.
func applySupersession(ctx context.Context, tx *sqlx.Tx, frameworkID int64) ([]int64, error) {
	var rows []struct {
		ID           int64  `db:"id"`
		SupersededBy *int64 `db:"superseded_by"`
		EffectiveID  int64  `db:"effective_id"`
	}
	if err := tx.SelectContext(ctx, &rows,
		`SELECT id, superseded_by, effective_id FROM skills WHERE framework_id = $1`, frameworkID); err != nil {
		return nil, err
	}
	next := map[int64]int64{}
	for _, r := range rows {
		if r.SupersededBy != nil {
			next[r.ID] = *r.SupersededBy
		}
	}
	ends, cyclic := models.ResolveChains(next)
	if len(cyclic) > 0 {
		return nil, models.Errorf(models.EINVALID, "the supersession links of this framework form a cycle")
	}
	var ids, effective []int64
	changed := map[int64]bool{}
	for _, r := range rows {
		eff, ok := ends[r.ID]
		if !ok {
			eff = r.ID
		}
		if eff != r.EffectiveID {
			ids, effective = append(ids, r.ID), append(effective, eff)
			changed[r.EffectiveID], changed[eff] = true, true
		}
	}
	if len(ids) > 0 {
		if _, err := tx.ExecContext(ctx, `
			UPDATE skills s SET effective_id = v.effective_id
			FROM unnest($1::bigint[], $2::bigint[]) AS v(id, effective_id)
			WHERE s.id = v.id`, pq.Array(ids), pq.Array(effective)); err != nil {
			return nil, err
		}
	}
	out := make([]int64, 0, len(changed))
	for id := range changed {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	// The gap aggregates of these skills are refreshed by the skills_superseded trigger
	// (migration 0007) in this same transaction: the update of effective_id above fired it.
	return out, nil
}
