package repository

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// writeCurrent brings the relational form of the current version in line with f: the
// tiers, the scale (matched by level), the area tree and the skills (matched by code, so
// that their ids survive), every place of each skill and area in the tree, and then every
// skill's survey tier. Skills are never deleted: the document carries every skill ever
// published.
func writeCurrent(ctx context.Context, tx *sqlx.Tx, id int64, f models.Framework) error {
	type tierRow struct {
		models.FrameworkTier
		Position int `json:"position"`
	}
	type areaRow struct {
		Code        string   `json:"code"`
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Parent      string   `json:"parent"`
		Parents     []string `json:"parents"`
		Position    int      `json:"position"`
	}
	type skillRow struct {
		Code          string            `json:"code"`
		Name          string            `json:"name"`
		Description   string            `json:"description"`
		Area          string            `json:"area"`
		Areas         []string          `json:"areas"`
		Tier          string            `json:"tier"`
		StatementType string            `json:"statement_type"`
		Levels        map[string]string `json:"levels"`
		References    any               `json:"references"`
		Status        string            `json:"status"`
		SupersededBy  string            `json:"superseded_by"`
		Position      int               `json:"position"`
	}
	tiers := make([]tierRow, len(f.Tiers))
	tierCodes := make([]string, len(f.Tiers))
	for i, t := range f.Tiers {
		tiers[i], tierCodes[i] = tierRow{t, i}, t.Code
	}
	areas := make([]areaRow, len(f.Areas))
	codes := make([]string, len(f.Areas))
	for i, a := range f.Areas {
		areas[i] = areaRow{a.Code, a.Name, a.Description, a.Parent, places(a.Parent, a.OtherParents), i}
		codes[i] = a.Code
	}
	skills := make([]skillRow, len(f.Skills))
	for i, s := range f.Skills {
		skills[i] = skillRow{s.Code, s.Name, s.Description, s.Area, places(s.Area, s.OtherAreas), string(s.Tier), string(s.StatementType),
			s.Levels, s.References, string(s.Status), s.SupersededBy, i}
	}
	tiersJSON, scaleJSON, areasJSON, skillsJSON := jsonText(tiers), jsonText(f.Scale), jsonText(areas), jsonText(skills)
	levels := make([]int64, len(f.Scale))
	for i, l := range f.Scale {
		levels[i] = int64(l.Level)
	}
	// Rows are updated in place rather than replaced, so that other tables may reference
	// scale levels, areas and skills.
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO framework_tiers (framework_id, code, name, description, position)
		  SELECT $1, x.code, x.name, COALESCE(x.description, ''), x.position
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, name text, description text, position integer)
		  ON CONFLICT (framework_id, code) DO UPDATE
		  SET name = EXCLUDED.name, description = EXCLUDED.description, position = EXCLUDED.position`, []any{id, tiersJSON}},
		{`INSERT INTO proficiency_levels (framework_id, level, code, name, descriptor)
		  SELECT $1, x.level, x.code, x.name, COALESCE(x.descriptor, '')
		  FROM jsonb_to_recordset($2::jsonb) AS x(level smallint, code text, name text, descriptor text)
		  ON CONFLICT (framework_id, level) DO UPDATE
		  SET code = EXCLUDED.code, name = EXCLUDED.name, descriptor = EXCLUDED.descriptor`, []any{id, scaleJSON}},
		{`DELETE FROM proficiency_levels WHERE framework_id = $1 AND NOT (level = ANY($2))`, []any{id, pq.Array(levels)}},
		{`INSERT INTO skill_areas (framework_id, code, name, description, position)
		  SELECT $1, x.code, x.name, x.description, x.position
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, name text, description text, position integer)
		  ON CONFLICT (framework_id, code) DO UPDATE
		  SET name = EXCLUDED.name, description = EXCLUDED.description, position = EXCLUDED.position`, []any{id, areasJSON}},
		{`UPDATE skill_areas a SET parent_id = p.id
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, parent text)
		  LEFT JOIN skill_areas p ON p.framework_id = $1 AND p.code = x.parent
		  WHERE a.framework_id = $1 AND a.code = x.code AND a.parent_id IS DISTINCT FROM p.id`, []any{id, areasJSON}},
		{`DELETE FROM skill_area_parents WHERE area_id IN (SELECT id FROM skill_areas WHERE framework_id = $1)`, []any{id}},
		{`INSERT INTO skill_area_parents (area_id, parent_id, position)
		  SELECT a.id, p.id, e.n - 1
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, parents jsonb)
		  CROSS JOIN LATERAL jsonb_array_elements_text(x.parents) WITH ORDINALITY AS e(code, n)
		  JOIN skill_areas a ON a.framework_id = $1 AND a.code = x.code
		  JOIN skill_areas p ON p.framework_id = $1 AND p.code = e.code`, []any{id, areasJSON}},
		// superseded_by is cleared here and set below, once every skill of the version exists.
		{`INSERT INTO skills (framework_id, code, name, description, area_id, tier, statement_type, level_descriptors, refs,
		                      status, position, introduced_version)
		  SELECT $1, x.code, x.name, COALESCE(x.description, ''), a.id, NULLIF(x.tier, ''), NULLIF(x.statement_type, ''),
		         COALESCE(x.levels, '{}'), COALESCE(x.references, '[]'), x.status, x.position, $3
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, name text, description text, area text, tier text,
		                                          statement_type text, levels jsonb, "references" jsonb, status text, position integer)
		  LEFT JOIN skill_areas a ON a.framework_id = $1 AND a.code = x.area
		  ON CONFLICT (framework_id, code) DO UPDATE
		  SET name = EXCLUDED.name, description = EXCLUDED.description, area_id = EXCLUDED.area_id,
		      tier = EXCLUDED.tier, statement_type = EXCLUDED.statement_type, level_descriptors = EXCLUDED.level_descriptors,
		      refs = EXCLUDED.refs, status = EXCLUDED.status, position = EXCLUDED.position, superseded_by = NULL`,
			[]any{id, skillsJSON, f.Version}},
		{`UPDATE skills s SET superseded_by = t.id
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, superseded_by text)
		  JOIN skills t ON t.framework_id = $1 AND t.code = x.superseded_by
		  WHERE s.framework_id = $1 AND s.code = x.code`, []any{id, skillsJSON}},
		{`DELETE FROM skill_placements WHERE skill_id IN (SELECT id FROM skills WHERE framework_id = $1)`, []any{id}},
		{`INSERT INTO skill_placements (skill_id, area_id, position)
		  SELECT s.id, a.id, e.n - 1
		  FROM jsonb_to_recordset($2::jsonb) AS x(code text, areas jsonb)
		  CROSS JOIN LATERAL jsonb_array_elements_text(x.areas) WITH ORDINALITY AS e(code, n)
		  JOIN skills s ON s.framework_id = $1 AND s.code = x.code
		  JOIN skill_areas a ON a.framework_id = $1 AND a.code = e.code`, []any{id, skillsJSON}},
		// Areas and tiers the version dropped; no skill points at them any more.
		{`DELETE FROM skill_areas WHERE framework_id = $1 AND NOT (code = ANY($2))`, []any{id, pq.Array(codes)}},
		{`DELETE FROM framework_tiers WHERE framework_id = $1 AND NOT (code = ANY($2))`, []any{id, pq.Array(tierCodes)}},
		{`SELECT refresh_survey_tiers()`, nil},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// places lists an item's places in the tree that are areas: its own parent or area (the
// top of the tree is no row), then the others.
func places(first string, others []string) []string {
	var out []string
	if first != "" {
		out = append(out, first)
	}
	return append(out, others...)
}
