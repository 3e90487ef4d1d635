package api

import (
	"reflect"
	"strings"
	"testing"

	"cyberskills/models"
)

// allSkills lists every skill a query selects, page by page, as the API gives them.
func allSkills(e *testEnv, framework, query string) []models.SkillEntry {
	var out []models.SkillEntry
	cursor := ""
	for {
		page := getJSON[Page[models.SkillEntry]](e, e.admin(), "/api/v1/frameworks/"+framework+"/skills?limit=1000&"+query+"&cursor="+cursor)
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

// TestNICEFrameworkShipped: the NICE Framework Components v2.1.0 is there on a fresh
// database, with its statements under every work role that lists them.
func TestNICEFrameworkShipped(t *testing.T) {
	e := newEnv(t)
	f := e.framework("nice", 0)
	types := map[models.StatementType]int{}
	shared := 0
	for _, s := range f.Skills {
		types[s.StatementType]++
		if len(s.OtherAreas) > 0 {
			shared++
		}
		if s.Tier != "" || s.Status != models.SkillActive {
			t.Fatalf("statement %+v", s)
		}
	}
	if len(f.Skills) != 1821 || len(f.Areas) != 5+41 || f.Tiers != nil || shared != 899 || f.Licence == "" ||
		!reflect.DeepEqual(types, map[models.StatementType]int{"task": 811, "knowledge": 564, "skill": 446}) {
		t.Fatalf("%d statements (%v, %d shared), %d areas, tiers %v", len(f.Skills), types, shared, len(f.Areas), f.Tiers)
	}
	k := e.skill("nice", "K0018")
	if k.Name != "Knowledge of encryption algorithms" || k.Area != "OG-WRL-001" || len(k.OtherAreas) != 9 || k.SurveyTier != "" {
		t.Fatalf("K0018 %+v", k)
	}
	if long := e.skill("nice", "T0271"); len(long.Name) != 324 || long.StatementType != models.StatementTask {
		t.Fatalf("the longest statement %d characters: %+v", len(long.Name), long)
	}
	// A work role's statements, and a category's (every statement under any of its roles, once).
	if got := len(allSkills(e, "nice", "area=PD-WRL-003")); got != 107 {
		t.Fatalf("Incident Response has %d statements, want 107", got)
	}
	if got := len(allSkills(e, "nice", "area=PD-WRL-003&statement_type=knowledge")); got != 55 {
		t.Fatalf("Incident Response has %d knowledge statements, want 55", got)
	}
	if got := len(allSkills(e, "nice", "area=PD")); got != 654 {
		t.Fatalf("Protection and Defense has %d statements, want 654", got)
	}
	if p := e.as(e.admin(), "GET", "/api/v1/frameworks/nice/skills?tier=basic", nil).problem(400); !p.hasFieldError("tier") {
		t.Fatalf("a tier of a framework without tiers: %+v", p)
	}
	list := getJSON[Page[models.FrameworkSummary]](e, e.admin(), "/api/v1/frameworks")
	if n := list.Items[1]; n.Code != "nice" || n.Skills != 1821 || len(n.Tiers) != 0 || len(list.Items[0].Tiers) != 3 {
		t.Fatalf("summaries %+v", list.Items)
	}
}

// TestNICEWorkRoleTemplates: the 41 work roles are role templates requiring their
// statements at level 2, knowledge and skills essential, tasks desirable.
func TestNICEWorkRoleTemplates(t *testing.T) {
	e := newEnv(t)
	var nice []models.JobRole
	cursor := ""
	for {
		page := getJSON[Page[models.JobRole]](e, e.admin(), "/api/v1/roles?limit=100&cursor="+cursor)
		for _, r := range page.Items {
			if r.Framework == "nice" {
				nice = append(nice, r)
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(nice) != 41 {
		t.Fatalf("%d NICE work role templates, want 41", len(nice))
	}
	for _, r := range nice {
		if r.Code != strings.ToLower(r.NiceRoleID) || r.Title == "" || len(r.Requirements) == 0 {
			t.Fatalf("template %+v", r)
		}
	}
	r := getJSON[models.JobRole](e, e.admin(), "/api/v1/roles/pd-wrl-003")
	crit := map[string]int{}
	for _, q := range r.Requirements {
		if q.Level != 2 || q.Framework != "" {
			t.Fatalf("requirement %+v", q)
		}
		crit[q.Skill[:1]+" "+string(q.Criticality)]++
	}
	if r.Title != "Incident Response" || r.NiceRoleID != "PD-WRL-003" ||
		!reflect.DeepEqual(crit, map[string]int{"T desirable": 29, "K essential": 55, "S essential": 23}) {
		t.Fatalf("Incident Response %s %s %v", r.Title, r.NiceRoleID, crit)
	}
}

// TestNICEMapping: the published mapping of NICE statements to the default framework's
// skills, what it does to survey tiers, and replacing it.
func TestNICEMapping(t *testing.T) {
	e := newEnv(t)
	page := getJSON[Page[models.SkillMapping]](e, e.mint(models.RoleAnalyst, "", ""), "/api/v1/frameworks/nice/mappings?limit=1000")
	byCode := map[string]models.SkillMapping{}
	for _, m := range page.Items {
		byCode[m.Skill] = m
		if m.StatementType == models.StatementTask || len(m.MapsTo) == 0 || m.SurveyTier == "" {
			t.Fatalf("mapping %+v", m)
		}
	}
	if len(page.Items) != 104 || !reflect.DeepEqual(byCode["K0878"].MapsTo, []string{"firewall-config"}) ||
		byCode["K0878"].SurveyTier != "basic" || byCode["K0724"].SurveyTier != "incident_response" || byCode["K0955"].SurveyTier != "advanced" {
		t.Fatalf("%d mappings: K0878 %+v K0724 %+v", len(page.Items), byCode["K0878"], byCode["K0724"])
	}
	if s := e.skill("nice", "K0878"); s.SurveyTier != "basic" {
		t.Fatalf("K0878 %+v", s)
	}
	if s := e.skill("cyber", "firewall-config"); s.SurveyTier != "basic" {
		t.Fatalf("firewall-config %+v", s)
	}

	admin := e.admin()
	bad := map[string]any{"mappings": []map[string]any{
		{"skill": "K0018", "maps_to": []string{"access-control", "no-such-skill"}},
		{"skill": "X9999", "maps_to": []string{"access-control"}},
	}}
	p := e.as(admin, "PUT", "/api/v1/frameworks/nice/mappings", bad).problem(400)
	if got := problemFields(p); !reflect.DeepEqual(got, []string{"mappings[0].maps_to[1]", "mappings[1].skill"}) {
		t.Fatalf("errors %v", got)
	}
	one := map[string]any{"mappings": []map[string]any{{"skill": "K0018", "maps_to": []string{"secure-data", "access-control"}}}}
	e.as(admin, "PUT", "/api/v1/frameworks/cyber/mappings", one).problem(400)
	e.as(admin, "PUT", "/api/v1/frameworks/nope/mappings", one).problem(404)
	var res models.MappingResult
	e.as(admin, "PUT", "/api/v1/frameworks/nice/mappings", one).expect(200).decode(&res)
	if res.Framework != "nice" || res.MapsToFramework != "cyber" || res.Skills != 1 || res.Unchanged {
		t.Fatalf("replace %+v", res)
	}
	if k, f := e.skill("nice", "K0018"), e.skill("nice", "K0878"); k.SurveyTier != "basic" || f.SurveyTier != "" {
		t.Fatalf("after the replacement: K0018 %q, K0878 %q", k.SurveyTier, f.SurveyTier)
	}
	e.as(admin, "PUT", "/api/v1/frameworks/nice/mappings", one).expect(200).decode(&res)
	if !res.Unchanged {
		t.Fatalf("the same mapping again %+v", res)
	}
}

// TestFrameworkWithItsOwnTiers: a framework may define its own tiers, which count in no
// survey tier unless mapped; the default framework keeps the survey's.
func TestFrameworkWithItsOwnTiers(t *testing.T) {
	e := newEnv(t)
	f := testFramework("own")
	f.Tiers = []models.FrameworkTier{{Code: "foundation", Name: "Foundation"}, {Code: "specialist", Name: "Specialist"}}
	for i := range f.Skills {
		f.Skills[i].Tier = "foundation"
	}
	f.Skills[2].Tier = "specialist"
	e.as(e.admin(), "POST", "/api/v1/frameworks", f).expect(201)
	got := allSkills(e, "own", "tier=specialist")
	if len(got) != 1 || got[0].Code != f.Skills[2].Code || got[0].SurveyTier != "" {
		t.Fatalf("specialist skills %+v", got)
	}
	f.Skills[0].Tier = "basic"
	if p := e.as(e.admin(), "PUT", "/api/v1/frameworks/own", f).problem(400); !p.hasFieldError("skills[0].tier") {
		t.Fatalf("a tier the framework does not have: %+v", p)
	}
	cyber := defaultFramework()
	cyber.Tiers = []models.FrameworkTier{{Code: "basic", Name: "Basic"}}
	for i := range cyber.Skills {
		cyber.Skills[i].Tier = "basic"
	}
	if p := e.as(e.admin(), "PUT", "/api/v1/frameworks/cyber", cyber).problem(400); !p.hasFieldError("tiers") {
		t.Fatalf("the default framework without the survey's tiers: %+v", p)
	}
}

// TestRoleRequirementsAcrossFrameworks: a role may require skills of several frameworks.
func TestRoleRequirementsAcrossFrameworks(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"title": "Network engineer", "requirements": []map[string]any{
		{"skill": "firewall-config", "level": 3, "criticality": "essential"},
		{"skill": "K0878", "framework": "nice", "level": 2, "criticality": "essential"},
	}}
	var r models.JobRole
	e.as(e.admin(), "PUT", "/api/v1/roles/mixed", body).expect(201).decode(&r)
	want := []models.Requirement{{Skill: "firewall-config", Level: 3, Criticality: models.Essential},
		{Skill: "K0878", Framework: "nice", Level: 2, Criticality: models.Essential}}
	if r.Framework != "cyber" || !reflect.DeepEqual(r.Requirements, want) {
		t.Fatalf("role %+v", r)
	}
	body["requirements"] = []map[string]any{
		{"skill": "firewall-config", "level": 3, "criticality": "essential"},
		{"skill": "K0878", "level": 2, "criticality": "essential"},                      // not in cyber
		{"skill": "K0878", "framework": "nope", "level": 2, "criticality": "essential"}, // no such framework
	}
	p := e.as(e.admin(), "PUT", "/api/v1/roles/mixed", body).problem(400)
	if got := problemFields(p); !reflect.DeepEqual(got, []string{"requirements[1].skill", "requirements[2].framework"}) {
		t.Fatalf("errors %v", got)
	}
}
