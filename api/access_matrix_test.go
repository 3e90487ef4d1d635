package api

import (
	"cyberskills/api/dashboard"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/exchange"
)

// access is what the specification says about one route: who may call it and, for tenant
// data, that an hr token of another organisation cannot see that the object exists.
type access struct {
	path    string        // a concrete path naming objects of the fixture's organisation A
	roles   []models.Role // the roles allowed
	body    any           // a request body, for routes that take one
	scoped  bool          // tenant data of organisation A: hr of organisation B gets 404
	headers []string      // request headers the route needs, in name, value pairs
	// unsupported: a resource of a standard that is not provided, which answers the
	// roles allowed 501 (xAPI's documents)
	unsupported bool
}

// accessMatrix lists every route of the API. A route registered on the router without an
// entry here fails TestAccessMatrixCoversEveryRoute, so no route can skip access control.
var accessMatrix = map[string]access{
	"POST /api/v1/tokens":       {path: "/api/v1/tokens", roles: adminOnly, body: map[string]any{"name": "n", "role": "analyst"}},
	"GET /api/v1/tokens":        {path: "/api/v1/tokens", roles: adminOnly},
	"DELETE /api/v1/tokens/:id": {path: "/api/v1/tokens/1", roles: adminOnly},
	"GET /api/v1/audit":         {path: "/api/v1/audit", roles: adminOnly},
	// Job 1 is ORGA's staff import (buildMatrixData).
	"GET /api/v1/jobs":     {path: "/api/v1/jobs", roles: adminHR},
	"GET /api/v1/jobs/:id": {path: "/api/v1/jobs/1", roles: adminHR, scoped: true},

	// Organisations are reference data that everyone reads; hr tokens read and write
	// only their subtree. POST names no object in its path: a parent outside an hr
	// token's subtree is a 400 naming parent (TestOrganisationHRScope), so it is not scoped.
	"GET /api/v1/organisations": {path: "/api/v1/organisations", roles: everyone},
	"POST /api/v1/organisations": {path: "/api/v1/organisations", roles: adminHR,
		body: map[string]any{"code": "ORGA-2", "name": "Unit two of A", "type": "department", "parent": "ORGA"}},
	// The matrix sends JSON: admin gets past access control to the 415 for a non-CSV body.
	"POST /api/v1/organisations/import": {path: "/api/v1/organisations/import", roles: adminOnly, body: "code,name,type"},
	"GET /api/v1/organisations/:code":   {path: "/api/v1/organisations/ORGA-1", roles: everyone, scoped: true},
	"PUT /api/v1/organisations/:code": {path: "/api/v1/organisations/ORGA-1", roles: adminHR, scoped: true,
		body: map[string]any{"name": "Unit of A", "type": "department", "parent": "ORGA"}},
	"PATCH /api/v1/organisations/:code": {path: "/api/v1/organisations/ORGA-1", roles: adminHR, scoped: true,
		body: map[string]any{"name": "Unit one of A"}},
	// ORGA-1 has a child, so that the first allowed caller cannot delete it from under the next (409).
	"DELETE /api/v1/organisations/:code": {path: "/api/v1/organisations/ORGA-1", roles: adminHR, scoped: true},

	// Frameworks are shared reference data, not tenant data: every role reads them.
	"GET /api/v1/frameworks":                     {path: "/api/v1/frameworks", roles: everyone},
	"POST /api/v1/frameworks":                    {path: "/api/v1/frameworks", roles: adminOnly, body: testFramework("matrix")},
	"POST /api/v1/frameworks/import":             {path: "/api/v1/frameworks/import?code=matrix", roles: adminOnly, body: exchange.CASEPackage(testFramework("matrix"), time.Time{})},
	"GET /api/v1/frameworks/:code":               {path: "/api/v1/frameworks/cyber?version=1", roles: everyone},
	"PUT /api/v1/frameworks/:code":               {path: "/api/v1/frameworks/cyber", roles: adminOnly, body: defaultFramework()},
	"GET /api/v1/frameworks/:code/skills":        {path: "/api/v1/frameworks/cyber/skills?tier=basic&area=cyber-hygiene", roles: everyone},
	"GET /api/v1/frameworks/:code/skills/:skill": {path: "/api/v1/frameworks/cyber/skills/firewall-config", roles: everyone},
	"GET /api/v1/frameworks/:code/export":        {path: "/api/v1/frameworks/cyber/export?format=case", roles: everyone},
	"GET /api/v1/frameworks/:code/mappings":      {path: "/api/v1/frameworks/nice/mappings", roles: everyone},
	"PUT /api/v1/frameworks/:code/mappings":      {path: "/api/v1/frameworks/nice/mappings", roles: adminOnly, body: models.SkillMappings{Mappings: []models.SkillMapping{{Skill: "K0878", MapsTo: []string{"firewall-config"}}}}},

	"GET /api/v1/roles":          {path: "/api/v1/roles", roles: everyone},
	"POST /api/v1/roles":         {path: "/api/v1/roles", roles: adminOnly, body: roleBody("new-template")},
	"GET /api/v1/roles/:code":    {path: "/api/v1/roles/matrix-template", roles: everyone},
	"PUT /api/v1/roles/:code":    {path: "/api/v1/roles/matrix-template", roles: adminOnly, body: roleBody("")},
	"PATCH /api/v1/roles/:code":  {path: "/api/v1/roles/matrix-template", roles: adminOnly, body: map[string]any{"title": "Patched"}},
	"DELETE /api/v1/roles/:code": {path: "/api/v1/roles/matrix-template", roles: adminOnly},

	"GET /api/v1/organisations/:code/roles":          {path: "/api/v1/organisations/ORGA/roles", roles: adminHR, scoped: true},
	"POST /api/v1/organisations/:code/roles":         {path: "/api/v1/organisations/ORGA/roles", roles: adminHR, scoped: true, body: roleBody("new-role")},
	"GET /api/v1/organisations/:code/roles/:role":    {path: "/api/v1/organisations/ORGA/roles/orga-role", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/roles/:role":    {path: "/api/v1/organisations/ORGA/roles/orga-role", roles: adminHR, scoped: true, body: roleBody("")},
	"PATCH /api/v1/organisations/:code/roles/:role":  {path: "/api/v1/organisations/ORGA/roles/orga-role", roles: adminHR, scoped: true, body: map[string]any{"title": "Patched"}},
	"DELETE /api/v1/organisations/:code/roles/:role": {path: "/api/v1/organisations/ORGA/roles/orga-spare", roles: adminHR, scoped: true},

	"GET /api/v1/organisations/:code/staff":                 {path: "/api/v1/organisations/ORGA/staff", roles: adminHR, scoped: true},
	"POST /api/v1/organisations/:code/staff":                {path: "/api/v1/organisations/ORGA/staff", roles: adminHR, scoped: true, body: map[string]any{"external_id": "NEW1"}},
	"POST /api/v1/organisations/:code/staff/import":         {path: "/api/v1/organisations/ORGA/staff/import", roles: adminHR, scoped: true, body: ndjson(`{"external_id":"E9"}`)},
	"GET /api/v1/organisations/:code/staff/:external_id":    {path: "/api/v1/organisations/ORGA/staff/E1", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/staff/:external_id":    {path: "/api/v1/organisations/ORGA/staff/E1", roles: adminHR, scoped: true, body: map[string]any{"role": "orga-role"}},
	"PATCH /api/v1/organisations/:code/staff/:external_id":  {path: "/api/v1/organisations/ORGA/staff/E1", roles: adminHR, scoped: true, body: map[string]any{"display_name": "X"}},
	"DELETE /api/v1/organisations/:code/staff/:external_id": {path: "/api/v1/organisations/ORGA/staff/E1", roles: adminHR, scoped: true},

	"GET /api/v1/organisations/:code/staff/:external_id/competencies": {path: "/api/v1/organisations/ORGA/staff/E1/competencies", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/staff/:external_id/evidence":     {path: "/api/v1/organisations/ORGA/staff/E1/evidence", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/targets":                         {path: "/api/v1/organisations/ORGA/targets", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/targets":                         {path: "/api/v1/organisations/ORGA/targets", roles: adminHR, scoped: true, body: map[string]any{"targets": []map[string]any{{"skill": "firewall-config", "min_level": 2, "min_headcount": 1}}}},
	"GET /api/v1/organisations/:code/coverage":                        {path: "/api/v1/organisations/ORGA/coverage", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/coverage":                        {path: "/api/v1/organisations/ORGA/coverage", roles: adminHR, scoped: true, body: map[string]any{"coverage": []map[string]any{{"skill": "security-monitoring", "provider": "SOC", "contract_end": clocktest.Days(365).Format("2006-01-02")}}}},
	"GET /api/v1/organisations/:code/expiring":                        {path: "/api/v1/organisations/ORGA/expiring?within=30d", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/establishment":                   {path: "/api/v1/organisations/ORGA/establishment", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/establishment":                   {path: "/api/v1/organisations/ORGA/establishment", roles: adminHR, scoped: true, body: map[string]any{"entries": []map[string]any{{"role": "orga-role", "period": "2026-Q1", "funded_posts": 2}}}},
	"GET /api/v1/organisations/:code/enrolments":                      {path: "/api/v1/organisations/ORGA/enrolments", roles: adminHRTrainer, scoped: true},
	"POST /api/v1/organisations/:code/enrolments":                     {path: "/api/v1/organisations/ORGA/enrolments", roles: adminHRTrainer, scoped: true, body: map[string]any{"staff_external_id": "E1", "course": "MATRIX-101", "expected_completion": clocktest.Days(365).Format("2006-01-02")}},
	"DELETE /api/v1/organisations/:code/enrolments/:id":               {path: "/api/v1/organisations/ORGA/enrolments/1", roles: adminHRTrainer, scoped: true},
	"GET /api/v1/organisations/:code/projection":                      {path: "/api/v1/organisations/ORGA/projection?months=3", roles: adminHR, scoped: true},
	"POST /api/v1/organisations/:code/scenarios/evaluate":             {path: "/api/v1/organisations/ORGA/scenarios/evaluate", roles: adminHR, scoped: true, body: map[string]any{"months": 3, "changes": []map[string]any{{"type": "leaver", "staff_external_id": "E1"}}}},
	"GET /api/v1/organisations/:code/scenarios":                       {path: "/api/v1/organisations/ORGA/scenarios", roles: adminHR, scoped: true},
	"POST /api/v1/organisations/:code/scenarios":                      {path: "/api/v1/organisations/ORGA/scenarios", roles: adminHR, scoped: true, body: map[string]any{"name": "s", "changes": []map[string]any{}}},
	"GET /api/v1/organisations/:code/scenarios/:id":                   {path: "/api/v1/organisations/ORGA/scenarios/1", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/training-plan":                   {path: "/api/v1/organisations/ORGA/training-plan", roles: adminHR, scoped: true},
	"GET /api/v1/statistics/headline":                                 {path: "/api/v1/statistics/headline", roles: adminAnalyst},
	"GET /api/v1/statistics/gaps":                                     {path: "/api/v1/statistics/gaps?group_by=region", roles: adminAnalyst},
	"GET /api/v1/statistics/trends":                                   {path: "/api/v1/statistics/trends?metric=organisations", roles: adminAnalyst},
	"GET /api/v1/statistics/assurance":                                {path: "/api/v1/statistics/assurance?group_by=region", roles: adminAnalyst},
	"POST /api/v1/statistics/snapshots":                               {path: "/api/v1/statistics/snapshots", roles: adminOnly},
	"GET /api/v1/organisations/:code/assurance/b6":                    {path: "/api/v1/organisations/ORGA/assurance/b6", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/assurance/requirements":          {path: "/api/v1/organisations/ORGA/assurance/requirements", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/assurance/requirements":          {path: "/api/v1/organisations/ORGA/assurance/requirements", roles: adminHR, scoped: true, body: map[string]any{"requirements": []map[string]any{{"audience": "all_staff", "skill": "secure-data", "level": 1, "refresh_months": 12, "reason": "r"}}}},
	"GET /api/v1/organisations/:code/assurance/key-roles":             {path: "/api/v1/organisations/ORGA/assurance/key-roles", roles: adminHR, scoped: true},
	"PUT /api/v1/organisations/:code/assurance/key-roles":             {path: "/api/v1/organisations/ORGA/assurance/key-roles", roles: adminHR, scoped: true, body: map[string]any{"roles": []map[string]any{}, "staff": []map[string]any{{"external_id": "E1", "key_roles": []string{"siro"}}}}},
	"GET /api/v1/organisations/:code/gaps":                            {path: "/api/v1/organisations/ORGA/gaps", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/gaps/roles":                      {path: "/api/v1/organisations/ORGA/gaps/roles", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/gaps/matrix":                     {path: "/api/v1/organisations/ORGA/gaps/matrix", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/gaps/candidates":                 {path: "/api/v1/organisations/ORGA/gaps/candidates?skill=firewall-config", roles: adminHR, scoped: true},
	"GET /api/v1/organisations/:code/staff/:external_id/gaps":         {path: "/api/v1/organisations/ORGA/staff/E1/gaps", roles: adminHR, scoped: true},
	"POST /api/v1/organisations/:code/evidence/import":                {path: "/api/v1/organisations/ORGA/evidence/import", roles: adminHR, scoped: true, body: ndjson(`{"external_id":"E1","skill":"backup-recovery","level":2,"source":"manager"}`)},
	"POST /api/v1/organisations/:code/staff/:external_id/evidence":    {path: "/api/v1/organisations/ORGA/staff/E1/evidence", roles: adminHR, scoped: true, body: map[string]any{"skill": "firewall-config", "level": 2, "source": "manager"}},

	// Courses are a provider's, not tenant data; completions and statements name ORGA's E1.
	"GET /api/v1/courses":          {path: "/api/v1/courses", roles: adminHRTrainer},
	"POST /api/v1/courses":         {path: "/api/v1/courses", roles: adminTrainer, body: courseBody("NEW-COURSE", "")},
	"GET /api/v1/courses/:code":    {path: "/api/v1/courses/MATRIX-101", roles: adminHRTrainer},
	"PUT /api/v1/courses/:code":    {path: "/api/v1/courses/MATRIX-101", roles: adminTrainer, body: courseBody("", matrixCourseIRI)},
	"DELETE /api/v1/courses/:code": {path: "/api/v1/courses/MATRIX-SPARE", roles: adminTrainer},
	"POST /api/v1/completions": {path: "/api/v1/completions", roles: adminTrainer, body: map[string]any{
		"completion_id": "M1", "provider": "acme-training", "organisation": "ORGA", "staff_external_id": "E1",
		"course": "MATRIX-101", "completed_at": clocktest.Days(-30).Format(time.RFC3339), "passed": true}},
	"GET /api/v1/xapi/outcomes":       {path: "/api/v1/xapi/outcomes?status=unmatched", roles: adminTrainer},
	"GET /api/v1/xapi/people":         {path: "/api/v1/xapi/people", roles: adminTrainer},
	"POST /api/v1/xapi/people/import": {path: "/api/v1/xapi/people/import?provider=acme-training", roles: adminTrainer, body: ndjson(`{"mbox":"e1@orga.example","organisation":"ORGA","external_id":"E1"}`)},
	"DELETE /api/v1/xapi/people/:id":  {path: "/api/v1/xapi/people/1", roles: adminTrainer},

	// The LRS: statements belong to the provider whose credentials sent them, so only
	// trainers write; admins read every provider's. The document resources answer 501.
	"POST /xapi/statements": {path: "/xapi/statements", roles: trainerOnly, body: matrixStatement, headers: xapiHeader},
	"PUT /xapi/statements":  {path: "/xapi/statements?statementId=0b7e3c1a-5d3f-4c6e-9a8b-2f1d0c9e8b7a", roles: trainerOnly, body: matrixStatement, headers: xapiHeader},
	"GET /xapi/statements":  {path: "/xapi/statements", roles: adminTrainer, headers: xapiHeader},
	"HEAD /xapi/statements": {path: "/xapi/statements", roles: adminTrainer, headers: xapiHeader},
	"GET /xapi/activities":  {path: "/xapi/activities?activityId=" + matrixCourseIRI, roles: adminTrainer, headers: xapiHeader},
	"HEAD /xapi/activities": {path: "/xapi/activities?activityId=" + matrixCourseIRI, roles: adminTrainer, headers: xapiHeader},
	"GET /xapi/agents":      {path: "/xapi/agents?agent=" + url.QueryEscape(`{"mbox":"mailto:e1@orga.example"}`), roles: adminTrainer, headers: xapiHeader},
	"HEAD /xapi/agents":     {path: "/xapi/agents?agent=" + url.QueryEscape(`{"mbox":"mailto:e1@orga.example"}`), roles: adminTrainer, headers: xapiHeader},
}

// trainerOnly: a provider's own writes to its LRS.
var trainerOnly = []models.Role{models.RoleTrainer}

// The xAPI document resources, which answer 501 to the roles allowed.
func init() {
	for _, path := range xapiDocumentPaths {
		path = xapiBase + path
		for _, method := range []string{"GET", "HEAD", "PUT", "POST", "DELETE"} {
			accessMatrix[method+" "+path] = access{path: path, roles: adminTrainer, headers: xapiHeader, unsupported: true}
		}
	}
}

// The matrix's course, of the trainer token's provider, and a statement about it.
const matrixCourseIRI = "https://acme.example/xapi/courses/matrix-101"

var (
	xapiHeader      = []string{"X-Experience-API-Version", "1.0.3"}
	matrixStatement = map[string]any{
		"actor":  map[string]any{"account": map[string]any{"homePage": "https://lms.acme.example/orgs/ORGA", "name": "E1"}},
		"verb":   map[string]any{"id": "http://adlnet.gov/expapi/verbs/completed"},
		"object": map[string]any{"id": matrixCourseIRI},
	}
)

// courseBody is a valid course of the matrix trainer's provider.
func courseBody(code, iri string) map[string]any {
	b := map[string]any{"title": "Course", "provider": "acme-training", "validity_months": 12,
		"skills": []map[string]any{{"skill": "firewall-config", "level": 2}}}
	if code != "" {
		b["code"] = code
	}
	if iri != "" {
		b["activity_iri"] = iri
	}
	return b
}

// roleBody is a valid role for writes in the matrix.
func roleBody(code string) map[string]any {
	b := map[string]any{"title": "Role", "requirements": []map[string]any{{"skill": "firewall-config", "level": 2, "criticality": "essential"}}}
	if code != "" {
		b["code"] = code
	}
	return b
}

// publicRoutes need no token.
var publicRoutes = []string{"/", "/api/v1", "/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi.yaml", "/docs", "/docs/*any", "/xapi/about"}

func TestAccessMatrixCoversEveryRoute(t *testing.T) {
	e := newEnv(t)
	for _, r := range e.h.(interface{ Routes() gin.RoutesInfo }).Routes() {
		key := r.Method + " " + r.Path
		if slices.Contains(publicRoutes, r.Path) || strings.HasPrefix(r.Path, dashboard.Prefix) {
			continue // the dashboard's routes: TestDashboardViewsCoverEveryRoute
		}
		if _, ok := accessMatrix[key]; !ok {
			t.Errorf("route %s has no entry in accessMatrix", key)
		}
		if !strings.HasPrefix(r.Path, apiPrefix+"/") && !strings.HasPrefix(r.Path, xapiBase+"/") {
			t.Errorf("route %s is neither public nor under %s or %s", key, apiPrefix, xapiBase)
		}
	}
}

// matrixFixture holds the tokens every matrix check uses.
type matrixFixture struct {
	tokens  map[models.Role]string
	otherHR string
}

// newMatrixFixture builds organisation A (ORGA, with a unit ORGA-1) and organisation B
// (ORGB), and a token of each role; hr tokens belong to A, otherHR to B.
func newMatrixFixture(e *testEnv) matrixFixture {
	e.t.Helper()
	buildMatrixData(e)
	return matrixFixture{
		tokens: map[models.Role]string{
			models.RoleAdmin:   e.admin(),
			models.RoleHR:      e.mint(models.RoleHR, "ORGA", ""),
			models.RoleTrainer: e.mint(models.RoleTrainer, "", "acme-training"),
			models.RoleAnalyst: e.mint(models.RoleAnalyst, "", ""),
		},
		otherHR: e.mint(models.RoleHR, "ORGB", ""),
	}
}

func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	for key, a := range accessMatrix {
		method, _, _ := strings.Cut(key, " ")
		t.Run(key, func(t *testing.T) {
			e := newEnv(t)
			f := newMatrixFixture(e)
			call := func(token string) *response {
				if token == "" {
					return e.request(method, a.path, a.body, a.headers...)
				}
				return e.as(token, method, a.path, a.body, a.headers...)
			}
			// Without a token, or with a bad one: 401 with a Bearer challenge (and, on
			// the xAPI routes, a Basic one).
			for _, tok := range []string{"", "csk_not-a-token"} {
				r := call(tok)
				r.problem(401)
				if !slices.ContainsFunc(r.Header().Values("WWW-Authenticate"), func(v string) bool { return strings.HasPrefix(v, "Bearer") }) {
					t.Errorf("no Bearer challenge with token %q", tok)
				}
			}
			// Roles not allowed: 403, whatever the object.
			for _, role := range models.Roles {
				if !slices.Contains(a.roles, role) {
					call(f.tokens[role]).problem(403)
				}
			}
			// hr of another organisation: the object is not there for it.
			if a.scoped && slices.Contains(a.roles, models.RoleHR) {
				call(f.otherHR).problem(404)
			}
			// Allowed roles get past access control; hr first, so that a destructive
			// call by admin cannot hide the object from it.
			for _, role := range []models.Role{models.RoleHR, models.RoleTrainer, models.RoleAnalyst, models.RoleAdmin} {
				if !slices.Contains(a.roles, role) {
					continue
				}
				r := call(f.tokens[role])
				// A DELETE by hr has removed the object before admin's turn.
				gone := method == "DELETE" && role == models.RoleAdmin && slices.Contains(a.roles, models.RoleHR)
				if a.unsupported && r.Code == 501 {
					continue
				}
				if r.Code == 401 || r.Code == 403 || r.Code >= 500 || (a.scoped && r.Code == 404 && !gone) {
					t.Errorf("%s: status %d: %s", role, r.Code, r.Body.String())
				}
			}
		})
	}
}

// buildMatrixData creates the objects that the matrix paths name.
func buildMatrixData(e *testEnv) {
	e.t.Helper()
	for _, stmt := range []string{
		// ORGA's staff are known to the matrix LMS (xAPI statements name them by this homePage).
		`INSERT INTO organisations (code, name, type, xapi_home_page) VALUES ('ORGA', 'Organisation A', 'trust', 'https://lms.acme.example/orgs/ORGA'),
			('ORGB', 'Organisation B', 'trust', NULL)`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'ORGA-1', 'Unit of A', 'department', id FROM organisations WHERE code = 'ORGA'`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'ORGA-1-1', 'Team of unit 1', 'department', id FROM organisations WHERE code = 'ORGA-1'`,
	} {
		if _, err := e.db.Exec(stmt); err != nil {
			e.t.Fatalf("%s: %v", stmt, err)
		}
	}
	admin := e.admin()
	e.as(admin, "PUT", "/api/v1/roles/matrix-template", roleBody("")).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/ORGA/roles/orga-role", roleBody("")).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/ORGA/roles/orga-spare", roleBody("")).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/ORGA/staff/E1", map[string]any{"role": "orga-role"}).expect(201)
	// Job 1: an import that leaves E1 as it is.
	e.as(admin, "POST", "/api/v1/organisations/ORGA/staff/import", ndjson(`{"external_id":"E1","role":"orga-role"}`)).expect(200)
	e.as(admin, "POST", "/api/v1/organisations/ORGA/staff/E1/evidence", map[string]any{"skill": "firewall-config", "level": 3, "source": "assessment"}).expect(201)
	e.as(admin, "PUT", "/api/v1/courses/MATRIX-101", courseBody("", matrixCourseIRI)).expect(201)
	e.as(admin, "PUT", "/api/v1/courses/MATRIX-SPARE", courseBody("", "")).expect(201)
	e.as(admin, "POST", "/api/v1/organisations/ORGA/enrolments", map[string]any{"staff_external_id": "E1", "course": "MATRIX-101", "expected_completion": clocktest.Days(365).Format("2006-01-02")}).expect(201)
	e.as(admin, "POST", "/api/v1/organisations/ORGA/scenarios", map[string]any{"name": "baseline", "changes": []map[string]any{}}).expect(201)
	e.computeAssurance() // the national assurance figures the leader would have computed
}
