package models

import (
	"slices"
	"strings"
)

// The organisation tree is typed: an organisation of each type may sit only directly
// under the types this table allows ("" is the top of the tree). It follows the NHS's
// shape and the ODS extracts: an NHS England region at the top; an ICB under its region
// (or at the top when the extract names none); a sub-ICB location under its ICB; a trust
// under its ICB, its region when it has no ICB, or at the top (the Welsh bodies in
// etr.csv); a GP practice under its sub-ICB location or its ICB, or at the top (a Welsh
// practice, commissioned by a Welsh health board, or a practice that closed before the
// geography it names existed no more); other bodies (independent and voluntary providers,
// national bodies) at the top or in a region, ICB or sub-ICB location; and departments,
// the units inside an organisation, under any organisation, other departments included.
// A sub-ICB location may sit at the top only because a closed one may name an ICB that
// no longer exists. Without the table, an hr token could create "trusts" inside its own
// trust, which statistics counted as more trusts.
var orgChildren = map[OrgType][]OrgType{
	"":            {OrgRegion, OrgICB, OrgSubICB, OrgTrust, OrgPractice, OrgOther},
	OrgRegion:     {OrgICB, OrgTrust, OrgOther, OrgDepartment},
	OrgICB:        {OrgSubICB, OrgTrust, OrgPractice, OrgOther, OrgDepartment},
	OrgSubICB:     {OrgPractice, OrgOther, OrgDepartment},
	OrgTrust:      {OrgDepartment},
	OrgPractice:   {OrgDepartment},
	OrgOther:      {OrgDepartment},
	OrgDepartment: {OrgDepartment},
}

// AllowedUnder reports whether an organisation of type child may sit directly under one
// of type parent ("" for the top of the tree).
func AllowedUnder(parent, child OrgType) bool { return slices.Contains(orgChildren[parent], child) }

// OrgPlacements lists the table as pairs of parallel lists (parent type, "" for the top;
// child type), for the set-based checks that SQL runs over a whole import.
func OrgPlacements() (parents, children []string) {
	for _, p := range append([]OrgType{""}, OrgTypes...) {
		for _, c := range orgChildren[p] {
			parents, children = append(parents, string(p)), append(children, string(c))
		}
	}
	return parents, children
}

// PlacementMessage says why an organisation of type child cannot sit under parent (a
// code and type; no code for the top of the tree), and where it may sit.
func PlacementMessage(child OrgType, parentCode string, parent OrgType) string {
	where := "at the top of the tree"
	if parentCode != "" {
		where = "under " + parentCode + ", " + article(parent)
	}
	return article(child) + " cannot sit " + where + "; " + article(child) + " sits " + allowedParents(child)
}

// ChildMessage says why an organisation cannot become of type t: a child it has (a code
// and type) cannot sit under t.
func ChildMessage(t OrgType, childCode string, child OrgType) string {
	return "cannot be " + article(t) + ": its " + childCode + " is " + article(child) + ", which sits " + allowedParents(child)
}

// CheckPlacement checks that o, of its type, may sit under its parent (of type parent;
// "" without a parent), as a field error on parent.
func CheckPlacement(o Organisation, parent OrgType) error {
	if AllowedUnder(parent, o.Type) {
		return nil
	}
	return Invalid(FieldError{Field: "parent", Message: PlacementMessage(o.Type, o.Parent, parent)})
}

// CheckChildren checks that an organisation of type t may have children of the given
// types (code to type), as a field error on type.
func CheckChildren(t OrgType, children map[string]OrgType) error {
	codes := make([]string, 0, len(children))
	for c := range children {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		if !AllowedUnder(t, children[c]) {
			return Invalid(FieldError{Field: "type", Message: ChildMessage(t, c, children[c])})
		}
	}
	return nil
}

func allowedParents(child OrgType) string {
	var where []string
	for _, p := range OrgTypes {
		if AllowedUnder(p, child) {
			where = append(where, article(p))
		}
	}
	s := ""
	if n := len(where); n > 0 {
		s = "under " + where[n-1]
		if n > 1 {
			s = "under " + strings.Join(where[:n-1], ", ") + " or " + where[n-1]
		}
	}
	if AllowedUnder("", child) {
		if s != "" {
			s += ", or "
		}
		s += "at the top of the tree"
	}
	return s
}

// article names a type in a message: "a trust", "an ICB".
func article(t OrgType) string {
	switch t {
	case OrgICB:
		return "an ICB"
	case OrgSubICB:
		return "a sub-ICB location"
	case OrgOther:
		return `an organisation of type "other"`
	}
	return "a " + string(t)
}
