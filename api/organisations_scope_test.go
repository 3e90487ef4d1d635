package api

import (
	"slices"
	"testing"

	"cyberskills/models"
)

// buildScopeTree creates Y56 > QKK > ORGA > ORGA-1 > ORGA-1-1 and ORGB under QKK, and
// returns an hr token of ORGA.
func (e *testEnv) buildScopeTree() string {
	e.t.Helper()
	a := e.admin()
	e.mustCreateOrg(a, org{"code": "Y56", "name": "London", "type": "region"})
	e.mustCreateOrg(a, org{"code": "QKK", "name": "South East London ICB", "type": "icb", "parent": "Y56"})
	e.mustCreateOrg(a, org{"code": "ORGA", "name": "Organisation A", "type": "trust", "parent": "QKK"})
	e.mustCreateOrg(a, org{"code": "ORGA-1", "name": "Unit of A", "type": "department", "parent": "ORGA"})
	e.mustCreateOrg(a, org{"code": "ORGA-1-1", "name": "Team of unit 1", "type": "department", "parent": "ORGA-1"})
	e.mustCreateOrg(a, org{"code": "ORGB", "name": "Organisation B", "type": "trust", "parent": "QKK"})
	return e.mint(models.RoleHR, "ORGA", "")
}

func listCodes(e *testEnv, token, query string) []string {
	e.t.Helper()
	page := getJSON[Page[models.Organisation]](e, token, "/api/v1/organisations?limit=1000&"+query)
	var codes []string
	for _, o := range page.Items {
		codes = append(codes, o.Code)
	}
	slices.Sort(codes)
	return codes
}

func TestOrganisationHRScopeReads(t *testing.T) {
	e := newEnv(t)
	hr := e.buildScopeTree()
	subtree := []string{"ORGA", "ORGA-1", "ORGA-1-1"}
	for _, q := range []string{"", "region=Y56", "type=trust&region=Y56&active=true"} {
		want := subtree
		if q != "" && q != "region=Y56" {
			want = []string{"ORGA"}
		}
		if got := listCodes(e, hr, q); !slices.Equal(got, want) {
			t.Errorf("hr list %q: %v, want %v", q, got, want)
		}
	}
	if got := listCodes(e, hr, "parent=QKK"); !slices.Equal(got, []string{"ORGA"}) {
		t.Errorf("hr sees these children of QKK: %v", got)
	}
	a := getJSON[models.Organisation](e, hr, "/api/v1/organisations/ORGA")
	if a.Parent != "QKK" || a.Region != "Y56" {
		t.Errorf("hr's own organisation: %+v", a)
	}
	e.as(hr, "GET", "/api/v1/organisations/ORGA-1-1", nil).expect(200)
	for _, code := range []string{"ORGB", "QKK", "Y56", "NOPE"} {
		e.as(hr, "GET", "/api/v1/organisations/"+code, nil).problem(404)
	}
	// Reference data for trainers and analysts: all of it.
	all := []string{"ORGA", "ORGA-1", "ORGA-1-1", "ORGB", "QKK", "Y56"}
	for _, role := range []models.Role{models.RoleTrainer, models.RoleAnalyst} {
		tok := e.mint(role, "", map[models.Role]string{models.RoleTrainer: "acme"}[role])
		if got := listCodes(e, tok, ""); !slices.Equal(got, all) {
			t.Errorf("%s list: %v", role, got)
		}
		e.as(tok, "GET", "/api/v1/organisations/ORGB", nil).expect(200)
		e.as(tok, "PATCH", "/api/v1/organisations/ORGB", org{"name": "x"}).problem(403)
	}
}

func TestOrganisationHROutsideScopeIsNotFound(t *testing.T) {
	e := newEnv(t)
	hr := e.buildScopeTree()
	for _, code := range []string{"ORGB", "QKK"} {
		path := "/api/v1/organisations/" + code
		e.as(hr, "PUT", path, org{"name": "Taken over", "type": "department", "parent": "ORGA"}).problem(404)
		e.as(hr, "PATCH", path, org{"name": "Taken over"}).problem(404)
		e.as(hr, "DELETE", path, nil).problem(404)
	}
	if b := e.getOrg("ORGB"); b.Name != "Organisation B" || b.Parent != "QKK" {
		t.Fatalf("ORGB changed: %+v", b)
	}
	// Codes are unique across the NHS: creating one that exists elsewhere is a conflict.
	e.as(hr, "POST", "/api/v1/organisations", org{"code": "ORGB", "name": "B", "type": "department", "parent": "ORGA"}).problem(409)
}

