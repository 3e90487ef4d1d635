package api

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
)

// org is the body of an organisation write.
type org map[string]any

// mustCreateOrg creates an organisation as token and returns it.
func (e *testEnv) mustCreateOrg(token string, body org) models.Organisation {
	e.t.Helper()
	var o models.Organisation
	e.as(token, "POST", "/api/v1/organisations", body).expect(201).decode(&o)
	return o
}

// getOrg reads an organisation as admin.
func (e *testEnv) getOrg(code string) models.Organisation {
	e.t.Helper()
	o := getJSON[models.Organisation](e, e.admin(), "/api/v1/organisations/"+code)
	return o
}

// buildTree creates two regions, an ICB in each, a trust under the first ICB and a
// department under the trust.
func (e *testEnv) buildTree() {
	e.t.Helper()
	a := e.admin()
	e.mustCreateOrg(a, org{"code": "Y56", "name": "London", "type": "region"})
	e.mustCreateOrg(a, org{"code": "Y58", "name": "South West", "type": "region"})
	e.mustCreateOrg(a, org{"code": "QKK", "name": "South East London ICB", "type": "icb", "parent": "Y56", "sector": "commissioning"})
	e.mustCreateOrg(a, org{"code": "QUY", "name": "Bristol ICB", "type": "icb", "parent": "Y58"})
	e.mustCreateOrg(a, org{"code": "RJ1", "name": "Guy's and St Thomas'", "type": "trust", "parent": "QKK", "sector": "acute"})
	e.mustCreateOrg(a, org{"code": "RJ1-IT", "name": "Digital services", "type": "department", "parent": "RJ1"})
}

func TestOrganisationTreeAndMoves(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	dept := e.getOrg("RJ1-IT")
	if dept.Parent != "RJ1" || dept.ICB != "QKK" || dept.Region != "Y56" || !dept.Active || dept.Type != models.OrgDepartment {
		t.Fatalf("department: %+v", dept)
	}
	if r := e.getOrg("Y56"); r.Region != "Y56" || r.ICB != "" || r.Parent != "" {
		t.Fatalf("a region is its own region: %+v", r)
	}

	// Moving the trust to another ICB moves its department into the other region too.
	var moved models.Organisation
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", org{"parent": "QUY"}).expect(200).decode(&moved)
	if moved.Parent != "QUY" || moved.ICB != "QUY" || moved.Region != "Y58" {
		t.Fatalf("moved trust: %+v", moved)
	}
	if d := e.getOrg("RJ1-IT"); d.ICB != "QUY" || d.Region != "Y58" || d.Parent != "RJ1" {
		t.Fatalf("department after the move: %+v", d)
	}
	// To the top of the tree: no region, no ICB any more.
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", org{"parent": nil}).expect(200)
	if d := e.getOrg("RJ1-IT"); d.ICB != "" || d.Region != "" {
		t.Fatalf("department under a root trust: %+v", d)
	}
	// Turning the trust, now at the top, into an ICB makes it its department's ICB.
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", org{"type": "icb"}).expect(200)
	if d := e.getOrg("RJ1-IT"); d.ICB != "RJ1" {
		t.Fatalf("under a retyped parent: %+v", d)
	}
}

func TestOrganisationCyclesRejected(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	for code, parent := range map[string]string{"Y56": "RJ1-IT", "QKK": "RJ1", "RJ1": "RJ1"} {
		p := e.as(e.admin(), "PATCH", "/api/v1/organisations/"+code, org{"parent": parent}).problem(400)
		if !p.hasFieldError("parent") {
			t.Errorf("%s under %s: %+v", code, parent, p)
		}
		p = e.as(e.admin(), "PUT", "/api/v1/organisations/"+code, org{"name": "x", "type": "other", "parent": parent}).problem(400)
		if !p.hasFieldError("parent") {
			t.Errorf("PUT %s under %s: %+v", code, parent, p)
		}
	}
	if r := e.getOrg("Y56"); r.Parent != "" || r.Name != "London" {
		t.Fatalf("a rejected move changed the region: %+v", r)
	}
}

