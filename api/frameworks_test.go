package api

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"cyberskills/models"
	"cyberskills/repository"
)

// testFramework is a small valid framework: areas top > leaf, skills a and b in leaf, c
// outside any area.
func testFramework(code string) models.Framework {
	return models.Framework{
		Code: code, Name: "Test framework " + code, Publisher: "Tests", Licence: "CC0", Scale: models.DefaultScale(),
		Areas: []models.SkillArea{{Code: "top", Name: "Top"}, {Code: "leaf", Name: "Leaf", Parent: "top"}},
		Skills: []models.Skill{
			{Code: "a", Name: "Skill A", Area: "leaf", Tier: models.TierBasic, Levels: map[string]string{"1": "Knows A"}},
			{Code: "b", Name: "Skill B", Area: "leaf", Tier: models.TierIncidentResponse,
				References: []models.SkillReference{{Scheme: "CyBOK", ID: "Forensics"}}},
			{Code: "c", Name: "Skill C", Tier: models.TierAdvanced},
		},
	}
}

// defaultFramework is the embedded default document, as a fresh database serves it.
func defaultFramework() models.Framework {
	f, err := repository.DefaultFramework()
	if err != nil {
		panic(err)
	}
	f.Version = 1
	return f
}

// framework reads a framework document, of the current version when version is 0.
func (e *testEnv) framework(code string, version int) models.Framework {
	e.t.Helper()
	path := "/api/v1/frameworks/" + code
	if version > 0 {
		path += "?version=" + itoa(int64(version))
	}
	f := getJSON[models.Framework](e, e.admin(), path)
	return f
}

// skill reads one skill of a framework's current version.
func (e *testEnv) skill(framework, code string) models.SkillEntry {
	e.t.Helper()
	s := getJSON[models.SkillEntry](e, e.admin(), "/api/v1/frameworks/"+framework+"/skills/"+code)
	return s
}

// skillCodes lists the codes of a skills page for a query, walking every page.
func (e *testEnv) skillCodes(framework, query string) []string {
	e.t.Helper()
	var codes []string
	cursor := ""
	for {
		var page Page[models.SkillEntry]
		e.as(e.mint(models.RoleAnalyst, "", ""), "GET", "/api/v1/frameworks/"+framework+"/skills?"+query+"&cursor="+cursor, nil).
			expect(200).decode(&page)
		for _, s := range page.Items {
			codes = append(codes, s.Code)
		}
		if page.NextCursor == "" {
			return codes
		}
		cursor = page.NextCursor
	}
}

