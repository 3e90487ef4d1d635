//go:build bench

package repository

import (
	"time"

	"cyberskills/models"
)

// The queries behind the hot reads, for the benchmarks (scripts/bench, built with -tags
// bench), which run them straight against PostgreSQL as the floor an API call is
// compared with. They are not part of the service's API.

// SkillGapsSQL is the query behind SkillGaps and its arguments.
func SkillGapsSQL(q models.GapQuery) (string, []any) { return gapSQL{q}.skillGapsSQL() }

// HeadlineSQL is the pair of queries behind StatisticsHeadline and their arguments.
func HeadlineSQL(f models.StatisticsFilter, at time.Time) ([]string, []any) {
	return headlineQueries(f, at)
}

// BreakdownSQL is the query behind StatisticsBreakdown and its arguments.
func BreakdownSQL(f models.StatisticsFilter, groupBy []string, at time.Time) (string, []any, error) {
	return breakdownQuery(f, groupBy, at)
}

// StaffLookupSQL is the query behind GetStaff and its arguments.
func StaffLookupSQL(scope models.Scope, orgID int64, externalID string) (string, []any) {
	return staffLookupSQL(scope, orgID, externalID)
}

// AssuranceResultSQL is the query behind AssuranceResult and its arguments: with known
// the stored generation, what a request serving the stored result runs.
func AssuranceResultSQL(orgType string, known int64) (string, []any) {
	return assuranceResultSQL(orgType, known)
}
