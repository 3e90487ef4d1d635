package repository

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/lib/pq"

	"cyberskills/models"
)

type skillEntryRow struct {
	ID                int64          `db:"id"`
	Framework         string         `db:"framework"`
	Code              string         `db:"code"`
	Name              string         `db:"name"`
	Description       string         `db:"description"`
	Area              *string        `db:"area"`
	OtherAreas        pq.StringArray `db:"other_areas"`
	Tier              string         `db:"tier"`
	StatementType     string         `db:"statement_type"`
	SurveyTier        string         `db:"survey_tier"`
	Levels            []byte         `db:"level_descriptors"`
	Refs              []byte         `db:"refs"`
	Status            string         `db:"status"`
	SupersededBy      *string        `db:"superseded_by"`
	EffectiveID       int64          `db:"effective_id"`
	EffectiveCode     string         `db:"effective_code"`
	IntroducedVersion int            `db:"introduced_version"`
	Position          int            `db:"position"`
}

func (r skillEntryRow) entry() (models.SkillEntry, error) {
	s := models.Skill{Code: r.Code, Name: r.Name, Description: r.Description, Area: deref(r.Area), OtherAreas: r.OtherAreas,
		Tier: models.Tier(r.Tier), StatementType: models.StatementType(r.StatementType), Status: models.SkillStatus(r.Status),
		SupersededBy: deref(r.SupersededBy)}
	if len(s.OtherAreas) == 0 {
		s.OtherAreas = nil
	}
	if err := json.Unmarshal(r.Levels, &s.Levels); err != nil {
		return models.SkillEntry{}, err
	}
	if err := json.Unmarshal(r.Refs, &s.References); err != nil {
		return models.SkillEntry{}, err
	}
	if len(s.Levels) == 0 {
		s.Levels = nil
	}
	if len(s.References) == 0 {
		s.References = nil
	}
	return models.SkillEntry{ID: r.ID, Framework: r.Framework, Skill: s, EffectiveID: r.EffectiveID,
		EffectiveCode: r.EffectiveCode, IntroducedVersion: r.IntroducedVersion, SurveyTier: r.SurveyTier}, nil
}

const skillEntrySelect = `
	SELECT s.id, f.code AS framework, s.code, s.name, s.description, a.code AS area,
	       ARRAY(SELECT o.code FROM skill_placements p JOIN skill_areas o ON o.id = p.area_id
	              WHERE p.skill_id = s.id AND p.area_id IS DISTINCT FROM s.area_id ORDER BY p.position) AS other_areas,
	       COALESCE(s.tier, '') AS tier, COALESCE(s.statement_type, '') AS statement_type,
	       COALESCE(s.survey_tier, '') AS survey_tier, s.level_descriptors,
	       s.refs, s.status, sup.code AS superseded_by, s.effective_id, eff.code AS effective_code,
	       s.introduced_version, s.position
	FROM skills s
	JOIN frameworks f ON f.id = s.framework_id
	LEFT JOIN skill_areas a ON a.id = s.area_id
	LEFT JOIN skills sup ON sup.id = s.superseded_by
	JOIN skills eff ON eff.id = s.effective_id`

type skillCursor struct {
	Position int   `json:"p"`
	ID       int64 `json:"id"`
}

// ListSkills lists the skills of a framework's current version in document order.
func (db *DB) ListSkills(ctx context.Context, framework string, f models.SkillFilter, page models.Page) ([]models.SkillEntry, string, error) {
	page = page.Normalize()
	var after *skillCursor
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	fid, err := frameworkID(ctx, db, framework)
	if err != nil {
		return nil, "", err
	}
	var w filter
	w.add("s.framework_id = ?", fid)
	if f.Area != "" {
		var areaID int64
		err := db.GetContext(ctx, &areaID, `SELECT id FROM skill_areas WHERE framework_id = $1 AND code = $2`, fid, f.Area)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, "", models.Invalid(models.FieldError{Field: "area", Message: "no area of this framework has this code"})
		} else if err != nil {
			return nil, "", translate(err)
		}
		// The area and every area below it, by any of their places in the tree.
		w.add(`s.id IN (
			WITH RECURSIVE sub AS (
				SELECT ?::bigint AS id
				UNION
				SELECT c.area_id FROM skill_area_parents c JOIN sub ON c.parent_id = sub.id)
			SELECT p.skill_id FROM skill_placements p WHERE p.area_id IN (SELECT id FROM sub))`, areaID)
	}
	if f.Tier != "" {
		var known bool
		if err := db.GetContext(ctx, &known, `SELECT EXISTS (SELECT 1 FROM framework_tiers WHERE framework_id = $1 AND code = $2)`,
			fid, string(f.Tier)); err != nil {
			return nil, "", translate(err)
		}
		if !known {
			return nil, "", models.Invalid(models.FieldError{Field: "tier", Message: "is not a tier of this framework"})
		}
		w.add("s.tier = ?", string(f.Tier))
	}
	if f.StatementType != "" {
		w.add("s.statement_type = ?", string(f.StatementType))
	}
	if f.Status != "" {
		w.add("s.status = ?", string(f.Status))
	}
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add("(s.code ILIKE ? OR s.name ILIKE ? OR s.description ILIKE ?)", p, p, p)
	}
	if after != nil {
		w.add("(s.position, s.id) > (?, ?)", after.Position, after.ID)
	}
	w.args = append(w.args, page.Limit+1)
	var rows []skillEntryRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(skillEntrySelect+w.where()+` ORDER BY s.position, s.id LIMIT ?`), w.args...); err != nil {
		return nil, "", translate(err)
	}
	items, next, err := paginate(rows, page.Limit, func(r skillEntryRow) any { return skillCursor{r.Position, r.ID} })
	if err != nil {
		return nil, "", err
	}
	out := make([]models.SkillEntry, len(items))
	for i, r := range items {
		if out[i], err = r.entry(); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// GetSkill returns one skill of a framework's current version by code.
func (db *DB) GetSkill(ctx context.Context, framework, code string) (models.SkillEntry, error) {
	var row skillEntryRow
	err := db.GetContext(ctx, &row, skillEntrySelect+` WHERE f.code = $1 AND s.code = $2`, framework, code)
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := frameworkID(ctx, db, framework); ferr != nil {
			return models.SkillEntry{}, ferr
		}
		return models.SkillEntry{}, models.Errorf(models.ENOTFOUND, "framework %q has no skill %q", framework, code)
	}
	if err != nil {
		return models.SkillEntry{}, translate(err)
	}
	return row.entry()
}