func TestDefaultFrameworkOnFreshDatabase(t *testing.T) {
	e := newEnv(t)
	var list Page[models.FrameworkSummary]
	e.as(e.mint(models.RoleAnalyst, "", ""), "GET", "/api/v1/frameworks", nil).expect(200).decode(&list)
	// The default framework, and the NICE Framework shipped beside it (framework_nice_test.go).
	if len(list.Items) != 2 || list.Items[1].Code != "nice" || list.Items[1].IsDefault {
		t.Fatalf("frameworks %+v", list.Items)
	}
	if got := list.Items[0]; got.Code != "cyber" || got.Name != "Cyber Security Skills Framework" || !got.IsDefault ||
		got.Version != 1 || got.Skills != 17 || got.Publisher != "cyberskills" || got.PublishedAt.IsZero() {
		t.Fatalf("default framework summary %+v", got)
	}
	var f models.Framework
	e.as(e.mint(models.RoleTrainer, "", "acme"), "GET", "/api/v1/frameworks/cyber", nil).expect(200).decode(&f)
	want := map[string]models.Tier{
		"firewall-config": "basic", "secure-data": "basic", "malware-protection": "basic", "software-restriction": "basic",
		"secure-configuration": "basic", "patch-management": "basic", "access-control": "basic", "backup-recovery": "basic",
		"incident-detection": "incident_response", "incident-management": "incident_response",
		"penetration-testing": "advanced", "digital-forensics": "advanced", "security-architecture": "advanced",
		"malware-analysis": "advanced", "vulnerability-management": "advanced", "security-monitoring": "advanced",
		"threat-intelligence": "advanced",
	}
	got := map[string]models.Tier{}
	for _, s := range f.Skills {
		got[s.Code] = s.Tier
		if s.Status != models.SkillActive || len(s.Levels) != 4 || s.Description == "" {
			t.Errorf("skill %s: %+v", s.Code, s)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("skills and tiers %v", got)
	}
	var names []string
	for _, l := range f.Scale {
		names = append(names, itoa(int64(l.Level))+" "+l.Code+" "+l.Name)
	}
	wantScale := []string{"0 none None", "1 awareness Awareness", "2 working Working (with guidance)",
		"3 practitioner Practitioner (independent)", "4 expert Expert (leads, teaches)"}
	if !reflect.DeepEqual(names, wantScale) || f.Version != 1 || len(f.Areas) != 12 {
		t.Fatalf("scale %v, version %d, %d areas", names, f.Version, len(f.Areas))
	}
}

func TestCreateFramework(t *testing.T) {
	e := newEnv(t)
	r := e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("demo")).expect(201)
	if loc := r.Header().Get("Location"); loc != "/api/v1/frameworks/demo" {
		t.Fatalf("Location %q", loc)
	}
	var created models.Framework
	r.decode(&created)
	want := testFramework("demo")
	want.Validate()
	want.Version = 1
	if !reflect.DeepEqual(created, want) || !reflect.DeepEqual(e.framework("demo", 0), want) {
		t.Fatalf("created %+v\nwant %+v", created, want)
	}
	// Listed after cyber, one per page, and before the shipped nice.
	var first, second, third Page[models.FrameworkSummary]
	e.as(e.admin(), "GET", "/api/v1/frameworks?limit=1", nil).expect(200).decode(&first)
	e.as(e.admin(), "GET", "/api/v1/frameworks?limit=1&cursor="+first.NextCursor, nil).expect(200).decode(&second)
	e.as(e.admin(), "GET", "/api/v1/frameworks?limit=1&cursor="+second.NextCursor, nil).expect(200).decode(&third)
	if len(first.Items) != 1 || first.Items[0].Code != "cyber" || len(second.Items) != 1 || second.Items[0].Code != "demo" ||
		second.Items[0].IsDefault || second.Items[0].Skills != 3 || third.Items[0].Code != "nice" || third.NextCursor != "" {
		t.Fatalf("pages %+v %+v %+v", first, second, third)
	}
	e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("demo")).problem(409)
	e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("cyber")).problem(409)
}

func TestCreateFrameworkValidation(t *testing.T) {
	e := newEnv(t)
	bad := testFramework("bad")
	bad.Areas[0].Parent = "leaf"
	bad.Skills[1].Tier = "expert"
	bad.Skills[2].Levels = map[string]string{"9": "?"}
	p := e.as(e.admin(), "POST", "/api/v1/frameworks", bad).problem(400)
	var fields []string
	for _, f := range p.Errors {
		fields = append(fields, f.Field)
	}
	want := []string{"areas[0].parent", "areas[1].parent", "skills[1].tier", "skills[2].levels.9"}
	if !reflect.DeepEqual(fields, want) {
		t.Fatalf("errors on %v, want %v", fields, want)
	}
	p = e.as(e.admin(), "POST", "/api/v1/frameworks", map[string]any{"code": "x", "colour": "red"}).problem(400)
	if !p.hasFieldError("colour") {
		t.Fatalf("unknown field: %+v", p.Errors)
	}
	e.as(e.admin(), "GET", "/api/v1/frameworks/bad", nil).problem(404)
}

