package repository

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// assuranceLock is the advisory lock held while the national assurance figures are
// computed (see leaderLock for the numbering).
const assuranceLock = 7_301_207

// storedOrg is an organisation of a stored assurance result (models.OrgTraining), with
// names of its own so that the stored form does not follow the model's Go names.
type storedOrg struct {
	Keys      [4]string                                  `json:"keys"`
	Labels    [4]string                                  `json:"labels"`
	Figures   map[models.Audience]models.TrainingFigures `json:"figures"`
	Then      models.TrainingFigures                     `json:"then"`
	SkillGaps models.SkillGapChange                      `json:"skill_gaps"`
}

// ComputeAssuranceStatistics computes the national assurance figures of an organisation
// type as of at (the evaluation from then), as AssurancePopulation does, and stores them
// as the type's result. It runs in a transaction of its own whose statements may take
// budget (0: no limit) instead of the API's statement timeout, under a lock of its own
// held as the sweep's is: when another runner holds it (a leader that froze while
// computing and woke after another took over) it answers ErrBusy and computes nothing.
func (db *DB) ComputeAssuranceStatistics(ctx context.Context, orgType string, then, at time.Time, budget time.Duration) (models.AssuranceResult, error) {
	conn, err := db.Connx(ctx)
	if err != nil {
		return models.AssuranceResult{}, translate(err)
	}
	defer conn.Close()
	unlock, err := db.lockTask(ctx, conn, assuranceLock)
	if err != nil {
		return models.AssuranceResult{}, err
	}
	defer unlock()
	if budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	started := time.Now()
	if err := db.FlushHistoryForRead(ctx, at); err != nil {
		return models.AssuranceResult{}, err
	}
	var out models.AssuranceResult
	err = withConnTx(ctx, conn, func(tx *sqlx.Tx) error {
		// JIT off: training_counts turns nested loops off, which makes every plan's
		// estimated cost pass jit_above_cost, and compiling it took 1.3 s of the 1.3 s a
		// small database's computation took (the NHS figures were measured with it off).
		if _, err := tx.ExecContext(ctx, `SELECT set_config('statement_timeout', $1, true), set_config('jit', 'off', true)`,
			fmt.Sprint(budget.Milliseconds())); err != nil {
			return err
		}
		orgs, err := assurancePopulation(ctx, tx, orgType, then, at)
		if err != nil {
			return err
		}
		stored := make([]storedOrg, len(orgs))
		for i, o := range orgs {
			stored[i] = storedOrg(o)
		}
		population, err := json.Marshal(stored)
		if err != nil {
			return err
		}
		out = models.AssuranceResult{Type: orgType, AsOf: at.UTC(), Took: time.Since(started), Orgs: orgs}
		return tx.QueryRowxContext(ctx, `
			INSERT INTO assurance_statistics AS s (org_type, generation, as_of, evaluated_from, computed_at, took_ms, population)
			VALUES ($1, 1, $2, $3, clock_timestamp(), $4, $5)
			ON CONFLICT (org_type) DO UPDATE
			   SET generation = s.generation + 1, as_of = $2, evaluated_from = $3, computed_at = clock_timestamp(),
			       took_ms = $4, population = $5
			RETURNING generation, computed_at`,
			orgType, at.UTC(), then.UTC(), out.Took.Milliseconds(), string(population)).Scan(&out.Generation, &out.ComputedAt)
	})
	return out, translate(err)
}

// AssuranceResult is the stored result of an organisation type: the organisations' figures
// only when its generation is not known already (the caller keeps what it read last),
// so that a request that finds nothing new reads one small row. A type never asked for
// is ENOTFOUND; one asked for but not computed yet has generation 0.
func (db *DB) AssuranceResult(ctx context.Context, orgType string, known int64) (models.AssuranceResult, error) {
	var row struct {
		Generation int64         `db:"generation"`
		AsOf       sql.NullTime  `db:"as_of"`
		ComputedAt sql.NullTime  `db:"computed_at"`
		TookMS     sql.NullInt64 `db:"took_ms"`
		Population []byte        `db:"population"`
	}
	query, args := assuranceResultSQL(orgType, known)
	err := db.GetContext(ctx, &row, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return models.AssuranceResult{}, models.Errorf(models.ENOTFOUND, "no assurance statistics of type %q have been asked for", orgType)
	}
	if err != nil {
		return models.AssuranceResult{}, translate(err)
	}
	out := models.AssuranceResult{Type: orgType, Generation: row.Generation, AsOf: row.AsOf.Time.UTC(),
		ComputedAt: row.ComputedAt.Time.UTC(), Took: time.Duration(row.TookMS.Int64) * time.Millisecond}
	if len(row.Population) > 0 && string(row.Population) != "null" {
		var stored []storedOrg
		if err := json.Unmarshal(row.Population, &stored); err != nil {
			return out, fmt.Errorf("reading the stored assurance statistics of %q: %w", orgType, err)
		}
		out.Orgs = make([]models.OrgTraining, len(stored))
		for i, o := range stored {
			out.Orgs[i] = models.OrgTraining(o)
		}
	}
	return out, nil
}

// assuranceResultSQL is the query behind AssuranceResult: besides the token's, the one
// statement a request for the national assurance figures runs when it serves a stored
// result it has read before. The benchmarks also run it directly as the floor.
func assuranceResultSQL(orgType string, known int64) (string, []any) {
	return `
		SELECT generation, as_of, computed_at, took_ms,
		       CASE WHEN generation = $2 THEN NULL ELSE population END AS population
		  FROM assurance_statistics WHERE org_type = $1`, []any{orgType, known}
}

// AskForAssuranceStatistics records that an organisation type's figures are wanted, so
// that the leader computes them; asking again changes nothing.
func (db *DB) AskForAssuranceStatistics(ctx context.Context, orgType string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO assurance_statistics (org_type) VALUES ($1) ON CONFLICT DO NOTHING`, orgType)
	return translate(err)
}

// WantedAssuranceStatistics lists every organisation type whose figures are wanted, each
// with its stored result's generation and instants (not its organisations).
func (db *DB) WantedAssuranceStatistics(ctx context.Context) ([]models.AssuranceResult, error) {
	var rows []struct {
		Type       string       `db:"org_type"`
		Generation int64        `db:"generation"`
		AsOf       sql.NullTime `db:"as_of"`
		ComputedAt sql.NullTime `db:"computed_at"`
	}
	if err := db.SelectContext(ctx, &rows, `SELECT org_type, generation, as_of, computed_at FROM assurance_statistics ORDER BY org_type`); err != nil {
		return nil, translate(err)
	}
	out := make([]models.AssuranceResult, len(rows))
	for i, r := range rows {
		out[i] = models.AssuranceResult{Type: r.Type, Generation: r.Generation, AsOf: r.AsOf.Time.UTC(), ComputedAt: r.ComputedAt.Time.UTC()}
	}
	return out, nil
}
