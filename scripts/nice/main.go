// Command nice builds the NICE Framework data the service ships (repository/defaults/
// nice-framework.json and nice-roles.json) from NIST's published data, so that the shipped
// files can be rebuilt and checked:
//
//	go run ./scripts/nice -components nice_framework_2.1.0.json -roles work_roles.json -out repository/defaults
//
// -components is the NICE Framework Components v2.1.0 as a JSON array of rows {ID, KSAT,
// Description, WRL-ID, OPM-ID}, one per statement and work role; -roles is a
// {"work_roles": [...]} file whose NCWF entries name the 41 work roles (its DoD Cyber
// Workforce Framework entries are not shipped). Both are US government works in the public
// domain. The statements and their work roles come from -components; -roles only gives
// the work roles' names.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"cyberskills/models"
)

// The five work role categories of NICE Framework 2.x, by the prefix of their work roles'
// ids (the data names the work roles, not the categories).
var categories = []struct{ code, name string }{
	{"OG", "Oversight and Governance"},
	{"DD", "Design and Development"},
	{"IO", "Implementation and Operation"},
	{"PD", "Protection and Defense"},
	{"IN", "Investigation"},
}

// The level every template requires, and which statement types are essential: see README.
const (
	requiredLevel = 2
	version       = "2.1.0"
)

type row struct {
	ID          string `json:"ID"`
	KSAT        string `json:"KSAT"`
	Description string `json:"Description"`
	WorkRole    string `json:"WRL-ID"`
}

type workRoles struct {
	WorkRoles []struct {
		Framework string `json:"framework"`
		Code      string `json:"work_role_code"`
		Name      string `json:"name"`
	} `json:"work_roles"`
}

func main() {
	components := flag.String("components", "", "NICE Framework Components v2.1.0 JSON (rows ID, KSAT, Description, WRL-ID)")
	rolesFile := flag.String("roles", "", "work roles JSON ({\"work_roles\": [...]}, NCWF entries)")
	out := flag.String("out", "repository/defaults", "directory to write nice-framework.json and nice-roles.json to")
	flag.Parse()
	if err := run(*components, *rolesFile, *out); err != nil {
		fmt.Fprintln(os.Stderr, "nice:", err)
		os.Exit(1)
	}
}