func TestPublishNewVersionKeepsHistory(t *testing.T) {
	e := newEnv(t)
	e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("demo")).expect(201)
	v1 := e.framework("demo", 0)
	ids := map[string]int64{}
	for _, c := range []string{"a", "b", "c"} {
		ids[c] = e.skill("demo", c).ID
	}

	body := testFramework("demo")
	body.Skills = body.Skills[:2]
	body.Skills[1].Name = "Skill B, renamed"
	body.Skills = append(body.Skills, models.Skill{Code: "d", Name: "Skill D", Area: "top", Tier: models.TierBasic})
	r := e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", body).expect(201)
	if loc := r.Header().Get("Location"); loc != "/api/v1/frameworks/demo?version=2" {
		t.Fatalf("Location %q", loc)
	}
	var v2 models.Framework
	r.decode(&v2)
	if v2.Version != 2 || len(v2.Skills) != 4 || v2.Skills[3].Code != "c" || v2.Skills[3].Status != models.SkillDeprecated {
		t.Fatalf("version 2: %+v", v2.Skills)
	}
	// History is untouched and the current version is what was published.
	if got := e.framework("demo", 1); !reflect.DeepEqual(got, v1) {
		t.Fatalf("version 1 changed:\n%+v\n%+v", got, v1)
	}
	if got := e.framework("demo", 0); !reflect.DeepEqual(got, v2) {
		t.Fatalf("current %+v", got)
	}
	// Identities survive; the new skill records when it arrived.
	for code, id := range ids {
		if s := e.skill("demo", code); s.ID != id {
			t.Fatalf("skill %s id %d, was %d", code, s.ID, id)
		}
	}
	if c, d := e.skill("demo", "c"), e.skill("demo", "d"); c.Status != models.SkillDeprecated || c.IntroducedVersion != 1 || d.IntroducedVersion != 2 {
		t.Fatalf("c %+v d %+v", c, d)
	}
	if got := e.skillCodes("demo", "status=deprecated"); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("deprecated skills %v", got)
	}
	// The same content again publishes nothing.
	var same models.Framework
	e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", body).expect(200).decode(&same)
	if same.Version != 2 {
		t.Fatalf("republishing gave version %d", same.Version)
	}
	var versions int
	if err := e.db.Get(&versions, `SELECT count(*) FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id WHERE f.code = 'demo'`); err != nil || versions != 2 {
		t.Fatalf("%d versions stored, %v", versions, err)
	}
	e.as(e.admin(), "GET", "/api/v1/frameworks/demo?version=3", nil).problem(404)
	e.as(e.admin(), "GET", "/api/v1/frameworks/demo?version=0", nil).problem(400)
	e.as(e.admin(), "PUT", "/api/v1/frameworks/other", body).problem(400) // code differs from the path
	e.as(e.admin(), "PUT", "/api/v1/frameworks/nope", testFramework("nope")).problem(404)
	if _, err := e.db.Exec(`UPDATE framework_versions SET document = '{}'`); err == nil {
		t.Fatal("a published version could be rewritten")
	}
}

func TestSupersession(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("demo")).expect(201)
	a, b, c := e.skill("demo", "a").ID, e.skill("demo", "b").ID, e.skill("demo", "c").ID

	// v2: A superseded by B; A's evidence now counts towards B.
	body := testFramework("demo")
	body.Skills[0].SupersededBy = "b"
	res, err := e.db.PublishFramework(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	sa := e.skill("demo", "a")
	if sa.EffectiveID != b || sa.EffectiveCode != "b" || sa.Status != models.SkillDeprecated || sa.SupersededBy != "b" {
		t.Fatalf("a after v2: %+v", sa)
	}
	if !slices.Equal(res.EffectiveChanged, []int64{a, b}) || !slices.Equal(res.Deprecated, []string{"a"}) {
		t.Fatalf("v2 changed %v deprecated %v", res.EffectiveChanged, res.Deprecated)
	}
	// v3: B superseded by C, so A -> B -> C all count towards C.
	body.Skills[1].SupersededBy = "c"
	if res, err = e.db.PublishFramework(ctx, body); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"a", "b", "c"} {
		if s := e.skill("demo", code); s.EffectiveID != c {
			t.Fatalf("%s counts towards %d, want c (%d)", code, s.EffectiveID, c)
		}
	}
	if !slices.Equal(res.EffectiveChanged, []int64{b, c}) {
		t.Fatalf("v3 changed %v, want [%d %d]", res.EffectiveChanged, b, c)
	}
	// A cycle is refused and nothing changes.
	cyclic := testFramework("demo")
	cyclic.Skills[0].SupersededBy, cyclic.Skills[1].SupersededBy, cyclic.Skills[2].SupersededBy = "b", "c", "a"
	p := e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", cyclic).problem(400)
	for _, f := range []string{"skills[0].superseded_by", "skills[1].superseded_by", "skills[2].superseded_by"} {
		if !p.hasFieldError(f) {
			t.Fatalf("cycle errors %+v lack %s", p.Errors, f)
		}
	}
	if v := e.framework("demo", 0).Version; v != 3 {
		t.Fatalf("version %d after a refused cycle", v)
	}
	// v4: B back in service; A counts towards B again, C towards itself.
	body.Skills[1].SupersededBy, body.Skills[1].Status = "", models.SkillActive
	var v4 models.Framework
	e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", body).expect(201).decode(&v4)
	if sb, sa := e.skill("demo", "b"), e.skill("demo", "a"); sb.EffectiveID != b || sb.SupersededBy != "" || sb.Status != models.SkillActive || sa.EffectiveID != b {
		t.Fatalf("after v4: a %+v b %+v", sa, sb)
	}
}

