package models

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

var testToday = NewDate(2026, time.January, 15)

func datePtr(s string) *Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func intPtr(n int) *int { return &n }

func errorFields(err error) []string {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestOrganisationValidate(t *testing.T) {
	t.Parallel()
	ok := Organisation{Code: "RJ1", Name: "Guy's", Type: OrgTrust, Active: true}
	cases := []struct {
		name   string
		change func(o *Organisation)
		fields []string
	}{
		{"valid", func(o *Organisation) {}, nil},
		{"every optional field", func(o *Organisation) {
			o.Parent, o.Sector, o.SizeBand, o.Headcount = "QKK", SectorAcute, SizeVeryLarge, intPtr(22000)
			o.Address, o.Postcode, o.XAPIHomePage = "Great Maze Pond", "SE1 9RT", "https://esr.example.nhs.uk/RJ1"
			o.OpenDate, o.CloseDate = datePtr("1993-04-01"), datePtr("2030-03-31")
		}, nil},
		{"code with a space", func(o *Organisation) { o.Code = "R J1" }, []string{"code"}},
		{"code too long", func(o *Organisation) { o.Code = "A12345678901234567890123456789012345678901" }, []string{"code"}},
		{"empty name", func(o *Organisation) { o.Name = "" }, []string{"name"}},
		{"unknown type", func(o *Organisation) { o.Type = "hospital" }, []string{"type"}},
		{"own parent", func(o *Organisation) { o.Parent = "RJ1" }, []string{"parent"}},
		{"bad parent code", func(o *Organisation) { o.Parent = "no way" }, []string{"parent"}},
		{"unknown sector", func(o *Organisation) { o.Sector = "retail" }, []string{"sector"}},
		{"unknown size band", func(o *Organisation) { o.SizeBand = "huge" }, []string{"size_band"}},
		{"negative headcount", func(o *Organisation) { o.Headcount = intPtr(-1) }, []string{"headcount"}},
		{"closes before it opens", func(o *Organisation) {
			o.OpenDate, o.CloseDate = datePtr("2020-01-01"), datePtr("2019-12-31")
			o.Active = false
		}, []string{"close_date"}},
		{"active although closed", func(o *Organisation) { o.CloseDate = datePtr("2026-01-15") }, []string{"active"}},
		{"home page not a URL", func(o *Organisation) { o.XAPIHomePage = "esr" }, []string{"xapi_home_page"}},
		{"home page ftp", func(o *Organisation) { o.XAPIHomePage = "ftp://esr.example" }, []string{"xapi_home_page"}},
		{"several at once", func(o *Organisation) { o.Name, o.Type = "", "" }, []string{"name", "type"}},
	}
	for _, tc := range cases {
		o := ok
		tc.change(&o)
		if got := errorFields(o.Validate(testToday)); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
		}
	}
}

func TestOrganisationNormalize(t *testing.T) {
	t.Parallel()
	o := Organisation{Code: " RJ1 ", Name: " Guy's ", Postcode: " se1   9rt ", Parent: " QKK"}
	o.Normalize()
	if o.Code != "RJ1" || o.Name != "Guy's" || o.Postcode != "SE1 9RT" || o.Parent != "QKK" {
		t.Fatalf("%+v", o)
	}
}

func TestResolveActive(t *testing.T) {
	t.Parallel()
	no, yes := false, true
	cases := []struct {
		close    *Date
		explicit *bool
		want     bool
	}{
		{nil, nil, true},
		{datePtr("2026-01-16"), nil, true}, // closes tomorrow
		{datePtr("2026-01-15"), nil, false},
		{datePtr("2020-01-01"), nil, false},
		{nil, &no, false},
		{datePtr("2020-01-01"), &yes, true}, // Validate rejects this combination
	}
	for i, tc := range cases {
		o := Organisation{CloseDate: tc.close}
		o.ResolveActive(tc.explicit, testToday)
		if o.Active != tc.want {
			t.Errorf("case %d: active %v, want %v", i, o.Active, tc.want)
		}
	}
}

