package repository

import (
	"context"
	"time"

	"cyberskills/models"
)

// AssurancePopulation is every organisation national statistics count for a type (as
// statsOrgs names them), with its region, ICB, sector and size band and, per staff
// group, how many people its requirement applies to and how many are in date at at:
// each organisation judged over its own subtree by its own requirements, as its B6
// report judges it.
func (db *DB) AssurancePopulation(ctx context.Context, orgType string, at time.Time) ([]models.OrgTraining, error) {
	var rows []struct {
		statOrgRow
		Audience  string `db:"audience"`
		Headcount int    `db:"headcount"`
		InDate    int    `db:"in_date"`
	}
	err := db.SelectContext(ctx, &rows, statsOrgs+`
		SELECT orgs.id AS org, orgs.region, orgs.region_name, orgs.icb, orgs.icb_name, orgs.sector, orgs.size_band,
		       COALESCE(f.audience, '') AS audience, COALESCE(f.headcount, 0) AS headcount, COALESCE(f.in_date, 0) AS in_date
		  FROM orgs
		  LEFT JOIN LATERAL (
		        SELECT st.audience, count(*)::int AS headcount, count(*) FILTER (WHERE st.valid_until > st.at)::int AS in_date
		          FROM training_status(orgs.id, 0, ARRAY[$6::timestamptz]) st
		         GROUP BY st.audience) f ON true
		 ORDER BY orgs.id, f.audience`, orgType, "", "", "", "", at.UTC())
	var out []models.OrgTraining
	index := map[int64]int{}
	for _, r := range rows {
		i, ok := index[r.Org]
		if !ok {
			i = len(out)
			index[r.Org] = i
			keys, labels := r.dimensions()
			out = append(out, models.OrgTraining{Keys: keys, Labels: labels, Figures: map[models.Audience]models.TrainingFigures{}})
		}
		if r.Audience != "" {
			out[i].Figures[models.Audience(r.Audience)] = models.TrainingFigures{Headcount: r.Headcount, InDate: r.InDate}
		}
	}
	return out, translate(err)
}
