package models

import "time"

// PlanningPerson is a member of staff as the projection and the planner see them.
type PlanningPerson struct {
	Key, Organisation, ExternalID string
	Active                        bool       // status active: who the planner and a projection count
	StartDate, EndDate            *time.Time // as dated; the maintained history counts people by them
	Requirements                  map[string]ProjReq
	Evidence                      map[string][]ProjectedEvidence // verified evidence in force now
	Enrolments                    []PlanningEnrolment            // open ones
}

// PersonRef names a member of staff: their organisation's code and their external id.
type PersonRef struct{ Organisation, ExternalID string }

// PlanningEnrolment is an open enrolment.
type PlanningEnrolment struct {
	Course    string
	Completes time.Time
}

// PlanningCourse is a current course.
type PlanningCourse struct {
	Code           string
	Cost, Hours    *float64
	ValidityMonths int
	PassRate       *float64 // observed; nil before any history
	Confers        map[string]int
}

// PlannedPosts are funded posts of a role beyond the staff in it: filled untrained from
// Start (nil: vacant now).
type PlannedPosts struct {
	Organisation, Role string
	Start              *time.Time
	Posts              int
	Requirements       map[string]ProjReq
}

// PlanningSnapshot is what planning reads of an organisation and everything below it.
// The training plan reads every active person; a projection reads most people as Base,
// the maintained history's sums, and People holds only those it projects one by one (see
// ProjectionInput).
type PlanningSnapshot struct {
	Now    time.Time
	People []PlanningPerson
	Base   []BaseCounts
	// PeopleInBase says that Base counts People too (by their dates and evidence), so a
	// projection takes them out of it before projecting them.
	PeopleInBase bool
	Courses      []PlanningCourse
	Targets      []SkillTarget                 // the organisation's own targets in force
	Coverage     []SkillCoverage               // the organisation's external coverage
	Posts        []PlannedPosts                // vacancies now and posts funded from future periods
	Roles        map[string]map[string]ProjReq // "organisation/role code" -> requirements, for hires
}

// PlanningUnit is an organisation below the one being planned for, with what judging it on
// its own takes: its parent (the organisations of its subtree are its descendants), its
// targets and its external coverage.
type PlanningUnit struct {
	Code, Parent string
	Targets      []SkillTarget
	Coverage     []SkillCoverage
}
