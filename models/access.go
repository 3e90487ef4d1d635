package models

// CourseAccess is whose courses a caller may see and change: one training provider's
// (a trainer token) or every provider's (admin; hr tokens read the whole catalogue).
// The zero value sees no course.
type CourseAccess struct {
	Provider string
	All      bool
}

// EnrolmentAccess says whose enrolments a caller reaches: an organisation's subtree in
// scope (hr, admin), or, for a training provider, only those on its own courses.
type EnrolmentAccess struct {
	Scope    Scope
	Provider string // set for trainers
}

// RoleOwner names whose roles a call is about: the global templates (OrgID 0) or one
// organisation's own roles, already resolved within the caller's scope.
type RoleOwner struct {
	OrgID int64
	Scope Scope
}