func TestOrganisationPutIsAnIdempotentUpsert(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	body := org{"name": "Cyber team", "type": "department", "parent": "RJ1", "headcount": 12, "postcode": "se1 9rt",
		"open_date": "2024-04-01", "xapi_home_page": "https://lms.example/cyber"}
	var created, again, changed models.Organisation
	e.as(e.admin(), "PUT", "/api/v1/organisations/RJ1-CY", body).expect(201).decode(&created)
	if created.Code != "RJ1-CY" || created.Postcode != "SE1 9RT" || *created.Headcount != 12 || created.OpenDate.String() != "2024-04-01" ||
		created.Region != "Y56" || created.ICB != "QKK" || !created.Active {
		t.Fatalf("created: %+v", created)
	}
	// The same body again, even with the read-only fields of a GET echoed back: 200, untouched.
	echo := org{"code": "RJ1-CY", "region": "Y56", "icb": "QKK", "created_at": created.CreatedAt, "updated_at": created.UpdatedAt}
	for k, v := range body {
		echo[k] = v
	}
	e.as(e.admin(), "PUT", "/api/v1/organisations/RJ1-CY", echo).expect(200).decode(&again)
	if !again.UpdatedAt.Equal(created.UpdatedAt) || again.Name != "Cyber team" {
		t.Fatalf("unchanged PUT touched the row: %v -> %v", created.UpdatedAt, again.UpdatedAt)
	}
	// A PUT replaces: fields left out are cleared.
	e.as(e.admin(), "PUT", "/api/v1/organisations/RJ1-CY", org{"name": "Cyber security", "type": "department", "parent": "RJ1"}).
		expect(200).decode(&changed)
	if changed.Name != "Cyber security" || changed.Headcount != nil || changed.Postcode != "" || changed.OpenDate != nil ||
		changed.XAPIHomePage != "" || !changed.UpdatedAt.After(created.UpdatedAt) {
		t.Fatalf("replaced: %+v", changed)
	}
	p := e.as(e.admin(), "PUT", "/api/v1/organisations/RJ1-CY", org{"code": "OTHER", "name": "x", "type": "other"}).problem(400)
	if !p.hasFieldError("code") {
		t.Fatalf("renaming by PUT: %+v", p)
	}
}

func TestOrganisationPatch(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	var o models.Organisation
	e.requestRaw("PATCH", "/api/v1/organisations/RJ1", `{"size_band":"very_large","headcount":22000,"address":"Great Maze Pond"}`,
		"application/merge-patch+json", "Authorization", "Bearer "+e.admin()).expect(200).decode(&o)
	if o.SizeBand != models.SizeVeryLarge || *o.Headcount != 22000 || o.Address != "Great Maze Pond" ||
		o.Name != "Guy's and St Thomas'" || o.Sector != models.SectorAcute || o.Parent != "QKK" {
		t.Fatalf("patched: %+v", o)
	}
	// null clears an optional field; absent fields stay.
	var cleared models.Organisation
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", org{"sector": nil, "headcount": nil}).expect(200).decode(&cleared)
	if cleared.Sector != "" || cleared.Headcount != nil || cleared.SizeBand != models.SizeVeryLarge || cleared.Address != "Great Maze Pond" {
		t.Fatalf("cleared: %+v", cleared)
	}
	// A past close date deactivates; clearing it reactivates.
	var closed, reopened models.Organisation
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1-IT", org{"close_date": "2024-03-31"}).expect(200).decode(&closed)
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1-IT", org{"close_date": nil}).expect(200).decode(&reopened)
	if closed.Active || closed.CloseDate.String() != "2024-03-31" || !reopened.Active || reopened.CloseDate != nil {
		t.Fatalf("closed %+v, reopened %+v", closed, reopened)
	}
	for body, field := range map[string]string{
		`{"name":null}`:             "name",
		`{"headcount":"many"}`:      "headcount",
		`{"open_date":"1 April"}`:   "open_date",
		`{"code":"NEW"}`:            "code",
		`{"sector":"retail"}`:       "sector",
		`{"parent":"NOWHERE"}`:      "parent",
		`{"xapi_home_page":"nope"}`: "xapi_home_page",
	} {
		p := e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", body).problem(400)
		if !p.hasFieldError(field) {
			t.Errorf("%s: %+v", body, p)
		}
	}
	if p := e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", `{"open_date":"1 April"}`).problem(400); !strings.Contains(p.Detail, "YYYY-MM-DD") {
		t.Errorf("date error %q does not show the format", p.Detail)
	}
	e.requestRaw("PATCH", "/api/v1/organisations/RJ1", `{}`, "text/plain", "Authorization", "Bearer "+e.admin()).problem(415)
	e.as(e.admin(), "PATCH", "/api/v1/organisations/NOPE", org{"name": "x"}).problem(404)
}

func TestOrganisationDelete(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	p := e.as(e.admin(), "DELETE", "/api/v1/organisations/RJ1", nil).problem(409)
	if !strings.Contains(p.Detail, "child organisations") {
		t.Fatalf("delete with a child: %q", p.Detail)
	}
	e.mint(models.RoleHR, "RJ1-IT", "")
	p = e.as(e.admin(), "DELETE", "/api/v1/organisations/RJ1-IT", nil).problem(409)
	if !strings.Contains(p.Detail, "API tokens") {
		t.Fatalf("delete of a referred-to organisation: %q", p.Detail)
	}
	e.mustCreateOrg(e.admin(), org{"code": "RJ1-TMP", "name": "Temporary", "type": "department", "parent": "RJ1"})
	e.as(e.admin(), "DELETE", "/api/v1/organisations/RJ1-TMP", nil).expect(204)
	e.as(e.admin(), "GET", "/api/v1/organisations/RJ1-TMP", nil).problem(404)
	e.as(e.admin(), "DELETE", "/api/v1/organisations/RJ1-TMP", nil).problem(404)
}

