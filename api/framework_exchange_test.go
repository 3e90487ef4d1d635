package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/exchange"
)

// importCSV posts a CSV file to the import route as an admin.
func (e *testEnv) importFrameworkCSV(query, file string) *response {
	e.t.Helper()
	return e.requestRaw("POST", "/api/v1/frameworks/import?"+query, file, "text/csv", "Authorization", "Bearer "+e.admin())
}

// sameCatalogue reports whether two documents have the same scale, areas and skills.
func sameCatalogue(a, b models.Framework) bool {
	return reflect.DeepEqual(a.Scale, b.Scale) && reflect.DeepEqual(a.Areas, b.Areas) && reflect.DeepEqual(a.Skills, b.Skills)
}

// problemFields lists the fields a problem names, in order.
func problemFields(p problemBody) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

func TestCSVExportImportRoundTrip(t *testing.T) {
	e := newEnv(t)
	r := e.as(e.mint(models.RoleAnalyst, "", ""), "GET", "/api/v1/frameworks/cyber/export?format=csv", nil).expect(200)
	if ct, cd := r.Header().Get("Content-Type"), r.Header().Get("Content-Disposition"); ct != "text/csv; charset=utf-8" || cd != `attachment; filename="cyber-v1.csv"` {
		t.Fatalf("Content-Type %q, Content-Disposition %q", ct, cd)
	}
	file := r.Body.String()
	lines := strings.Split(strings.TrimSpace(file), "\n")
	if len(lines) != 1+12+17 || !strings.HasPrefix(lines[0], "area,code,name,tier,description,level_1,level_2,level_3,level_4,") {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	// Back into the same framework: nothing to publish.
	var res models.ImportResult
	e.importFrameworkCSV("code=cyber", file).expect(200).decode(&res)
	if res.Outcome != "unchanged" || res.Version != 1 || res.Skills != 17 || res.Areas != 12 {
		t.Fatalf("re-import %+v", res)
	}
	// Into a new framework: the same catalogue.
	e.importFrameworkCSV("code=cyber-copy&name=Copy", file).expect(201).decode(&res)
	if res.Outcome != "created" || res.Version != 1 || res.Code != "cyber-copy" {
		t.Fatalf("copy %+v", res)
	}
	orig, copied := e.framework("cyber", 0), e.framework("cyber-copy", 0)
	if !sameCatalogue(orig, copied) || copied.Name != "Copy" {
		t.Fatalf("the copy differs from the original")
	}
}

func TestCSVImportPublishesNewVersion(t *testing.T) {
	e := newEnv(t)
	file := e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/export", nil).expect(200).Body.String()
	var kept []string
	for _, line := range strings.Split(file, "\n") {
		if !strings.HasPrefix(line, "data-protection,backup-recovery,") {
			kept = append(kept, strings.Replace(line, "Setting up configured firewalls", "Configuring firewalls", 1))
		}
	}
	kept = append(kept[:len(kept)-1], "identity-access,mfa,Multi-factor authentication,basic,,,,,,,,,", "")
	var res models.ImportResult
	e.importFrameworkCSV("code=cyber&publisher=NHS+Example", strings.Join(kept, "\n")).expect(201).decode(&res)
	if res.Outcome != "published" || res.Version != 2 || res.Skills != 18 || !slices.Equal(res.Deprecated, []string{"backup-recovery"}) {
		t.Fatalf("import %+v", res)
	}
	cur := e.framework("cyber", 0)
	if cur.Publisher != "NHS Example" || cur.Name != "Cyber Security Skills Framework" || cur.Skills[0].Name != "Configuring firewalls" {
		t.Fatalf("current %q %q %q", cur.Publisher, cur.Name, cur.Skills[0].Name)
	}
	if s := e.skill("cyber", "backup-recovery"); s.Status != models.SkillDeprecated {
		t.Fatalf("backup-recovery %+v", s)
	}
	if v1 := e.framework("cyber", 1); !sameCatalogue(v1, defaultFramework()) {
		t.Fatal("version 1 changed")
	}
	// Export of version 1 still gives the original file.
	if old := e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/export?version=1", nil).expect(200).Body.String(); old != file {
		t.Fatal("export of version 1 differs from the original export")
	}
}

