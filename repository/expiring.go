package repository

import (
	"context"
	"time"

	"cyberskills/models"
)

// Expiring lists verified levels of the organisation's staff (its whole subtree) that
// fall within the window because their evidence expires, soonest first, each with the
// level left after the lapse and whether it opens a gap: the person no longer meeting
// their role, or the organisation dropping below its capability target (each lapse
// judged on its own).
func (db *DB) Expiring(ctx context.Context, gq models.GapQuery, within time.Duration) ([]models.Lapse, error) {
	q := gapSQL{gq}
	if err := db.FlushForRead(ctx, q.Now); err != nil {
		return nil, err
	}
	var rows []struct {
		Organisation  string    `db:"organisation"`
		ExternalID    string    `db:"external_id"`
		Role          *string   `db:"role"`
		Skill         string    `db:"skill"`
		Tier          string    `db:"tier"`
		Level         int       `db:"level"`
		LapsesAt      time.Time `db:"lapses_at"`
		LevelAfter    int       `db:"level_after"`
		Required      int       `db:"required_level"`
		Essential     bool      `db:"essential"`
		TargetLevel   *int      `db:"target_level"`
		MinHeadcount  *int      `db:"min_headcount"`
		TargetHolders *int      `db:"target_holders"`
	}
	err := db.SelectContext(ctx, &rows, `
	WITH`+gapOrgs+`,
	lapsing AS (
		SELECT w.* FROM workforce_skills w
		 WHERE w.organisation_id IN (SELECT id FROM subtree)
		   AND w.level_until > $4::timestamptz AND w.level_until <= $4::timestamptz + $6 * interval '1 second'
		   AND $5::text IS NOT NULL)
	SELECT o.code AS organisation, s.external_id, r.code AS role, k.code AS skill, COALESCE(k.survey_tier, '') AS tier, x.level,
	       x.level_until AS lapses_at, COALESCE(a.verified, 0)::int AS level_after, x.required_level, x.essential,
	       t.min_level AS target_level, t.min_headcount,
	       (CASE WHEN t.min_level <= 1 THEN st.held_1 ELSE 0 END + CASE WHEN t.min_level <= 2 THEN st.held_2 ELSE 0 END
	      + CASE WHEN t.min_level <= 3 THEN st.held_3 ELSE 0 END + st.held_4)::int AS target_holders
	  FROM lapsing x
	  JOIN staff s ON s.id = x.staff_id
	  JOIN organisations o ON o.id = x.organisation_id
	  LEFT JOIN job_roles r ON r.id = s.role_id
	  JOIN skills k ON k.id = x.skill_id
	  LEFT JOIN LATERAL (SELECT l.verified FROM evidence_levels(ARRAY[x.staff_id], x.level_until) l
	                      WHERE l.skill_id = x.skill_id) a ON true
	  LEFT JOIN org_targets_of(ARRAY[$1::bigint]) t ON t.skill_id = x.skill_id
	  LEFT JOIN (SELECT s.skill_id, sum(s.held_1) AS held_1, sum(s.held_2) AS held_2, sum(s.held_3) AS held_3,
	                    sum(s.held_4) AS held_4
	               FROM org_skill_stats s WHERE s.organisation_id IN (SELECT id FROM subtree) GROUP BY 1) st
	         ON st.skill_id = x.skill_id
	 ORDER BY x.level_until, o.code, s.external_id, k.position`,
		append(q.args(), within.Seconds())...)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.Lapse, len(rows))
	for i, r := range rows {
		l := models.Lapse{
			Organisation: r.Organisation, ExternalID: r.ExternalID, Role: deref(r.Role), Skill: r.Skill, Tier: r.Tier,
			Level: r.Level, LapsesAt: r.LapsesAt, LevelAfter: r.LevelAfter, RequiredLevel: r.Required, Essential: r.Essential,
			DepthAfter: models.Depth(r.Required, r.LevelAfter),
		}
		l.OpensRoleGap = r.Required > 0 && r.Level >= r.Required && r.LevelAfter < r.Required
		if r.TargetLevel != nil && r.TargetHolders != nil {
			l.TargetLevel, l.MinHeadcount, l.TargetHolders = *r.TargetLevel, *r.MinHeadcount, *r.TargetHolders
			drops := r.Level >= l.TargetLevel && r.LevelAfter < l.TargetLevel
			l.OpensTargetGap = drops && l.TargetHolders >= l.MinHeadcount && l.TargetHolders-1 < l.MinHeadcount
		}
		out[i] = l
	}
	return out, nil
}