func TestOrganisationHRCreatesOnlyBelowItsOwn(t *testing.T) {
	e := newEnv(t)
	hr := e.buildScopeTree()
	for _, parent := range []any{"ORGB", "QKK", "NOWHERE", nil} {
		body := org{"code": "NEW1", "name": "New", "type": "department", "parent": parent}
		if p := e.as(hr, "POST", "/api/v1/organisations", body).problem(400); !p.hasFieldError("parent") {
			t.Errorf("POST under %v: %+v", parent, p)
		}
		if p := e.as(hr, "PUT", "/api/v1/organisations/NEW1", body).problem(400); !p.hasFieldError("parent") {
			t.Errorf("PUT under %v: %+v", parent, p)
		}
	}
	e.as(e.admin(), "GET", "/api/v1/organisations/NEW1", nil).problem(404)

	created := e.mustCreateOrg(hr, org{"code": "NEW1", "name": "New", "type": "department", "parent": "ORGA-1"})
	if created.Region != "Y56" || created.ICB != "QKK" {
		t.Fatalf("created: %+v", created)
	}
	body := org{"name": "Newer", "type": "department", "parent": "ORGA"}
	e.as(hr, "PUT", "/api/v1/organisations/NEW2", body).expect(201)
	e.as(hr, "PUT", "/api/v1/organisations/NEW2", body).expect(200)
	// Regions and ICBs, like every kind but departments, belong to administrators.
	p := e.as(hr, "POST", "/api/v1/organisations", org{"code": "NEW3", "name": "x", "type": "icb", "parent": "ORGA"}).problem(403)
	if !p.hasFieldError("type") {
		t.Fatalf("hr creating an ICB: %+v", p)
	}
	e.as(hr, "PATCH", "/api/v1/organisations/NEW1", org{"type": "region"}).problem(403)
	e.as(hr, "DELETE", "/api/v1/organisations/NEW1", nil).expect(204)
}

func TestOrganisationHRMovesInsideItsSubtree(t *testing.T) {
	e := newEnv(t)
	hr := e.buildScopeTree()
	if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1", org{"parent": "ORGB"}).problem(400); !p.hasFieldError("parent") {
		t.Fatalf("move out of the subtree: %+v", p)
	}
	if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1", org{"parent": nil}).problem(400); !p.hasFieldError("parent") {
		t.Fatalf("move to the top: %+v", p)
	}
	if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1", org{"parent": "ORGA-1-1"}).problem(400); !p.hasFieldError("parent") {
		t.Fatalf("cycle: %+v", p)
	}
	var moved models.Organisation
	e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1-1", org{"parent": "ORGA"}).expect(200).decode(&moved)
	if moved.Parent != "ORGA" {
		t.Fatalf("moved: %+v", moved)
	}
}

func TestOrganisationHROwnRoot(t *testing.T) {
	e := newEnv(t)
	hr := e.buildScopeTree()
	for body, field := range map[string]string{
		`{"parent":null}`:             "parent",
		`{"parent":"ORGA-1"}`:         "parent",
		`{"parent":"ORGB"}`:           "parent",
		`{"type":"other"}`:            "type",
		`{"close_date":"2025-03-31"}`: "close_date",
		`{"active":false}`:            "active",
		// Binding an LMS identity decides whose statements a tenant receives: admins only.
		`{"xapi_home_page":"https://esr.example/orga"}`: "xapi_home_page",
	} {
		if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA", body).problem(403); !p.hasFieldError(field) {
			t.Errorf("%s: %+v", body, p)
		}
	}
	// A PUT must keep the code, type and parent, which it reads like anyone else.
	p := e.as(hr, "PUT", "/api/v1/organisations/ORGA", org{"name": "A", "type": "trust"}).problem(403)
	if !p.hasFieldError("parent") {
		t.Fatalf("PUT dropping the parent: %+v", p)
	}
	var a models.Organisation
	e.as(hr, "PATCH", "/api/v1/organisations/ORGA", org{"name": "Organisation A NHS Trust", "sector": "acute",
		"size_band": "large", "headcount": 4200, "address": "1 High Street"}).
		expect(200).decode(&a)
	if a.Name != "Organisation A NHS Trust" || a.Sector != models.SectorAcute || a.SizeBand != models.SizeLarge ||
		*a.Headcount != 4200 || a.Parent != "QKK" {
		t.Fatalf("descriptive fields: %+v", a)
	}
	e.as(hr, "PUT", "/api/v1/organisations/ORGA", org{"name": "A", "type": "trust", "parent": "QKK"}).expect(200)
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA", nil).problem(403)
	if a := e.getOrg("ORGA"); a.Name != "A" || a.Parent != "QKK" || a.Type != models.OrgTrust {
		t.Fatalf("ORGA after all this: %+v", a)
	}
}