func TestCASEExportImportRoundTrip(t *testing.T) {
	e := newEnv(t)
	r := e.as(e.mint(models.RoleTrainer, "", "acme"), "GET", "/api/v1/frameworks/cyber/export?format=case", nil).expect(200)
	if cd := r.Header().Get("Content-Disposition"); cd != `attachment; filename="cyber-v1.case.json"` {
		t.Fatalf("Content-Disposition %q", cd)
	}
	body := r.Body.String()
	var pkg exchange.CFPackage
	r.decode(&pkg)
	if pkg.CFDocument.Identifier != exchange.CASEIdentifier("framework", "cyber") || len(pkg.CFItems) != 12+17 ||
		len(pkg.CFAssociations) != 12+17 || len(pkg.CFRubrics[0].CFRubricCriteria) != 1+17 {
		t.Fatalf("package: document %s, %d items, %d associations", pkg.CFDocument.Identifier, len(pkg.CFItems), len(pkg.CFAssociations))
	}
	if again := e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/export?format=case", nil).expect(200).Body.String(); again != body {
		t.Fatal("two exports differ")
	}
	// The package names its framework: back into cyber, nothing changes.
	var res models.ImportResult
	e.as(e.admin(), "POST", "/api/v1/frameworks/import", body).expect(200).decode(&res)
	if res.Outcome != "unchanged" || res.Version != 1 {
		t.Fatalf("re-import %+v", res)
	}
	e.as(e.admin(), "POST", "/api/v1/frameworks/import?code=cyber-case", body).expect(201).decode(&res)
	orig, copied := e.framework("cyber", 0), e.framework("cyber-case", 0)
	if res.Outcome != "created" || !sameCatalogue(orig, copied) || copied.Name != orig.Name || copied.Licence != orig.Licence ||
		copied.Publisher != orig.Publisher || copied.Description != orig.Description {
		t.Fatalf("the CASE copy differs: %+v", res)
	}
}

func TestCASEImportPublishesSupersession(t *testing.T) {
	e := newEnv(t)
	pkg := getJSON[exchange.CFPackage](e, e.admin(), "/api/v1/frameworks/cyber/export?format=case")
	// Retire patch-management in favour of vulnerability-management.
	patch := exchange.CASEIdentifier("skill", "cyber", "patch-management")
	vuln := exchange.CASEIdentifier("skill", "cyber", "vulnerability-management")
	for i, it := range pkg.CFItems {
		if it.Identifier == patch {
			pkg.CFItems[i].Extensions = json.RawMessage(`{"cyberskills":{"tier":"basic","status":"deprecated"}}`)
		}
	}
	pkg.CFAssociations = append(pkg.CFAssociations, exchange.CFAssociation{Identifier: "x", AssociationType: "replacedBy",
		OriginNodeURI: exchange.LinkURI{Identifier: patch}, DestinationNodeURI: exchange.LinkURI{Identifier: vuln}})
	var res models.ImportResult
	e.as(e.admin(), "POST", "/api/v1/frameworks/import", pkg).expect(201).decode(&res)
	if res.Version != 2 || !slices.Equal(res.Deprecated, []string{"patch-management"}) {
		t.Fatalf("import %+v", res)
	}
	if s, v := e.skill("cyber", "patch-management"), e.skill("cyber", "vulnerability-management"); s.EffectiveID != v.ID || s.SupersededBy != v.Code {
		t.Fatalf("patch-management %+v", s)
	}
}

