package repository

import (
	"context"
	"time"

	"cyberskills/models"
)

// statOrgRow is an organisation of the statistics as statsOrgs selects it: its id and
// the values statistics group it by.
type statOrgRow struct {
	Org        int64  `db:"org"`
	Region     string `db:"region"`
	RegionName string `db:"region_name"`
	ICB        string `db:"icb"`
	ICBName    string `db:"icb_name"`
	Sector     string `db:"sector"`
	SizeBand   string `db:"size_band"`
}

// dimensions are the organisation's keys and labels in the order of
// models.StatOrgDimensions.
func (r statOrgRow) dimensions() (keys, labels [4]string) {
	return [4]string{r.Region, r.ICB, r.Sector, r.SizeBand}, [4]string{r.RegionName, r.ICBName, r.Sector, r.SizeBand}
}

// populationRow is one organisation's evaluation in one skill (the skill empty for an
// organisation evaluated in none).
type populationRow struct {
	statOrgRow
	Skill     string `db:"skill"`
	SkillName string `db:"skill_name"`
	Tier      string `db:"tier"`
	Gap       bool   `db:"gap"`
	staffColumns
}

// populationSQL lists every active organisation of the type with each skill it is
// evaluated in (statsEvaluated's parameters, with no filter), skills in the framework's order.
var populationSQL = statsEvaluated + `
	SELECT orgs.id AS org, orgs.region, orgs.region_name, orgs.icb, orgs.icb_name, orgs.sector, orgs.size_band,
	       COALESCE(k.code, '') AS skill, COALESCE(k.name, '') AS skill_name, COALESCE(k.tier, '') AS tier,
	       COALESCE(ev.demand, 0) AS demand, COALESCE(ev.supply, 0) AS supply,
	       COALESCE(ev.held_1, 0) AS held_1, COALESCE(ev.held_2, 0) AS held_2,
	       COALESCE(ev.held_3, 0) AS held_3, COALESCE(ev.held_4, 0) AS held_4, COALESCE(ev.gap, false) AS gap
	  FROM orgs LEFT JOIN ev ON ev.org = orgs.id LEFT JOIN skills k ON k.id = ev.skill_id
	 ORDER BY k.position NULLS FIRST, k.code NULLS FIRST, k.id NULLS FIRST, orgs.id`

// StatisticsPopulation is every active organisation of a type, as of at, with its region,
// ICB, sector and size band and its evaluation in each skill: what a release of
// statistics is computed from (one query, as a breakdown's).
func (db *DB) StatisticsPopulation(ctx context.Context, orgType string, at time.Time) (models.StatPopulation, error) {
	if err := db.FlushForRead(ctx, at); err != nil {
		return models.StatPopulation{}, err
	}
	var rows []populationRow
	if err := db.SelectContext(ctx, &rows, populationSQL, statsArgs(models.StatisticsFilter{Type: orgType}, at)...); err != nil {
		return models.StatPopulation{}, translate(err)
	}
	p := models.StatPopulation{Skills: []models.StatSkill{}, Orgs: []models.StatOrg{}}
	orgs, skills := map[int64]int{}, map[string]int{}
	for _, r := range rows {
		i, ok := orgs[r.Org]
		if !ok {
			i = len(p.Orgs)
			orgs[r.Org] = i
			keys, labels := r.dimensions()
			p.Orgs = append(p.Orgs, models.StatOrg{Keys: keys, Labels: labels})
		}
		if r.Skill == "" {
			continue
		}
		s, ok := skills[r.Skill]
		if !ok {
			s = len(p.Skills)
			skills[r.Skill] = s
			p.Skills = append(p.Skills, models.StatSkill{Code: r.Skill, Name: r.SkillName, Tier: r.Tier})
		}
		p.Orgs[i].Skills = append(p.Orgs[i].Skills, models.StatOrgSkill{Skill: s, Demand: r.Demand, Supply: r.Supply,
			Held: r.held(), Gap: r.Gap})
	}
	return p, nil
}
