package repository

import (
	"context"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// Targets lists the capability targets in force for an organisation: its own and the
// defaults of its type and size band where it has none of its own.
func (db *DB) Targets(ctx context.Context, scope models.Scope, orgID int64) ([]models.SkillTarget, error) {
	return targets(ctx, db, scope, orgID)
}

func targets(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64) ([]models.SkillTarget, error) {
	byOrg, err := targetsOf(ctx, q, scope, []int64{orgID})
	if out := byOrg[orgID]; out != nil || err != nil {
		return out, err
	}
	return []models.SkillTarget{}, nil
}

// targetsOf lists the targets in force for several organisations in one query.
func targetsOf(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgIDs []int64) (map[int64][]models.SkillTarget, error) {
	cond, args := scopeCondition("t.organisation_id", scope)
	var rows []struct {
		Org int64 `db:"organisation_id"`
		models.SkillTarget
	}
	err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT t.organisation_id, k.code AS skill, t.min_level AS minlevel, t.min_headcount AS minheadcount, t.source
		  FROM org_targets_of(?::bigint[]) t JOIN skills k ON k.id = t.skill_id
		 WHERE `+cond+`
		 ORDER BY t.organisation_id, k.position, k.code`), append([]any{pq.Array(orgIDs)}, args...)...)
	out := map[int64][]models.SkillTarget{}
	for _, r := range rows {
		out[r.Org] = append(out[r.Org], r.SkillTarget)
	}
	return out, translate(err)
}

// SetTargets replaces an organisation's own targets (skills not listed fall back to the
// defaults; min_headcount 0 switches a default off) and returns those in force.
func (db *DB) SetTargets(ctx context.Context, scope models.Scope, orgID int64, ts []models.SkillTarget) ([]models.SkillTarget, error) {
	if err := models.ValidateTargets(ts); err != nil {
		return nil, err
	}
	var out []models.SkillTarget
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		ids, err := clearSkillRows(ctx, tx, scope, orgID, "capability_targets", "targets", ts, func(t models.SkillTarget) string { return t.Skill })
		if err != nil {
			return err
		}
		skillIDs, levels, heads := make([]int64, len(ts)), make([]int64, len(ts)), make([]int64, len(ts))
		for i, t := range ts {
			skillIDs[i], levels[i], heads[i] = ids[t.Skill], int64(t.MinLevel), int64(t.MinHeadcount)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO capability_targets (organisation_id, skill_id, min_level, min_headcount)
			SELECT $1, u.skill_id, u.min_level, u.min_headcount
			  FROM unnest($2::bigint[], $3::smallint[], $4::int[]) AS u (skill_id, min_level, min_headcount)`,
			orgID, int64Array(skillIDs), int64Array(levels), int64Array(heads)); err != nil {
			return err
		}
		out, err = targets(ctx, tx, scope, orgID)
		return err
	})
	return out, err
}

// clearSkillRows begins replacing an organisation's rows of table (a fixed name, never
// input) with a list of items, one skill each: it resolves the items' skill codes in the
// default framework, naming each unknown one as field[i].skill, and deletes the rows the
// list replaces.
func clearSkillRows[T any](ctx context.Context, tx *sqlx.Tx, scope models.Scope, orgID int64, table, field string,
	items []T, skill func(T) string) (map[string]int64, error) {
	codes := make([]string, len(items))
	for i, it := range items {
		codes[i] = skill(it)
	}
	ids, err := defaultSkillIDs(ctx, tx, codes, field)
	if err != nil {
		return nil, err
	}
	cond, args := scopeCondition("organisation_id", scope)
	_, err = tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+table+` WHERE organisation_id = ? AND `+cond), append([]any{orgID}, args...)...)
	return ids, err
}

// defaultSkillIDs resolves skill codes in the default framework, naming each unknown one
// as field[i].skill.
func defaultSkillIDs(ctx context.Context, q sqlx.QueryerContext, codes []string, field string) (map[string]int64, error) {
	var rows []struct {
		Code string `db:"code"`
		ID   int64  `db:"id"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `
		SELECT k.code, k.id FROM skills k JOIN frameworks f ON f.id = k.framework_id
		 WHERE f.is_default AND k.code = ANY ($1)`, stringArray(codes)); err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.Code] = r.ID
	}
	var v models.Validator
	for i, c := range codes {
		v.Check(ids[c] != 0, field+"["+strconv.Itoa(i)+"].skill", "no skill "+strconv.Quote(c)+" in the default framework")
	}
	return ids, v.Err()
}

// Coverage lists the skills an organisation declares covered by external providers, each
// marked active when its contract runs on the date of now.
func (db *DB) Coverage(ctx context.Context, scope models.Scope, orgID int64, now time.Time) ([]models.SkillCoverage, error) {
	return coverage(ctx, db, scope, orgID, now)
}

func coverage(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64, now time.Time) ([]models.SkillCoverage, error) {
	byOrg, err := coverageOf(ctx, q, scope, []int64{orgID}, now)
	if out := byOrg[orgID]; out != nil || err != nil {
		return out, err
	}
	return []models.SkillCoverage{}, nil
}

// coverageOf lists the external coverage of several organisations in one query.
func coverageOf(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgIDs []int64, now time.Time) (map[int64][]models.SkillCoverage, error) {
	cond, args := scopeCondition("c.organisation_id", scope)
	var rows []struct {
		Org         int64        `db:"organisation_id"`
		Skill       string       `db:"skill"`
		Provider    string       `db:"provider"`
		ContractEnd *models.Date `db:"contract_end"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT c.organisation_id, k.code AS skill, c.provider, c.contract_end
		  FROM external_coverage c JOIN skills k ON k.id = c.skill_id
		 WHERE c.organisation_id = ANY(?::bigint[]) AND `+cond+`
		 ORDER BY c.organisation_id, k.position, k.code`), append([]any{pq.Array(orgIDs)}, args...)...)
	out := map[int64][]models.SkillCoverage{}
	for _, r := range rows {
		cov := models.SkillCoverage{Skill: r.Skill, Provider: r.Provider, ContractEnd: r.ContractEnd}
		cov.Active = cov.ActiveOn(now.UTC())
		out[r.Org] = append(out[r.Org], cov)
	}
	return out, translate(err)
}

// SetCoverage replaces an organisation's external coverage declarations.
func (db *DB) SetCoverage(ctx context.Context, scope models.Scope, orgID int64, cs []models.SkillCoverage, now time.Time) ([]models.SkillCoverage, error) {
	if err := models.ValidateCoverage(cs); err != nil {
		return nil, err
	}
	var out []models.SkillCoverage
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		ids, err := clearSkillRows(ctx, tx, scope, orgID, "external_coverage", "coverage", cs, func(c models.SkillCoverage) string { return c.Skill })
		if err != nil {
			return err
		}
		skillIDs, providers, ends := make([]int64, len(cs)), make([]string, len(cs)), make([]*string, len(cs))
		for i, c := range cs {
			skillIDs[i], providers[i] = ids[c.Skill], c.Provider
			if c.ContractEnd != nil {
				s := c.ContractEnd.String()
				ends[i] = &s
			}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO external_coverage (organisation_id, skill_id, provider, contract_end)
			SELECT $1, u.skill_id, u.provider, u.contract_end
			  FROM unnest($2::bigint[], $3::text[], $4::date[]) AS u (skill_id, provider, contract_end)`,
			orgID, int64Array(skillIDs), stringArray(providers), nullableStringArray(ends)); err != nil {
			return err
		}
		out, err = coverage(ctx, tx, scope, orgID, now)
		return err
	})
	return out, err
}