func TestSkillsListFilters(t *testing.T) {
	e := newEnv(t)
	all := e.skillCodes("cyber", "limit=5")
	var want []string
	for _, s := range defaultFramework().Skills {
		want = append(want, s.Code)
	}
	if !slices.Equal(all, want) {
		t.Fatalf("paged skills %v, want document order %v", all, want)
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"tier=incident_response", []string{"incident-detection", "incident-management"}},
		{"area=cyber-hygiene", want[:8]}, // the basic tier lives in the sub-areas of cyber hygiene
		{"area=investigation", []string{"digital-forensics", "malware-analysis"}},
		{"area=specialist&tier=advanced&q=vulnerab", []string{"penetration-testing", "vulnerability-management"}},
		{"q=FORENSIC", []string{"digital-forensics"}},
		{"q=patch-man", []string{"patch-management"}},
		{"q=" + url.QueryEscape("100%"), nil},
		{"status=deprecated", nil},
	}
	for _, tc := range cases {
		if got := e.skillCodes("cyber", tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	for query, field := range map[string]string{"tier=expert": "tier", "area=nope": "area", "status=old": "status", "cursor=zzz": "cursor"} {
		if p := e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/skills?"+query, nil).problem(400); !p.hasFieldError(field) {
			t.Errorf("%s: errors %+v", query, p.Errors)
		}
	}
	e.as(e.admin(), "GET", "/api/v1/frameworks/nope/skills", nil).problem(404)
}

func TestGetSkill(t *testing.T) {
	e := newEnv(t)
	s := getJSON[models.SkillEntry](e, e.admin(), "/api/v1/frameworks/cyber/skills/firewall-config")
	if s.ID == 0 || s.Framework != "cyber" || s.Tier != models.TierBasic || s.Area != "network-protection" || len(s.Levels) != 4 ||
		s.EffectiveID != s.ID || s.EffectiveCode != "firewall-config" || s.IntroducedVersion != 1 ||
		!slices.Contains(s.References, models.SkillReference{Scheme: "NICE", ID: "IO-WRL-004", Label: "Network Operations"}) {
		t.Fatalf("skill %+v", s)
	}
	e.as(e.admin(), "GET", "/api/v1/frameworks/cyber/skills/nope", nil).problem(404)
	e.as(e.admin(), "GET", "/api/v1/frameworks/nope/skills/firewall-config", nil).problem(404)
}

func TestPublishChangesScale(t *testing.T) {
	e := newEnv(t)
	e.as(e.admin(), "POST", "/api/v1/frameworks", testFramework("demo")).expect(201)
	body := testFramework("demo")
	body.Scale = []models.ProficiencyLevel{
		{Level: 1, Code: "novice", Name: "Novice"},
		{Level: 2, Code: "awareness", Name: "Aware"}, // level 1's code in version 1
		{Level: 3, Code: "master", Name: "Master"},
	}
	body.Skills[2].Levels = map[string]string{"4": "No such level"}
	if p := e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", body).problem(400); !p.hasFieldError("skills[2].levels.4") {
		t.Fatalf("errors %+v", p.Errors)
	}
	body.Skills[2].Levels = map[string]string{"3": "Masters C"}
	e.as(e.admin(), "PUT", "/api/v1/frameworks/demo", body).expect(201)
	var rows []string
	if err := e.db.Select(&rows, `SELECT l.level || ' ' || l.code || ' ' || l.name FROM proficiency_levels l
		JOIN frameworks f ON f.id = l.framework_id WHERE f.code = 'demo' ORDER BY l.level`); err != nil {
		t.Fatal(err)
	}
	if want := []string{"1 novice Novice", "2 awareness Aware", "3 master Master"}; !slices.Equal(rows, want) {
		t.Fatalf("scale rows %v, want %v", rows, want)
	}
	if v1 := e.framework("demo", 1); len(v1.Scale) != 5 || v1.Scale[1].Code != "awareness" {
		t.Fatalf("version 1 scale %+v", v1.Scale)
	}
}