func TestSectorFromName(t *testing.T) {
	t.Parallel()
	cases := map[string]Sector{
		"LONDON AMBULANCE SERVICE NHS TRUST":                             SectorAmbulance,
		"WELSH AMBULANCE SERVICES NHS TRUST":                             SectorAmbulance,
		"BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST":           SectorMentalHealth,
		"OXFORDSHIRE LEARNING DISABILITY NHS TRUST":                      SectorMentalHealth,
		"SUFFOLK MENTAL HEALTH PARTNERSHIP NHS TRUST":                    SectorMentalHealth,
		"KENT COMMUNITY HEALTH NHS FOUNDATION TRUST":                     SectorCommunity,
		"ROYAL NATIONAL ORTHOPAEDIC HOSPITAL NHS TRUST":                  SectorSpecialist,
		"GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST": SectorSpecialist,
		"LIVERPOOL WOMEN'S NHS FOUNDATION TRUST":                         SectorSpecialist,
		"Liverpool Women’s NHS Foundation Trust":                         SectorSpecialist,
		"LIVERPOOL HEART AND CHEST HOSPITAL NHS FOUNDATION TRUST":        SectorSpecialist,
		"MOORFIELDS EYE HOSPITAL NHS FOUNDATION TRUST":                   SectorSpecialist,
		"THE CLATTERBRIDGE CANCER CENTRE NHS FOUNDATION TRUST":           SectorSpecialist,
		"HEART OF ENGLAND NHS FOUNDATION TRUST":                          "", // an acute trust: "HEART" alone decides nothing
		"UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST":           SectorAcute,
		"WORCESTERSHIRE ACUTE HOSPITALS NHS TRUST":                       SectorAcute,
		"Kettering General Hospital NHS Foundation Trust":                SectorAcute,
		"SOUTH WEST YORKSHIRE PARTNERSHIP NHS FOUNDATION TRUST":          "",
		"NOTTINGHAMSHIRE HEALTHCARE NHS FOUNDATION TRUST":                "",
		"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST":                      "",
	}
	for name, want := range cases {
		if got := SectorFromName(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2024-02-29", "20240229"} {
		d, err := ParseDate(s)
		if err != nil || d.String() != "2024-02-29" {
			t.Errorf("%s: %v %v", s, d, err)
		}
	}
	for _, s := range []string{"2023-02-29", "29/02/2024", "2024-2-1", "", "202402290"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
	var v struct {
		D *Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2024-03-01"}`), &v); err != nil || v.D.String() != "2024-03-01" {
		t.Fatalf("%v %v", v.D, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"2024-03-01"}` {
		t.Fatalf("%s", b)
	}
	var typeErr *json.UnmarshalTypeError
	err := json.Unmarshal([]byte(`{"d":"20240301"}`), &v)
	if !errors.As(err, &typeErr) || typeErr.Field != "d" {
		t.Fatalf("compact date in JSON: %v", err)
	}
	if !NewDate(2024, 1, 2).After(NewDate(2024, 1, 1)) || !DateOf(time.Date(2024, 1, 1, 23, 0, 0, 0, time.UTC)).Before(NewDate(2024, 1, 2)) {
		t.Fatal("ordering")
	}
}

func TestOrganisationPatchApply(t *testing.T) {
	t.Parallel()
	base := Organisation{ID: 7, Code: "D1", Name: "Desk", Type: OrgDepartment, Parent: "RJ1", Sector: SectorAcute,
		Headcount: intPtr(12), Active: true}
	decode := func(s string) OrganisationPatch {
		var p OrganisationPatch
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return p
	}
	got, err := decode(`{"name":"Service desk","sector":null,"headcount":null,"postcode":"se1 9rt"}`).Apply(base, testToday)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Service desk" || got.Sector != "" || got.Headcount != nil || got.Postcode != "SE1 9RT" ||
		got.Parent != "RJ1" || got.Type != OrgDepartment || !got.Active || got.ID != 7 {
		t.Fatalf("patched: %+v", got)
	}
	// A close date in the past deactivates; clearing it reactivates.
	closed, err := decode(`{"close_date":"2025-12-31"}`).Apply(base, testToday)
	if err != nil || closed.Active || closed.CloseDate.String() != "2025-12-31" {
		t.Fatalf("closed: %+v %v", closed, err)
	}
	reopened, err := decode(`{"close_date":null}`).Apply(closed, testToday)
	if err != nil || !reopened.Active || reopened.CloseDate != nil {
		t.Fatalf("reopened: %+v %v", reopened, err)
	}
	// A change that leaves the dates alone leaves active alone.
	off, _ := decode(`{"active":false}`).Apply(base, testToday)
	if still, _ := decode(`{"name":"x"}`).Apply(off, testToday); still.Active {
		t.Fatal("a name change reactivated the organisation")
	}
	for body, field := range map[string]string{
		`{"name":null}`:       "name",
		`{"type":null}`:       "type",
		`{"active":null}`:     "active",
		`{"type":"hospital"}`: "type",
		`{"parent":"D1"}`:     "parent",
		`{"active":true,"close_date":"2020-01-01"}`: "active",
	} {
		_, err := decode(body).Apply(base, testToday)
		if f := errorFields(err); !slices.Contains(f, field) {
			t.Errorf("%s: fields %v, want %s", body, f, field)
		}
	}
	var typeErr *json.UnmarshalTypeError
	var p OrganisationPatch
	if err := json.Unmarshal([]byte(`{"headcount":"many"}`), &p); !errors.As(err, &typeErr) || typeErr.Field != "headcount" {
		t.Fatalf("type error %v does not name headcount", err)
	}
}

func TestCheckOrganisationWrite(t *testing.T) {
	t.Parallel()
	root := Organisation{ID: 10, Code: "ORGA", Name: "A", Type: OrgTrust, Parent: "QKK", Active: true}
	unit := Organisation{ID: 11, Code: "ORGA-1", Name: "Unit", Type: OrgDepartment, Parent: "ORGA"}
	rootDated := root
	rootDated.OpenDate = datePtr("1993-04-01")
	unitBound := unit
	unitBound.XAPIHomePage = "https://lms.example/orgs/unit"
	hr := ScopeSubtree(10)
	with := func(o Organisation, f func(*Organisation)) Organisation { f(&o); return o }
	cases := []struct {
		name   string
		scope  Scope
		before *Organisation
		after  Organisation
		code   string
		fields []string
	}{
		{"admin moves anything", ScopeAll(), &root, with(root, func(o *Organisation) { o.Parent = "" }), "", nil},
		{"hr renames its root", hr, &root, with(root, func(o *Organisation) { o.Name, o.Sector = "A2", SectorAcute }), "", nil},
		{"hr moves its root", hr, &root, with(root, func(o *Organisation) { o.Parent = "QWE" }), EFORBIDDEN, []string{"parent"}},
		{"hr retypes its root", hr, &root, with(root, func(o *Organisation) { o.Type = OrgOther }), EFORBIDDEN, []string{"type"}},
		{"hr closes its root", hr, &root, with(root, func(o *Organisation) { o.CloseDate, o.Active = datePtr("2026-01-01"), false }),
			EFORBIDDEN, []string{"close_date", "active"}},
		{"hr dates its root", hr, &root, with(root, func(o *Organisation) { o.OpenDate = datePtr("2001-04-01") }), EFORBIDDEN, []string{"open_date"}},
		{"hr re-sends its root's dates", hr, &rootDated, with(rootDated, func(o *Organisation) {
			o.OpenDate, o.Postcode = datePtr("1993-04-01"), "SE1 7EH"
		}), "", nil},
		{"hr moves a unit", hr, &unit, with(unit, func(o *Organisation) { o.Parent = "ORGA-2" }), "", nil},
		{"hr makes a unit a root", hr, &unit, with(unit, func(o *Organisation) { o.Parent = "" }), EINVALID, []string{"parent"}},
		{"hr creates without parent", hr, nil, Organisation{Code: "N", Type: OrgDepartment}, EINVALID, []string{"parent"}},
		{"hr creates a unit", hr, nil, Organisation{Code: "N", Type: OrgDepartment, Parent: "ORGA"}, "", nil},
		{"hr creates an ICB", hr, nil, Organisation{Code: "N", Type: OrgICB, Parent: "ORGA"}, EFORBIDDEN, []string{"type"}},
		{"hr creates a trust", hr, nil, Organisation{Code: "N", Type: OrgTrust, Parent: "ORGA", Sector: SectorAcute}, EFORBIDDEN, []string{"type"}},
		{"hr creates a practice", hr, nil, Organisation{Code: "N", Type: OrgPractice, Parent: "ORGA"}, EFORBIDDEN, []string{"type"}},
		{"hr creates another body", hr, nil, Organisation{Code: "N", Type: OrgOther, Parent: "ORGA"}, EFORBIDDEN, []string{"type"}},
		{"hr turns a unit into a trust", hr, &unit, with(unit, func(o *Organisation) { o.Type = OrgTrust }), EFORBIDDEN, []string{"type"}},
		{"hr renames a trust below its own", hr, &Organisation{ID: 12, Code: "T2", Type: OrgTrust, Parent: "ORGA"},
			Organisation{ID: 12, Code: "T2", Name: "T2", Type: OrgTrust, Parent: "ORGA"}, "", nil},
		{"admin binds a home page", ScopeAll(), &root, with(root, func(o *Organisation) { o.XAPIHomePage = "https://lms.example/a" }), "", nil},
		{"hr binds a home page to its root", hr, &root, with(root, func(o *Organisation) { o.XAPIHomePage = "https://lms.example/a" }),
			EFORBIDDEN, []string{"xapi_home_page"}},
		{"hr creates a unit with a home page", hr, nil, Organisation{Code: "N", Type: OrgDepartment, Parent: "ORGA", XAPIHomePage: "https://lms.example/n"},
			EFORBIDDEN, []string{"xapi_home_page"}},
		{"hr clears a unit's home page", hr, &unitBound, unit, EFORBIDDEN, []string{"xapi_home_page"}},
		{"hr re-sends a unit's home page", hr, &unitBound, with(unitBound, func(o *Organisation) { o.Name = "Unit 2" }), "", nil},
	}
	for _, tc := range cases {
		err := CheckOrganisationWrite(tc.scope, tc.before, tc.after)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if ErrorCode(err) != tc.code || !slices.Equal(errorFields(err), tc.fields) {
			t.Errorf("%s: %v (%s, %v), want %s %v", tc.name, err, ErrorCode(err), errorFields(err), tc.code, tc.fields)
		}
	}
	if err := CheckOrganisationDelete(hr, root); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("hr deletes its root: %v", err)
	}
	if err := CheckOrganisationDelete(hr, unit); err != nil {
		t.Errorf("hr deletes a unit: %v", err)
	}
}

func TestOrganisationScope(t *testing.T) {
	t.Parallel()
	for role, all := range map[Role]bool{RoleAdmin: true, RoleTrainer: true, RoleAnalyst: true, RoleHR: false} {
		s := Principal{Role: role, OrgID: 4}.OrganisationScope()
		if s.All() != all || (!all && s.OrgID() != 4) {
			t.Errorf("%s: %+v", role, s)
		}
	}
}

func TestImportError(t *testing.T) {
	t.Parallel()
	one := ImportError([]RowError{{Line: 12, Code: "RJ1", Field: "close_date", Message: "must be a date"}})
	var e *Error
	if !errors.As(one, &e) || e.Message != "line 12: close_date: must be a date; nothing was imported" ||
		e.Fields[0].Field != "line 12" || e.Fields[0].Message != "close_date: must be a date" {
		t.Fatalf("%+v", e)
	}
	var many []RowError
	for i := MaxReportedRowErrors + 5; i > 0; i-- {
		many = append(many, RowError{Line: i, Message: "bad"})
	}
	errors.As(ImportError(many), &e)
	d := e.Details.(ImportErrorDetails)
	if d.Total != MaxReportedRowErrors+5 || len(d.Rows) != MaxReportedRowErrors || d.Rows[0].Line != 1 || len(e.Fields) != MaxReportedRowErrors {
		t.Fatalf("total %d, rows %d, first %d", d.Total, len(d.Rows), d.Rows[0].Line)
	}
}