func run(componentsFile, rolesFile, out string) error {
	var rows []row
	if err := readJSON(componentsFile, &rows); err != nil {
		return err
	}
	var wr workRoles
	if err := readJSON(rolesFile, &wr); err != nil {
		return err
	}
	names := map[string]string{}
	suffix := regexp.MustCompile(`\s*\([A-Z]{2}-WRL-\d{3}\)\s*$`)
	for _, r := range wr.WorkRoles {
		if r.Framework == "NCWF" {
			names[r.Code] = strings.Join(strings.Fields(suffix.ReplaceAllString(r.Name, "")), " ")
		}
	}
	f, roles, err := build(rows, names)
	if err != nil {
		return err
	}
	if err := writeDocument(filepath.Join(out, "nice-framework.json"), f); err != nil {
		return err
	}
	return writeRoles(filepath.Join(out, "nice-roles.json"), roles)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// build makes the framework document (categories and work roles as areas, every
// statement under each work role that lists it) and one role template per work role.
func build(rows []row, names map[string]string) (models.Framework, []models.JobRole, error) {
	type statement struct {
		row
		roles []string
	}
	byID := map[string]*statement{}
	members := map[string][]string{}
	for _, r := range rows {
		r.Description = strings.Join(strings.Fields(r.Description), " ")
		s := byID[r.ID]
		if s == nil {
			s = &statement{row: r}
			byID[r.ID] = s
		}
		if s.Description != r.Description || s.KSAT != r.KSAT {
			return models.Framework{}, nil, fmt.Errorf("statement %s is described twice differently", r.ID)
		}
		s.roles = append(s.roles, r.WorkRole)
		members[r.WorkRole] = append(members[r.WorkRole], r.ID)
	}
	f := models.Framework{Code: "nice", Name: "NICE Workforce Framework for Cybersecurity (NICE Framework)",
		Publisher: "National Institute of Standards and Technology (NIST)",
		Licence:   "Public domain: a work of the US government (17 U.S.C. 105)",
		Description: "The NICE Framework Components v" + version + " (NIST SP 800-181 Rev. 1): " + thousands(len(byID)) +
			" task, knowledge and skill statements, each under every one of the " + fmt.Sprint(len(members)) +
			" work roles that lists it, the work roles grouped in their five categories. Statements keep NIST's identifiers as codes. " +
			"NIST publishes no proficiency levels: the default 0-4 scale applies. Shipped by cyberskills; the NICE Framework has no tiers, " +
			"and its knowledge and skill statements that correspond to the default framework's skills are mapped to them (GET /api/v1/frameworks/nice/mappings).",
		Scale: models.DefaultScale()}
	rank := map[string]int{}
	for i, c := range categories {
		rank[c.code] = i
		f.Areas = append(f.Areas, models.SkillArea{Code: c.code, Name: c.name})
	}
	wrls := make([]string, 0, len(members))
	for w := range members {
		if names[w] == "" {
			return f, nil, fmt.Errorf("work role %s has no name in the roles file", w)
		}
		wrls = append(wrls, w)
	}
	sort.Slice(wrls, func(i, j int) bool {
		a, b := wrls[i], wrls[j]
		if rank[a[:2]] != rank[b[:2]] {
			return rank[a[:2]] < rank[b[:2]]
		}
		return a < b
	})
	kinds := map[string]models.StatementType{"T": models.StatementTask, "K": models.StatementKnowledge, "S": models.StatementSkill}
	counts := map[string]map[models.StatementType]int{}
	for i, c := range categories {
		n := 0
		for _, w := range wrls {
			n += map[bool]int{true: 1}[w[:2] == c.code]
		}
		f.Areas[i].Description = fmt.Sprintf("NICE Framework work role category %s: %d work roles.", c.code, n)
	}
	for _, w := range wrls {
		counts[w] = map[models.StatementType]int{}
		for _, id := range members[w] {
			counts[w][kinds[byID[id].KSAT]]++
		}
		f.Areas = append(f.Areas, models.SkillArea{Code: w, Name: names[w], Parent: w[:2],
			Description: fmt.Sprintf("NICE Framework work role %s: %d tasks, %d knowledge and %d skill statements.", w,
				counts[w][models.StatementTask], counts[w][models.StatementKnowledge], counts[w][models.StatementSkill])})
	}
	order := map[string]int{}
	for i, w := range wrls {
		order[w] = i
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	typeRank := map[string]int{"T": 0, "K": 1, "S": 2}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byID[ids[i]], byID[ids[j]]
		if typeRank[a.KSAT] != typeRank[b.KSAT] {
			return typeRank[a.KSAT] < typeRank[b.KSAT]
		}
		return a.ID < b.ID
	})
	for _, id := range ids {
		s := byID[id]
		st, ok := kinds[s.KSAT]
		if !ok {
			return f, nil, fmt.Errorf("statement %s has type %q", id, s.KSAT)
		}
		places := append([]string(nil), s.roles...)
		sort.Slice(places, func(i, j int) bool { return order[places[i]] < order[places[j]] })
		f.Skills = append(f.Skills, models.Skill{Code: id, Name: s.Description, Area: places[0], OtherAreas: places[1:],
			StatementType: st, Status: models.SkillActive})
	}
	if err := f.Validate(); err != nil {
		return f, nil, err
	}
	var roles []models.JobRole
	for _, w := range wrls {
		role := models.JobRole{Code: strings.ToLower(w), Title: names[w], NiceRoleID: w, Framework: f.Code,
			Description: fmt.Sprintf("The NICE Framework work role %s (%s), with its %d tasks (desirable) and %d knowledge and %d skill statements (essential), each at level %d, Working (with guidance). An organisation fits it to a post with a role of its own under the same code.",
				w, categoryName(w[:2]), counts[w][models.StatementTask], counts[w][models.StatementKnowledge], counts[w][models.StatementSkill], requiredLevel)}
		for _, id := range members[w] {
			crit := models.Essential
			if byID[id].KSAT == "T" {
				crit = models.Desirable
			}
			role.Requirements = append(role.Requirements, models.Requirement{Skill: id, Level: requiredLevel, Criticality: crit})
		}
		sort.Slice(role.Requirements, func(i, j int) bool {
			return typeRank[byID[role.Requirements[i].Skill].KSAT]*10000+atoi(role.Requirements[i].Skill[1:]) <
				typeRank[byID[role.Requirements[j].Skill].KSAT]*10000+atoi(role.Requirements[j].Skill[1:])
		})
		if err := role.Validate(); err != nil {
			return f, nil, fmt.Errorf("role %s: %w", role.Code, err)
		}
		roles = append(roles, role)
	}
	return f, roles, nil
}

func categoryName(code string) string {
	for _, c := range categories {
		if c.code == code {
			return c.name
		}
	}
	return code
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// writeDocument writes the framework with one area or skill per line, so that a change
// to the data is a readable diff.
func writeDocument(path string, f models.Framework) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	head := []struct {
		key string
		v   any
	}{{"code", f.Code}, {"name", f.Name}, {"publisher", f.Publisher}, {"licence", f.Licence}, {"description", f.Description}, {"scale", f.Scale}}
	for _, h := range head {
		v, _ := json.Marshal(h.v)
		fmt.Fprintf(&b, "  %q: %s,\n", h.key, v)
	}
	writeList(&b, "areas", f.Areas, false)
	writeList(&b, "skills", f.Skills, true)
	b.WriteString("}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func writeList[T any](b *bytes.Buffer, key string, items []T, last bool) {
	fmt.Fprintf(b, "  %q: [\n", key)
	for i, it := range items {
		v, _ := json.Marshal(it)
		sep := ","
		if i == len(items)-1 {
			sep = ""
		}
		fmt.Fprintf(b, "    %s%s\n", v, sep)
	}
	end := "],"
	if last {
		end = "]"
	}
	fmt.Fprintf(b, "  %s\n", end)
}

func writeRoles(path string, roles []models.JobRole) error {
	var b bytes.Buffer
	b.WriteString("{\n  \"framework\": \"nice\",\n  \"roles\": [\n")
	type template struct { // a role of the file, whose framework is the file's
		Code         string               `json:"code"`
		Title        string               `json:"title"`
		Description  string               `json:"description"`
		NiceRoleID   string               `json:"nice_role_id"`
		Requirements []models.Requirement `json:"requirements"`
	}
	for i, r := range roles {
		v, _ := json.Marshal(template{r.Code, r.Title, r.Description, r.NiceRoleID, r.Requirements})
		sep := ","
		if i == len(roles)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %s%s\n", v, sep)
	}
	b.WriteString("  ]\n}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}
