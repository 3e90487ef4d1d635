package repository

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

type mappingRow struct {
	Skill         string         `db:"skill"`
	Name          string         `db:"name"`
	StatementType string         `db:"statement_type"`
	SurveyTier    string         `db:"survey_tier"`
	MapsTo        pq.StringArray `db:"maps_to"`
	Position      int            `db:"position"`
}

// ListMappings lists the skills of a framework that correspond to skills of the default
// framework, in document order, a page at a time.
func (db *DB) ListMappings(ctx context.Context, framework string, page models.Page) ([]models.SkillMapping, string, error) {
	page = page.Normalize()
	after := -1
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	fid, err := frameworkID(ctx, db, framework)
	if err != nil {
		return nil, "", err
	}
	var rows []mappingRow
	if err := db.SelectContext(ctx, &rows, `
		SELECT s.code AS skill, s.name, COALESCE(s.statement_type, '') AS statement_type,
		       COALESCE(s.survey_tier, '') AS survey_tier, s.position,
		       ARRAY(SELECT d.code FROM skill_mappings m JOIN skills d ON d.id = m.maps_to_id
		              WHERE m.skill_id = s.id ORDER BY d.position) AS maps_to
		  FROM skills s
		 WHERE s.framework_id = $1 AND s.position > $2
		   AND EXISTS (SELECT 1 FROM skill_mappings m WHERE m.skill_id = s.id)
		 ORDER BY s.position
		 LIMIT $3`, fid, after, page.Limit+1); err != nil {
		return nil, "", translate(err)
	}
	keys := map[string]int{}
	out := make([]models.SkillMapping, len(rows))
	for i, r := range rows {
		out[i] = models.SkillMapping{Skill: r.Skill, Name: r.Name, StatementType: models.StatementType(r.StatementType),
			SurveyTier: r.SurveyTier, MapsTo: r.MapsTo}
		keys[r.Skill] = r.Position
	}
	return paginate(out, page.Limit, func(m models.SkillMapping) any { return keys[m.Skill] })
}

// ReplaceMappings makes m the whole mapping of a framework's skills to the default
// framework's, and brings every skill's survey tier in line. A mapping equal to the
// current one writes nothing.
func (db *DB) ReplaceMappings(ctx context.Context, framework string, m models.SkillMappings) (models.MappingResult, error) {
	res := models.MappingResult{Framework: framework, Skills: len(m.Mappings)}
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var f struct {
			ID        int64 `db:"id"`
			IsDefault bool  `db:"is_default"`
		}
		if err := tx.GetContext(ctx, &f, `SELECT id, is_default FROM frameworks WHERE code = $1 FOR UPDATE`, framework); err != nil {
			return notFoundAs(err, models.Errorf(models.ENOTFOUND, "framework %q not found", framework))
		}
		if f.IsDefault {
			return models.Invalid(models.FieldError{Field: "code", Message: "the default framework's skills count under their own tiers: map another framework's skills to them"})
		}
		var def struct {
			ID   int64  `db:"id"`
			Code string `db:"code"`
		}
		if err := tx.GetContext(ctx, &def, `SELECT id, code FROM frameworks WHERE is_default ORDER BY id LIMIT 1`); err != nil {
			return notFoundAs(err, models.Errorf(models.EUNAVAILABLE, "there is no default framework to map to"))
		}
		res.MapsToFramework = def.Code
		from, to, err := mappingPairs(ctx, tx, f.ID, def.ID, m)
		if err != nil {
			return err
		}
		var current [][2]int64
		rows, err := tx.QueryxContext(ctx, `SELECT m.skill_id, m.maps_to_id FROM skill_mappings m JOIN skills s ON s.id = m.skill_id
			WHERE s.framework_id = $1 ORDER BY 1, 2`, f.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p [2]int64
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				rows.Close()
				return err
			}
			current = append(current, p)
		}
		rows.Close()
		if res.Unchanged = samePairs(current, from, to); res.Unchanged {
			return nil
		}
		steps := []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM skill_mappings WHERE skill_id IN (SELECT id FROM skills WHERE framework_id = $1)`, []any{f.ID}},
			{`INSERT INTO skill_mappings (skill_id, maps_to_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])`, []any{int64Array(from), int64Array(to)}},
			{`SELECT refresh_survey_tiers()`, nil},
		}
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// mappingPairs resolves a mapping's codes to skill ids, naming every unknown one.
func mappingPairs(ctx context.Context, tx *sqlx.Tx, frameworkID, defaultID int64, m models.SkillMappings) (from, to []int64, err error) {
	var skills, targets []string
	for _, x := range m.Mappings {
		skills = append(skills, x.Skill)
		targets = append(targets, x.MapsTo...)
	}
	ids := func(fid int64, codes []string) (map[string]int64, error) {
		var rows []struct {
			Code string `db:"code"`
			ID   int64  `db:"id"`
		}
		err := tx.SelectContext(ctx, &rows, `SELECT code, id FROM skills WHERE framework_id = $1 AND code = ANY ($2)`, fid, stringArray(codes))
		out := map[string]int64{}
		for _, r := range rows {
			out[r.Code] = r.ID
		}
		return out, err
	}
	own, err := ids(frameworkID, skills)
	if err != nil {
		return nil, nil, err
	}
	def, err := ids(defaultID, targets)
	if err != nil {
		return nil, nil, err
	}
	var v models.Validator
	for i, x := range m.Mappings {
		p := "mappings[" + strconv.Itoa(i) + "]"
		v.Check(own[x.Skill] != 0, p+".skill", "no skill "+strconv.Quote(x.Skill)+" in the framework")
		for j, c := range x.MapsTo {
			v.Check(def[c] != 0, p+".maps_to["+strconv.Itoa(j)+"]", "no skill "+strconv.Quote(c)+" in the default framework")
			from, to = append(from, own[x.Skill]), append(to, def[c])
		}
	}
	return from, to, v.Err()
}

// samePairs reports whether the sorted pairs current are the pairs from[i], to[i].
func samePairs(current [][2]int64, from, to []int64) bool {
	want := make([][2]int64, len(from))
	for i := range from {
		want[i] = [2]int64{from[i], to[i]}
	}
	slices.SortFunc(want, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return slices.Equal(current, want)
}
