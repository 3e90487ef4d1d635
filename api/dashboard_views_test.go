package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard"
	"cyberskills/models"
)

// dashboardViews is every dashboard route with a path to try it by and the roles it
// admits; TestDashboardViewsCoverEveryRoute fails when a route has no entry.
var dashboardViews = map[string]struct {
	path   string
	roles  []models.Role
	scoped bool // names an organisation: hr of another one finds nothing
}{
	"GET /dashboard/":                                      {path: "/dashboard/", roles: dashboard.Roles},
	"GET /dashboard/statistics":                            {path: "/dashboard/statistics?filter=size_band:large", roles: adminAnalyst},
	"GET /dashboard/statistics/map":                        {path: "/dashboard/statistics/map?rows=icb&cols=skill", roles: adminAnalyst},
	"GET /dashboard/statistics/ranking":                    {path: "/dashboard/statistics/ranking?by=region&measure=shortfall", roles: adminAnalyst},
	"GET /dashboard/organisation":                          {path: "/dashboard/organisation?org=ORGA", roles: adminHR, scoped: true},
	"GET /dashboard/organisation/matrix":                   {path: "/dashboard/organisation/matrix?org=ORGA", roles: adminHR, scoped: true},
	"GET /dashboard/organisation/expiring":                 {path: "/dashboard/organisation/expiring?org=ORGA", roles: adminHR, scoped: true},
	"GET /dashboard/organisation/projection":               {path: "/dashboard/organisation/projection?org=ORGA", roles: adminHR, scoped: true},
	"GET /dashboard/organisation/scenario":                 {path: "/dashboard/organisation/scenario?org=ORGA", roles: adminHR, scoped: true},
	"GET /dashboard/organisation/plan":                     {path: "/dashboard/organisation/plan?org=ORGA&budget=500", roles: adminHR, scoped: true},
	"GET /dashboard/csv/statistics/headline":               {path: "/dashboard/csv/statistics/headline", roles: adminAnalyst},
	"GET /dashboard/csv/statistics/gaps":                   {path: "/dashboard/csv/statistics/gaps?group_by=region,tier", roles: adminAnalyst},
	"GET /dashboard/csv/statistics/trends":                 {path: "/dashboard/csv/statistics/trends?metric=basic_skills_gap_share", roles: adminAnalyst},
	"GET /dashboard/csv/organisations/:code/gaps":          {path: "/dashboard/csv/organisations/ORGA/gaps", roles: adminHR, scoped: true},
	"GET /dashboard/csv/organisations/:code/gaps/matrix":   {path: "/dashboard/csv/organisations/ORGA/gaps/matrix", roles: adminHR, scoped: true},
	"GET /dashboard/csv/organisations/:code/expiring":      {path: "/dashboard/csv/organisations/ORGA/expiring", roles: adminHR, scoped: true},
	"GET /dashboard/csv/organisations/:code/projection":    {path: "/dashboard/csv/organisations/ORGA/projection", roles: adminHR, scoped: true},
	"GET /dashboard/csv/organisations/:code/scenarios/:id": {path: "/dashboard/csv/organisations/ORGA/scenarios/1", roles: adminHR, scoped: true},
	"GET /dashboard/csv/organisations/:code/training-plan": {path: "/dashboard/csv/organisations/ORGA/training-plan?horizon=6", roles: adminHR, scoped: true},
}

// dashboardOpenRoutes need no session: the way in and the page's files.
var dashboardOpenRoutes = []string{"GET /dashboard", "GET /dashboard/sign-in", "POST /dashboard/sign-in", "GET /dashboard/static/*file"}

// dashboardWrites are checked by TestDashboardWritesNeedTheSessionsToken.
var dashboardWrites = []string{"POST /dashboard/sign-out", "POST /dashboard/organisation/scenario"}

func TestDashboardViewsCoverEveryRoute(t *testing.T) {
	e := newEnv(t)
	for _, r := range e.h.(interface{ Routes() gin.RoutesInfo }).Routes() {
		key := r.Method + " " + r.Path
		if !strings.HasPrefix(r.Path, dashboard.Prefix) || slices.Contains(dashboardOpenRoutes, key) || slices.Contains(dashboardWrites, key) {
			continue
		}
		if _, ok := dashboardViews[key]; !ok {
			t.Errorf("dashboard route %s has no entry in dashboardViews", key)
		}
	}
}