func TestImportErrorsApplyNothing(t *testing.T) {
	e := newEnv(t)
	file := strings.Join([]string{
		"code,name,tier,area,level_2",
		"firewall-config,Firewalls,basic,network-protection,Configures with help", // row 2: fine
		"patching,Patching,urgent,device-protection,",                             // row 3: tier
		"new-skill,,basic,nowhere,",                                               // row 4: name and area
		"firewall-config,Twice,basic,,",                                           // row 5: code repeated
	}, "\n")
	p := e.importFrameworkCSV("code=cyber", file).problem(400)
	want := []string{"rows[3].tier", "rows[4].name", "rows[4].area", "rows[5].code"}
	if got := problemFields(p); !reflect.DeepEqual(got, want) || !strings.Contains(p.Detail, "nothing was imported") {
		t.Fatalf("errors %v (%s), want %v", got, p.Detail, want)
	}
	if cur := e.framework("cyber", 0); cur.Version != 1 || !sameCatalogue(cur, defaultFramework()) {
		t.Fatal("a rejected import changed the framework")
	}
	// A new framework is not created either, from CSV or from CASE.
	e.importFrameworkCSV("code=fresh&name=Fresh", file).problem(400)
	pkg := exchange.CASEPackage(testFramework("fresh"), clocktest.Now())
	pkg.CFItems[2].FullStatement = ""                                 // skill a: no name
	pkg.CFItems[3].Extensions = json.RawMessage(`{"cyberskills":{}}`) // skill b: no tier
	pkg.CFAssociations[4].AssociationType = ""                        // skill c's place: no type
	p = e.as(e.admin(), "POST", "/api/v1/frameworks/import", pkg).problem(400)
	want = []string{"CFAssociations[4].associationType", "CFItems[3].extensions.cyberskills.tier", "CFItems[2].fullStatement"}
	if got := problemFields(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
	e.as(e.admin(), "GET", "/api/v1/frameworks/fresh", nil).problem(404)
	list := getJSON[Page[models.FrameworkSummary]](e, e.admin(), "/api/v1/frameworks")
	if len(list.Items) != 2 { // the two shipped frameworks
		t.Fatalf("frameworks after rejected imports: %+v", list.Items)
	}
}

func TestImportDefaultTierAndMetadata(t *testing.T) {
	e := newEnv(t)
	file := "record,code,name,area,tier,level_1\narea,core,Core,,,\n,x,Skill X,core,,Knows X\nskill,y,Skill Y,core,advanced,\n"
	p := e.importFrameworkCSV("code=mine&name=Mine", file).problem(400)
	if got := problemFields(p); !reflect.DeepEqual(got, []string{"rows[3].tier"}) {
		t.Fatalf("errors %v", got)
	}
	var res models.ImportResult
	e.importFrameworkCSV("code=mine&name=Mine&licence=OGL+v3.0&default_tier=basic", file).expect(201).decode(&res)
	f := e.framework("mine", 0)
	if f.Name != "Mine" || f.Licence != "OGL v3.0" || !reflect.DeepEqual(f.Scale, models.DefaultScale()) ||
		f.Skills[0].Tier != models.TierBasic || f.Skills[1].Tier != models.TierAdvanced || f.Skills[0].Levels["1"] != "Knows X" {
		t.Fatalf("imported %+v", f)
	}
}

func TestImportAndExportRequestProblems(t *testing.T) {
	e := newEnv(t)
	auth := []string{"Authorization", "Bearer " + e.admin()}
	cases := []struct {
		name   string
		r      *response
		status int
		field  string
	}{
		{"wrong media type", e.requestRaw("POST", "/api/v1/frameworks/import?code=x", "a", "application/xml", auth...), 415, ""},
		{"CSV without code", e.importFrameworkCSV("name=X", "code,name\nx,X\n"), 400, "code"},
		{"new framework without name", e.importFrameworkCSV("code=x", "code,name,tier\nx,X,basic\n"), 400, "name"},
		{"bad default tier", e.importFrameworkCSV("code=cyber&default_tier=expert", "code,name\n"), 400, "default_tier"},
		{"malformed default tier", e.importFrameworkCSV("code=x&default_tier=no+spaces", "code,name\n"), 400, "default_tier"},
		{"empty CSV", e.importFrameworkCSV("code=x&name=X", ""), 400, "header"},
		{"malformed JSON", e.as(e.admin(), "POST", "/api/v1/frameworks/import", "{"), 400, ""},
		{"CASE without code", e.as(e.admin(), "POST", "/api/v1/frameworks/import", exchange.CFPackage{}), 400, "code"},
		{"bad export format", e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/export?format=xml", nil), 400, "format"},
		{"export of unknown framework", e.as(e.admin(), "GET", "/api/v1/frameworks/nope/export", nil), 404, ""},
		{"export of unknown version", e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/export?version=2", nil), 404, ""},
	}
	for _, tc := range cases {
		p := tc.r.problem(tc.status)
		if tc.field != "" && !p.hasFieldError(tc.field) {
			t.Errorf("%s: errors %+v do not name %s", tc.name, p.Errors, tc.field)
		}
	}
}
