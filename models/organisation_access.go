package models

// OrganisationScope is the set of organisations whose metadata the caller may read. The
// organisation tree is public NHS reference data (names, codes, the region and ICB a
// trust belongs to), and trainers and analysts need it to name staff and read
// statistics, so they read all of it. An hr token stays inside its own subtree, like
// for every other tenant object, so that one HR integration cannot wander across the NHS.
func (p Principal) OrganisationScope() Scope {
	switch p.Role {
	case RoleAdmin, RoleTrainer, RoleAnalyst:
		return ScopeAll()
	}
	return p.Scope()
}

// CheckOrganisationWrite enforces what a scoped (hr) caller may write; before is the
// organisation as stored, nil when it is being created. Whether the organisation and its
// new parent lie inside the subtree is the repository's job (in SQL); these are the
// rules on top:
//   - the root of the subtree (the hr token's own organisation) keeps its code, type (and
//     who set it), parent, dates and active flag, so that an HR system cannot move,
//     retype or close itself (the NHS ODS extract is the authority on those); its
//     descriptive fields (name, sector, size band, headcount, address, postcode) may change;
//   - the xAPI home page is an administrator's to set (checkHomePageUnchanged);
//   - everything else the caller writes sits below the root, so it needs a parent;
//   - what it creates, or retypes, is a department: regions, ICBs, sub-ICB locations,
//     trusts, practices and other bodies are NHS reference data, kept by administrators.
//     Statistics group by the nearest region and ICB and count trusts (and the other
//     kinds) by sector, so a tenant must not be able to redefine the one or add to the
//     other.
func CheckOrganisationWrite(s Scope, before *Organisation, after Organisation) error {
	if s.All() {
		return nil
	}
	if err := checkHomePageUnchanged(before, after); err != nil {
		return err
	}
	if before != nil && before.ID == s.OrgID() {
		var fields []FieldError
		if after.Code != before.Code {
			fields = append(fields, FieldError{Field: "code", Message: "cannot change: it is the organisation of your token"})
		}
		if after.Type != before.Type || after.ByHand(HandType) != before.ByHand(HandType) {
			fields = append(fields, FieldError{Field: "type", Message: "cannot change: it is the organisation of your token"})
		}
		if after.Parent != before.Parent {
			fields = append(fields, FieldError{Field: "parent", Message: "cannot change: an hr token cannot move its own organisation"})
		}
		if !sameDate(after.OpenDate, before.OpenDate) {
			fields = append(fields, FieldError{Field: "open_date", Message: "cannot change: it is the organisation of your token"})
		}
		if !sameDate(after.CloseDate, before.CloseDate) {
			fields = append(fields, FieldError{Field: "close_date", Message: "cannot change: it is the organisation of your token"})
		}
		if after.Active != before.Active {
			fields = append(fields, FieldError{Field: "active", Message: "cannot change: it is the organisation of your token"})
		}
		return forbiddenFields(fields)
	}
	if after.Parent == "" {
		return Invalid(FieldError{Field: "parent", Message: "is required: an hr token places organisations inside its own organisation's tree"})
	}
	if after.Type != OrgDepartment && (before == nil || before.Type != after.Type) {
		return forbiddenFields([]FieldError{{Field: "type", Message: "an hr token creates only departments; other kinds of organisation are managed by administrators"}})
	}
	return nil
}

// checkHomePageUnchanged refuses a scoped caller's write that sets, changes or clears an
// xAPI home page. A home page is an identity an LMS (another system) assigns; binding it
// to an organisation decides which tenant receives the statements it names, so it is a
// cross-tenant act that only an administrator may do. A write that carries the stored
// value back (a PUT of what a GET returned) changes nothing and passes.
func checkHomePageUnchanged(before *Organisation, after Organisation) error {
	stored := ""
	if before != nil {
		stored = before.XAPIHomePage
	}
	if after.XAPIHomePage == stored {
		return nil
	}
	return forbiddenFields([]FieldError{{Field: "xapi_home_page",
		Message: "is set by administrators only: it decides which organisation receives the xAPI statements that name it"}})
}

// CheckOrganisationDelete enforces that a scoped (hr) caller deletes only organisations
// below its own.
func CheckOrganisationDelete(s Scope, o Organisation) error {
	if !s.All() && o.ID == s.OrgID() {
		return Errorf(EFORBIDDEN, "an hr token cannot delete its own organisation")
	}
	return nil
}

func sameDate(a, b *Date) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func forbiddenFields(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	e := Errorf(EFORBIDDEN, "%s: %s", fields[0].Field, fields[0].Message)
	if len(fields) > 1 {
		e.Message = "an hr token cannot change these fields of its own organisation"
	}
	e.Fields = fields
	return e
}

// OrgRef is an organisation resolved within a caller's scope: its id for queries, its
// code for answers.
type OrgRef struct {
	ID   int64
	Code string
}
