package repository

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type scenarioRow struct {
	ID          int64     `db:"id"`
	Org         string    `db:"organisation"`
	Name        string    `db:"name"`
	Description string    `db:"description"`
	Months      int       `db:"months"`
	Changes     []byte    `db:"changes"`
	CreatedAt   time.Time `db:"created_at"`
}

// scenarioDoc is what the changes column holds.
type scenarioDoc struct {
	IncludeVacancies bool                    `json:"include_vacancies"`
	Changes          []models.ScenarioChange `json:"changes"`
}

func (r scenarioRow) scenario() (models.SavedScenario, error) {
	var doc scenarioDoc
	err := json.Unmarshal(r.Changes, &doc)
	return models.SavedScenario{ID: r.ID, Organisation: r.Org, Name: r.Name, Description: r.Description, Months: r.Months,
		IncludeVacancies: doc.IncludeVacancies, Changes: doc.Changes, CreatedAt: r.CreatedAt}, err
}

const scenarioSelect = `SELECT s.id, o.code AS organisation, s.name, s.description, s.months, s.changes, s.created_at
	FROM scenarios s JOIN organisations o ON o.id = s.organisation_id`

// SaveScenario stores a what-if for later comparison.
func (db *DB) SaveScenario(ctx context.Context, scope models.Scope, orgID int64, s models.SavedScenario, tokenID int64) (models.SavedScenario, error) {
	doc, err := json.Marshal(scenarioDoc{IncludeVacancies: s.IncludeVacancies, Changes: s.Changes})
	if err != nil {
		return s, err
	}
	cond, args := scopeCondition("o.id", scope)
	var row scenarioRow
	err = db.WithTx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, tx.Rebind(`
		WITH ins AS (
			INSERT INTO scenarios (organisation_id, name, description, changes, months, created_by)
			SELECT o.id, ?, ?, ?, ?, NULLIF(?, 0) FROM organisations o WHERE o.id = ? AND `+cond+`
			RETURNING *)
		SELECT ins.id, o.code AS organisation, ins.name, ins.description, ins.months, ins.changes, ins.created_at
		  FROM ins JOIN organisations o ON o.id = ins.organisation_id`),
			append([]any{s.Name, s.Description, string(doc), s.Months, tokenID, orgID}, args...)...)
	})
	if err != nil {
		return s, err
	}
	return row.scenario()
}

// ListScenarios lists an organisation's saved scenarios, newest first.
func (db *DB) ListScenarios(ctx context.Context, scope models.Scope, orgID int64, page models.Page) ([]models.SavedScenario, string, error) {
	var w filter
	w.add("s.organisation_id = ?", orgID)
	w.scope("s.organisation_id", scope)
	return selectPage(ctx, db, scenarioSelect, &w, newestFirst("s.id"), page, scenarioRow.scenario,
		func(s models.SavedScenario) int64 { return s.ID })
}

// GetScenario reads one saved scenario.
func (db *DB) GetScenario(ctx context.Context, scope models.Scope, orgID, id int64) (models.SavedScenario, error) {
	var w filter
	w.add("s.organisation_id = ?", orgID)
	w.add("s.id = ?", id)
	w.scope("s.organisation_id", scope)
	return selectOne(ctx, db, scenarioSelect, &w, models.Errorf(models.ENOTFOUND, "scenario %d not found", id), scenarioRow.scenario)
}
