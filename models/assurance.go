package models

import (
	"slices"
	"strconv"
)

// Audience is a staff group a training requirement applies to: everyone (all_staff), or
// a key role, whose holders need role-specific training besides.
type Audience string

// The audiences: everyone, and the key roles of the DSPT and CAF B6.b.
const (
	AudienceAllStaff          Audience = "all_staff"
	AudienceSIRO              Audience = "siro"
	AudienceCaldicottGuardian Audience = "caldicott_guardian"
	AudienceDPO               Audience = "dpo"
	AudienceIGLead            Audience = "ig_lead"
	AudienceITSecurity        Audience = "it_security"
	AudiencePrivilegedUser    Audience = "privileged_user"
)

// Audiences are every audience, everyone first, in the order reports list them.
func Audiences() []Audience {
	return []Audience{AudienceAllStaff, AudienceSIRO, AudienceCaldicottGuardian, AudienceDPO, AudienceIGLead,
		AudienceITSecurity, AudiencePrivilegedUser}
}

// AppointedRoles are the key roles every organisation must appoint someone to: a
// training needs analysis without them leaves the accountable people out.
func AppointedRoles() []Audience {
	return []Audience{AudienceSIRO, AudienceCaldicottGuardian, AudienceDPO}
}

// Valid reports whether a is a known audience.
func (a Audience) Valid() bool { return slices.Contains(Audiences(), a) }

// KeyRole reports whether a is a key role (any audience but everyone).
func (a Audience) KeyRole() bool { return a.Valid() && a != AudienceAllStaff }

// Title is how a report names the audience.
func (a Audience) Title() string {
	switch a {
	case AudienceAllStaff:
		return "All staff"
	case AudienceSIRO:
		return "Senior Information Risk Owner"
	case AudienceCaldicottGuardian:
		return "Caldicott Guardian"
	case AudienceDPO:
		return "Data protection officer"
	case AudienceIGLead:
		return "Information governance lead"
	case AudienceITSecurity:
		return "IT and security staff"
	case AudiencePrivilegedUser:
		return "Privileged users"
	}
	return string(a)
}

// TrainingRequirement is what a staff group needs: a skill of the default framework at a
// level, renewed every refresh_months, and why. Training counts when it is evidence of
// the skill at the level or above from any source but self (a passed course's training
// evidence, an assessment, a certificate).
type TrainingRequirement struct {
	Audience      Audience `json:"audience" enums:"all_staff,siro,caldicott_guardian,dpo,ig_lead,it_security,privileged_user" example:"all_staff"`
	Skill         string   `json:"skill" example:"secure-data"`
	SkillName     string   `json:"skill_name,omitempty" readonly:"true" example:"Storing or transferring personal data securely"`
	Level         int      `json:"level" example:"1"`
	RefreshMonths int      `json:"refresh_months" example:"12"`
	Reason        string   `json:"reason" example:"Everyone with access to patient data needs yearly data security awareness."`
	// Source says where the requirement in force comes from: the default, the
	// organisation's own, or an ancestor's own (from names it). Read-only.
	Source string `json:"source,omitempty" enums:"default,organisation,inherited" readonly:"true" example:"default"`
	From   string `json:"from,omitempty" readonly:"true" example:"Y56"`
}

// TrainingRequirements are the requirements in force for an organisation, one per audience.
type TrainingRequirements struct {
	Organisation string                `json:"organisation" example:"RJ1"`
	Requirements []TrainingRequirement `json:"requirements"`
}

// ValidateTrainingRequirements checks an organisation's own requirements as submitted.
func ValidateTrainingRequirements(rs []TrainingRequirement) error {
	var v Validator
	seen := map[string]bool{}
	for i, r := range rs {
		f := "requirements[" + strconv.Itoa(i) + "]"
		v.Check(r.Audience.Valid(), f+".audience", "must be one of all_staff, siro, caldicott_guardian, dpo, ig_lead, it_security, privileged_user")
		v.CheckOnce(seen, string(r.Audience), f+".audience")
		v.Check(r.Skill != "", f+".skill", "is required")
		v.Check(r.Level >= 1 && r.Level <= MaxLevel, f+".level", "must be between 1 and 4")
		v.Check(r.RefreshMonths >= 1 && r.RefreshMonths <= 120, f+".refresh_months", "must be from 1 to 120")
		v.Check(len(r.Reason) >= 1 && len(r.Reason) <= 1000, f+".reason", "is required (at most 1,000 characters): the training needs analysis says why")
	}
	return v.Err()
}

// RoleKeyRoles are the key roles a job role carries, by role code, so that an
// organisation's own role of a template's code carries the same.
type RoleKeyRoles struct {
	Role     string     `json:"role" example:"network-engineer"`
	KeyRoles []Audience `json:"key_roles" example:"it_security,privileged_user"`
	Source   string     `json:"source,omitempty" enums:"default,organisation,inherited" readonly:"true" example:"default"`
	From     string     `json:"from,omitempty" readonly:"true" example:"Y56"`
}

// StaffKeyRoles are the key roles a person is appointed to (the SIRO, the Caldicott
// Guardian, the DPO are people, not job roles).
type StaffKeyRoles struct {
	ExternalID string     `json:"external_id" example:"E10234"`
	KeyRoles   []Audience `json:"key_roles" example:"siro"`
}

// KeyRoles says who belongs to the key roles of an organisation: the job roles that
// carry them (in force: the organisation's own lists, its ancestors', the defaults) and
// its own staff's appointments.
type KeyRoles struct {
	Organisation string          `json:"organisation,omitempty" readonly:"true" example:"RJ1"`
	Roles        []RoleKeyRoles  `json:"roles"`
	Staff        []StaffKeyRoles `json:"staff"`
}

// ValidateKeyRoles checks an organisation's own key roles as submitted.
func ValidateKeyRoles(k KeyRoles) error {
	var v Validator
	check := func(f string, ks []Audience) {
		for j, a := range ks {
			v.Check(a.KeyRole(), f+".key_roles["+strconv.Itoa(j)+"]", "must be one of siro, caldicott_guardian, dpo, ig_lead, it_security, privileged_user")
		}
	}
	roles := map[string]bool{}
	for i, r := range k.Roles {
		f := "roles[" + strconv.Itoa(i) + "]"
		v.CheckKey(roles, r.Role, f+".role")
		v.Check(r.KeyRoles != nil, f+".key_roles", "is required (an empty list switches the default off)")
		check(f, r.KeyRoles)
	}
	staff := map[string]bool{}
	for i, s := range k.Staff {
		f := "staff[" + strconv.Itoa(i) + "]"
		v.CheckKey(staff, s.ExternalID, f+".external_id")
		v.Check(len(s.KeyRoles) > 0, f+".key_roles", "names at least one key role")
		check(f, s.KeyRoles)
	}
	return v.Err()
}