// TestDashboardViewsByRole: each view answers its roles (pages as HTML, downloads as
// CSV), refuses the others, and shows hr only its own subtree: another organisation is
// not found, as in the API.
func TestDashboardViewsByRole(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	browsers := map[models.Role]*browser{}
	for _, role := range dashboard.Roles {
		browsers[role] = e.signedIn(f.tokens[role])
	}
	otherHR := e.signedIn(f.otherHR)
	for key, v := range dashboardViews {
		csv := strings.Contains(key, "/csv/")
		for role, b := range browsers {
			r := b.get(v.path)
			if !slices.Contains(v.roles, role) {
				r.expect(http.StatusForbidden)
				continue
			}
			r.expect(http.StatusOK)
			ct := r.Header().Get("Content-Type")
			switch {
			case csv && (!strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment")):
				t.Errorf("%s as %s: %s, %q; want a CSV attachment", key, role, ct, r.Header().Get("Content-Disposition"))
			case !csv && !strings.HasPrefix(ct, "text/html"):
				t.Errorf("%s as %s: Content-Type %s", key, role, ct)
			}
		}
		if v.scoped {
			otherHR.get(v.path).expect(http.StatusNotFound)
		}
	}
	// hr sees its units too, and its own organisation without naming it.
	browsers[models.RoleHR].get("/dashboard/organisation?org=ORGA-1").expect(200)
	if body := browsers[models.RoleHR].get("/dashboard/organisation").expect(200).Body.String(); !strings.Contains(body, "Gap summary: ORGA") {
		t.Error("hr's gap summary is not about its organisation by default")
	}
	// An admin names the organisation; without one, it is asked for.
	if body := browsers[models.RoleAdmin].get("/dashboard/organisation").expect(200).Body.String(); !strings.Contains(body, `name="org"`) {
		t.Error("an admin is not asked which organisation")
	}
}

// TestDashboardNavigationFollowsTheRole: each role is offered the views it may see.
func TestDashboardNavigationFollowsTheRole(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	for role, want := range map[models.Role]struct{ statistics, organisation bool }{
		models.RoleAnalyst: {true, false}, models.RoleHR: {false, true}, models.RoleAdmin: {true, true},
	} {
		body := e.signedIn(f.tokens[role]).get("/dashboard/").expect(200).Body.String()
		if got := strings.Contains(body, `href="/dashboard/statistics"`); got != want.statistics {
			t.Errorf("%s offered the statistics: %v", role, got)
		}
		if got := strings.Contains(body, `href="/dashboard/organisation`); got != want.organisation {
			t.Errorf("%s offered the organisation views: %v", role, got)
		}
	}
}

// TestDashboardDownloadsAreTheAPIsCSV: a download is the API's CSV of the same report.
func TestDashboardDownloadsAreTheAPIsCSV(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	for role, paths := range map[models.Role][2]string{
		models.RoleAnalyst: {"/dashboard/csv/statistics/gaps?group_by=region", "/api/v1/statistics/gaps?group_by=region&format=csv"},
		models.RoleHR:      {"/dashboard/csv/organisations/ORGA/gaps/matrix", "/api/v1/organisations/ORGA/gaps/matrix?format=csv"},
	} {
		got := e.signedIn(f.tokens[role]).get(paths[0]).expect(200).Body.String()
		want := e.as(f.tokens[role], "GET", paths[1], nil).expect(200).Body.String()
		if got != want || got == "" {
			t.Errorf("%s download:\n%s\nAPI:\n%s", role, got, want)
		}
	}
}

// TestDashboardStaffLevelViewsAreAudited: the expiring view names staff, so it is in the
// audit trail as the API's read is; aggregate views are not.
func TestDashboardStaffLevelViewsAreAudited(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	b := e.signedIn(f.tokens[models.RoleHR])
	b.get("/dashboard/organisation/expiring").expect(200)
	b.get("/dashboard/organisation/matrix").expect(200)
	b.get("/dashboard/csv/organisations/ORGA/expiring").expect(200)
	routes := map[string]int{}
	var rows []struct {
		Route string `db:"route"`
		N     int    `db:"n"`
	}
	if err := e.db.Select(&rows, `SELECT route, count(*) AS n FROM audit_log WHERE method = 'GET' GROUP BY route`); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		routes[r.Route] = r.N
	}
	if routes["/dashboard/organisation/expiring"] != 1 || routes["/dashboard/csv/organisations/:code/expiring"] != 1 {
		t.Errorf("staff-level reads in the trail: %v", routes)
	}
	if routes["/dashboard/organisation/matrix"] != 0 {
		t.Errorf("an aggregate view is in the trail: %v", routes)
	}
}

// TestDashboardScenarioForm evaluates a what-if from the form and names a bad one's
// fields.
func TestDashboardScenarioForm(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	b := e.signedIn(f.tokens[models.RoleHR])
	csrf := csrfOf(b.get("/dashboard/organisation/scenario").expect(200))
	ok := b.post("/dashboard/organisation/scenario?org=ORGA", url.Values{"csrf": {csrf}, "change": {"outsource"}, "skill": {"firewall-config"}, "provider": {"SOC"}}).expect(200)
	if !strings.Contains(ok.Body.String(), `id="scenario-months"`) {
		t.Error("the what-if was not evaluated")
	}
	bad := b.post("/dashboard/organisation/scenario?org=ORGA", url.Values{"csrf": {csrf}, "change": {"hire"}, "role": {"no-such-role"}, "count": {"1"}}).expect(http.StatusBadRequest)
	if !strings.Contains(bad.Body.String(), "changes[0].role") {
		t.Errorf("the refusal does not name the field:\n%s", bad.Body.String())
	}
}