func TestOrganisationCreateValidation(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	p := e.as(e.admin(), "POST", "/api/v1/organisations", org{"code": "RJ1", "name": "Again", "type": "trust"}).problem(409)
	if !p.hasFieldError("code") {
		t.Fatalf("duplicate code: %+v", p)
	}
	e.mustCreateOrg(e.admin(), org{"code": "A1", "name": "A", "type": "other", "xapi_home_page": "https://lms.example/a"})
	p = e.as(e.admin(), "POST", "/api/v1/organisations", org{"code": "A2", "name": "A", "type": "other", "xapi_home_page": "https://lms.example/a"}).problem(409)
	if !p.hasFieldError("xapi_home_page") {
		t.Fatalf("duplicate home page: %+v", p)
	}
	cases := []struct {
		body   org
		fields []string
	}{
		{org{"name": "No code", "type": "trust"}, []string{"code"}},
		{org{"code": "bad code", "name": "x", "type": "trust"}, []string{"code"}},
		{org{"code": "X1", "type": "trust"}, []string{"name"}},
		{org{"code": "X1", "name": "x", "type": "hospital"}, []string{"type"}},
		{org{"code": "X1", "name": "x", "type": "trust", "sector": "retail", "size_band": "huge"}, []string{"sector", "size_band"}},
		{org{"code": "X1", "name": "x", "type": "trust", "headcount": -1}, []string{"headcount"}},
		{org{"code": "X1", "name": "x", "type": "trust", "headcount": 1.5}, []string{"headcount"}},
		{org{"code": "X1", "name": "x", "type": "trust", "open_date": "2024-02-01", "close_date": "2024-01-01"}, []string{"close_date"}},
		{org{"code": "X1", "name": "x", "type": "trust", "close_date": "2024-01-01", "active": true}, []string{"active"}},
		{org{"code": "X1", "name": "x", "type": "trust", "parent": "NOWHERE"}, []string{"parent"}},
		{org{"code": "X1", "name": "x", "type": "trust", "colour": "blue"}, []string{"colour"}},
	}
	for _, tc := range cases {
		p := e.as(e.admin(), "POST", "/api/v1/organisations", tc.body).problem(400)
		var got []string
		for _, f := range p.Errors {
			got = append(got, f.Field)
		}
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%v: fields %v, want %v", tc.body, got, tc.fields)
		}
	}
	e.as(e.admin(), "GET", "/api/v1/organisations/X1", nil).problem(404)
}

func TestOrganisationListFiltersAndPaging(t *testing.T) {
	e := newEnv(t)
	e.buildTree()
	// 23 more departments of RJ1, every third closed, every fourth in the community sector.
	for i := 1; i <= 23; i++ {
		body := org{"code": fmt.Sprintf("RJ1-D%02d", i), "name": fmt.Sprintf("Ward %d", i), "type": "department", "parent": "RJ1"}
		if i%3 == 0 {
			body["close_date"] = "2020-01-01"
		}
		if i%4 == 0 {
			body["sector"] = "community"
		}
		e.mustCreateOrg(e.admin(), body)
	}
	count := func(query string) int {
		page := getJSON[Page[models.Organisation]](e, e.admin(), "/api/v1/organisations?limit=1000&"+query)
		return len(page.Items)
	}
	for query, want := range map[string]int{
		"":                          29,
		"type=department":           24,
		"type=region":               2,
		"parent=RJ1":                24,
		"parent=QKK":                1,
		"parent=NOPE":               0,
		"region=Y56":                27, // the region, QKK, RJ1 and its 24 departments
		"region=Y58":                2,
		"sector=community":          5,
		"sector=commissioning":      1,
		"active=false":              7,
		"active=true&parent=RJ1":    17,
		"q=ward%201":                11, // Ward 1, Ward 10-19
		"q=rj1-d2":                  4,
		"q=50%25":                   0, // % is a character, not a wildcard
		"type=department&q=digital": 1,
	} {
		if got := count(query); got != want {
			t.Errorf("%q: %d organisations, want %d", query, got, want)
		}
	}
	for _, bad := range []string{"type=hospital", "sector=retail", "active=maybe", "limit=0", "cursor=!!"} {
		e.as(e.admin(), "GET", "/api/v1/organisations?"+bad, nil).problem(400)
	}

	// Walk every page of 4: all 29 codes once each, in order.
	var codes []string
	path := "/api/v1/organisations?limit=4"
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page := getJSON[Page[models.Organisation]](e, e.admin(), path)
		for _, o := range page.Items {
			codes = append(codes, o.Code)
		}
		if page.NextCursor == "" {
			if len(page.Items) != 1 {
				t.Fatalf("last page has %d items, want 1", len(page.Items))
			}
			break
		}
		path = "/api/v1/organisations?limit=4&cursor=" + page.NextCursor
	}
	// The order is the database's collation of codes: compare with the list in one page.
	all := getJSON[Page[models.Organisation]](e, e.admin(), "/api/v1/organisations?limit=1000")
	var want []string
	for _, o := range all.Items {
		want = append(want, o.Code)
	}
	distinct := slices.Clone(codes)
	slices.Sort(distinct)
	if len(codes) != 29 || !slices.Equal(codes, want) || len(slices.Compact(distinct)) != 29 {
		t.Fatalf("walked %d codes: %v", len(codes), codes)
	}
}
