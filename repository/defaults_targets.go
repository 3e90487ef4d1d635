package repository

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// defaultTarget is one shipped capability target of defaults/targets.json.
type defaultTarget struct {
	OrgType      string   `json:"org_type"`
	SizeBands    []string `json:"size_bands,omitempty"` // none: every size band
	Tier         string   `json:"tier"`
	MinLevel     int      `json:"min_level"`
	MinHeadcount int      `json:"min_headcount"`
}

// loadDefaultTargets makes the default capability targets those the service ships with.
// Nothing but this file writes them (organisations override them with their own), so the
// table follows the file: a release that changes a default changes it everywhere. An
// unchanged file changes nothing.
func loadDefaultTargets(ctx context.Context, db *DB) (bool, error) {
	var doc struct {
		Targets []defaultTarget `json:"targets"`
	}
	if err := readDefaults("defaults/targets.json", &doc); err != nil {
		return false, err
	}
	var changed bool
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE default_targets IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var err error
		changed, err = followFile(ctx, tx, "default_targets", "org_type, size_bands, tier, min_level, min_headcount",
			`SELECT t.org_type, t.size_bands, t.tier, t.min_level::smallint, t.min_headcount
			   FROM jsonb_to_recordset($1::jsonb) AS t (org_type text, size_bands text[], tier text, min_level int, min_headcount int)`,
			jsonText(doc.Targets))
		return err
	})
	return changed && err == nil, err
}
