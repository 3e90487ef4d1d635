package models

import (
	"errors"
	"slices"
	"testing"
)

func TestOrganisationTreeTyping(t *testing.T) {
	t.Parallel()
	allowed := map[OrgType][]OrgType{ // parent -> the children it may have, as the README states
		"":            {OrgRegion, OrgICB, OrgSubICB, OrgTrust, OrgPractice, OrgOther},
		OrgRegion:     {OrgICB, OrgTrust, OrgOther, OrgDepartment},
		OrgICB:        {OrgSubICB, OrgTrust, OrgPractice, OrgOther, OrgDepartment},
		OrgSubICB:     {OrgPractice, OrgOther, OrgDepartment},
		OrgTrust:      {OrgDepartment},
		OrgPractice:   {OrgDepartment},
		OrgOther:      {OrgDepartment},
		OrgDepartment: {OrgDepartment},
	}
	pairs := 0
	for _, parent := range append([]OrgType{""}, OrgTypes...) {
		for _, child := range OrgTypes {
			want := slices.Contains(allowed[parent], child)
			if got := AllowedUnder(parent, child); got != want {
				t.Errorf("%q under %q: %v, want %v", child, parent, got, want)
			}
			if want {
				pairs++
			}
		}
	}
	parents, children := OrgPlacements()
	if len(parents) != pairs || len(children) != pairs {
		t.Fatalf("OrgPlacements has %d and %d entries, want %d", len(parents), len(children), pairs)
	}
	for i := range parents {
		if !AllowedUnder(OrgType(parents[i]), OrgType(children[i])) {
			t.Errorf("OrgPlacements lists %s under %q", children[i], parents[i])
		}
	}
}

func TestPlacementMessages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		o      Organisation
		parent OrgType
		want   string // "" when allowed
	}{
		{Organisation{Type: OrgTrust, Parent: "RJ1"}, OrgTrust,
			"a trust cannot sit under RJ1, a trust; a trust sits under a region or an ICB, or at the top of the tree"},
		{Organisation{Type: OrgDepartment}, "",
			"a department cannot sit at the top of the tree; a department sits under a region, an ICB, a sub-ICB location, a trust, a department, a practice or an organisation of type \"other\""},
		{Organisation{Type: OrgPractice, Parent: "Y56"}, OrgRegion,
			"a practice cannot sit under Y56, a region; a practice sits under an ICB or a sub-ICB location, or at the top of the tree"},
		{Organisation{Type: OrgRegion, Parent: "QKK"}, OrgICB,
			"a region cannot sit under QKK, an ICB; a region sits at the top of the tree"},
		{Organisation{Type: OrgDepartment, Parent: "RJ1-IT"}, OrgDepartment, ""},
		{Organisation{Type: OrgTrust}, "", ""},
	} {
		err := CheckPlacement(c.o, c.parent)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v under %q: %v", c.o, c.parent, err)
		case c.want != "":
			var e *Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "parent" || e.Fields[0].Message != c.want {
				t.Errorf("%+v under %q: %v, want %q", c.o, c.parent, err, c.want)
			}
		}
	}
	err := CheckChildren(OrgTrust, map[string]OrgType{"RJ1-IT": OrgDepartment, "FAKE": OrgTrust})
	var e *Error
	if !errors.As(err, &e) || e.Fields[0].Field != "type" ||
		e.Fields[0].Message != "cannot be a trust: its FAKE is a trust, which sits under a region or an ICB, or at the top of the tree" {
		t.Errorf("children: %v", err)
	}
	if err := CheckChildren(OrgICB, map[string]OrgType{"RJ1": OrgTrust, "GP1": OrgPractice}); err != nil {
		t.Errorf("an ICB's children: %v", err)
	}
}
