// Package api is the HTTP surface of cyberskills: the router, one file per resource, and
// the middleware in api/middleware.
//
// @title                       cyberskills API
// @version                     1.0
// @description                 Tracks cyber security skills across an organisation's workforce, measures the gap to what its roles and services need, and plans how to close it. Every route except the operational ones needs a bearer token (the xAPI Learning Record Store under /xapi also takes it as HTTP Basic credentials, and its About resource is public); errors are RFC 9457 problem details (application/problem+json). Every response carries an X-Request-ID header (a caller's own is honoured), also in problem bodies as request_id. A method a path does not serve answers 405 with an Allow header. A path is answered as written: a "." or ".." segment (plain or percent-encoded) answers 400, and a trailing slash is not redirected. Every date and time lies from 1900-01-01 to 9999-12-31. CSV answers put a single quote before text cells that begin with =, +, -, @, tab or carriage return (formula injection); numbers are written as they are. Any route answers 503 with a Retry-After header (seconds) when the database is unreachable or does not answer within the request's time.
// @contact.name                cyberskills maintainers
// @license.name                MIT
// @license.url                 https://opensource.org/licenses/MIT
// @BasePath                    /
// @securityDefinitions.apikey  BearerAuth
// @in                          header
// @name                        Authorization
// @description                 A bearer token: "Bearer csk_...". Mint the first admin token with `cyberskills token create --role admin --name NAME`.
// @securityDefinitions.basic  LRSBasic
// @description                 The xAPI routes (/xapi) also take a token as HTTP Basic credentials, as a Learning Record Store's key and secret: the user name is the token's id (its LRS key), the password the token.
package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard"
	"cyberskills/api/middleware"
	"cyberskills/api/problem"
	"cyberskills/models"
)

// Who may call a route.
var (
	adminOnly    = []models.Role{models.RoleAdmin}
	adminHR      = []models.Role{models.RoleAdmin, models.RoleHR}
	adminTrainer = []models.Role{models.RoleAdmin, models.RoleTrainer}
	adminAnalyst = []models.Role{models.RoleAdmin, models.RoleAnalyst}
	// The course catalogue: trainers keep theirs, hr reads it to plan training.
	adminHRTrainer = []models.Role{models.RoleAdmin, models.RoleHR, models.RoleTrainer}
	everyone       = []models.Role{models.RoleAdmin, models.RoleHR, models.RoleTrainer, models.RoleAnalyst}
)

// route is one entry of the API table.
type route struct {
	method, path string
	roles        []models.Role
	handler      handlerFunc
	org          bool // :code names an organisation, resolved within the caller's scope before the handler
	staffRead    bool // a read of staff-level data, recorded in the audit trail
	bulk         bool // accepts a large file and runs under the import budget
	// csv marks a report with a table, which answers CSV too (format=csv or Accept:
	// text/csv); any other GET asked for CSV answers 406 rather than JSON in silence.
	csv bool
}

// apiRoutes is the whole authenticated API, relative to /api/v1.
func (s *Server) apiRoutes() []route {
	return []route{
		{method: "POST", path: "/tokens", roles: adminOnly, handler: s.createToken},
		{method: "GET", path: "/tokens", roles: adminOnly, handler: s.listTokens},
		{method: "DELETE", path: "/tokens/:id", roles: adminOnly, handler: s.revokeToken},
		{method: "GET", path: "/audit", roles: adminOnly, handler: s.listAudit},
		{method: "GET", path: "/jobs", roles: adminHR, handler: s.listJobs},
		{method: "GET", path: "/jobs/:id", roles: adminHR, handler: s.getJob},

		{method: "GET", path: "/organisations", roles: everyone, handler: s.listOrganisations},
		{method: "POST", path: "/organisations", roles: adminHR, handler: s.createOrganisation},
		{method: "POST", path: "/organisations/import", roles: adminOnly, handler: s.importOrganisations, bulk: true},
		{method: "GET", path: "/organisations/:code", roles: everyone, handler: s.getOrganisation},
		{method: "PUT", path: "/organisations/:code", roles: adminHR, handler: s.putOrganisation},
		{method: "PATCH", path: "/organisations/:code", roles: adminHR, handler: s.patchOrganisation},
		{method: "DELETE", path: "/organisations/:code", roles: adminHR, handler: s.deleteOrganisation},

		// Frameworks are shared reference data: everyone reads, admins publish. Documents
		// and imports can run to megabytes, so writes take the bulk limits.
		{method: "GET", path: "/frameworks", roles: everyone, handler: s.listFrameworks},
		{method: "POST", path: "/frameworks", roles: adminOnly, handler: s.createFramework, bulk: true},
		{method: "POST", path: "/frameworks/import", roles: adminOnly, handler: s.importFramework, bulk: true},
		{method: "GET", path: "/frameworks/:code", roles: everyone, handler: s.getFramework},
		{method: "PUT", path: "/frameworks/:code", roles: adminOnly, handler: s.publishFramework, bulk: true},
		{method: "GET", path: "/frameworks/:code/skills", roles: everyone, handler: s.listSkills},
		{method: "GET", path: "/frameworks/:code/skills/:skill", roles: everyone, handler: s.getSkill},
		{method: "GET", path: "/frameworks/:code/export", roles: everyone, handler: s.exportFramework, csv: true},
		{method: "GET", path: "/frameworks/:code/mappings", roles: everyone, handler: s.listMappings},
		{method: "PUT", path: "/frameworks/:code/mappings", roles: adminOnly, handler: s.putMappings, bulk: true},

		{method: "GET", path: "/roles", roles: everyone, handler: s.listRoleTemplates},
		{method: "POST", path: "/roles", roles: adminOnly, handler: s.createRoleTemplate},
		{method: "GET", path: "/roles/:code", roles: everyone, handler: s.getRoleTemplate},
		{method: "PUT", path: "/roles/:code", roles: adminOnly, handler: s.putRoleTemplate},
		{method: "PATCH", path: "/roles/:code", roles: adminOnly, handler: s.patchRoleTemplate},
		{method: "DELETE", path: "/roles/:code", roles: adminOnly, handler: s.deleteRoleTemplate},
		{method: "GET", path: "/organisations/:code/roles", roles: adminHR, org: true, handler: s.listOrgRoles},
		{method: "POST", path: "/organisations/:code/roles", roles: adminHR, org: true, handler: s.createOrgRole},
		{method: "GET", path: "/organisations/:code/roles/:role", roles: adminHR, org: true, handler: s.getOrgRole},
		{method: "PUT", path: "/organisations/:code/roles/:role", roles: adminHR, org: true, handler: s.putOrgRole},
		{method: "PATCH", path: "/organisations/:code/roles/:role", roles: adminHR, org: true, handler: s.patchOrgRole},
		{method: "DELETE", path: "/organisations/:code/roles/:role", roles: adminHR, org: true, handler: s.deleteOrgRole},

		{method: "GET", path: "/organisations/:code/staff", roles: adminHR, org: true, handler: s.listStaff, staffRead: true},
		{method: "POST", path: "/organisations/:code/staff", roles: adminHR, org: true, handler: s.createStaff},
		{method: "POST", path: "/organisations/:code/staff/import", roles: adminHR, org: true, handler: s.importStaff, bulk: true},
		{method: "GET", path: "/organisations/:code/staff/:external_id", roles: adminHR, org: true, handler: s.getStaff, staffRead: true},
		{method: "PUT", path: "/organisations/:code/staff/:external_id", roles: adminHR, org: true, handler: s.putStaff},
		{method: "PATCH", path: "/organisations/:code/staff/:external_id", roles: adminHR, org: true, handler: s.patchStaff},
		{method: "DELETE", path: "/organisations/:code/staff/:external_id", roles: adminHR, org: true, handler: s.deleteStaff},

		{method: "GET", path: "/organisations/:code/staff/:external_id/competencies", roles: adminHR, org: true, handler: s.getCompetencies, staffRead: true, csv: true},
		{method: "GET", path: "/organisations/:code/staff/:external_id/evidence", roles: adminHR, org: true, handler: s.listEvidence, staffRead: true},
		// The hot write resolves the organisation inside its one statement.
		{method: "POST", path: "/organisations/:code/staff/:external_id/evidence", roles: adminHR, handler: s.addEvidence},
		{method: "POST", path: "/organisations/:code/evidence/import", roles: adminHR, org: true, handler: s.importEvidence, bulk: true},
		{method: "GET", path: "/organisations/:code/expiring", roles: adminHR, org: true, handler: s.getExpiring, staffRead: true, csv: true},

		{method: "GET", path: "/organisations/:code/targets", roles: adminHR, org: true, handler: s.getTargets},
		{method: "PUT", path: "/organisations/:code/targets", roles: adminHR, org: true, handler: s.putTargets},
		{method: "GET", path: "/organisations/:code/coverage", roles: adminHR, org: true, handler: s.getCoverage},
		{method: "PUT", path: "/organisations/:code/coverage", roles: adminHR, org: true, handler: s.putCoverage},
		{method: "GET", path: "/organisations/:code/establishment", roles: adminHR, org: true, handler: s.getEstablishment},
		{method: "PUT", path: "/organisations/:code/establishment", roles: adminHR, org: true, handler: s.putEstablishment},
		{method: "GET", path: "/organisations/:code/enrolments", roles: adminHRTrainer, org: true, handler: s.listEnrolments, staffRead: true},
		{method: "POST", path: "/organisations/:code/enrolments", roles: adminHRTrainer, org: true, handler: s.createEnrolment},
		{method: "DELETE", path: "/organisations/:code/enrolments/:id", roles: adminHRTrainer, org: true, handler: s.withdrawEnrolment},
		{method: "GET", path: "/organisations/:code/projection", roles: adminHR, org: true, handler: s.getProjection, csv: true},
		{method: "POST", path: "/organisations/:code/scenarios/evaluate", roles: adminHR, org: true, handler: s.evaluateScenario, csv: true},
		{method: "GET", path: "/organisations/:code/scenarios", roles: adminHR, org: true, handler: s.listScenarios},
		{method: "POST", path: "/organisations/:code/scenarios", roles: adminHR, org: true, handler: s.saveScenario},
		{method: "GET", path: "/organisations/:code/scenarios/:id", roles: adminHR, org: true, handler: s.getScenario, csv: true},
		{method: "GET", path: "/organisations/:code/training-plan", roles: adminHR, org: true, handler: s.getTrainingPlan, csv: true},
		{method: "GET", path: "/organisations/:code/assurance/b6", roles: adminHR, org: true, handler: s.getB6Report, staffRead: true, csv: true},
		{method: "GET", path: "/organisations/:code/assurance/requirements", roles: adminHR, org: true, handler: s.getTrainingRequirements},
		{method: "PUT", path: "/organisations/:code/assurance/requirements", roles: adminHR, org: true, handler: s.putTrainingRequirements},
		{method: "GET", path: "/organisations/:code/assurance/key-roles", roles: adminHR, org: true, handler: s.getKeyRoles, staffRead: true},
		{method: "PUT", path: "/organisations/:code/assurance/key-roles", roles: adminHR, org: true, handler: s.putKeyRoles},
		{method: "GET", path: "/organisations/:code/gaps", roles: adminHR, org: true, handler: s.getGaps, csv: true},
		{method: "GET", path: "/organisations/:code/gaps/roles", roles: adminHR, org: true, handler: s.getRoleGaps, csv: true},
		{method: "GET", path: "/organisations/:code/gaps/matrix", roles: adminHR, org: true, handler: s.getGapMatrix, csv: true},
		{method: "GET", path: "/organisations/:code/gaps/candidates", roles: adminHR, org: true, handler: s.getCandidates, staffRead: true, csv: true},
		{method: "GET", path: "/organisations/:code/staff/:external_id/gaps", roles: adminHR, org: true, handler: s.getStaffGaps, staffRead: true, csv: true},

		{method: "GET", path: "/courses", roles: adminHRTrainer, handler: s.listCourses},
		{method: "POST", path: "/courses", roles: adminTrainer, handler: s.createCourse},
		{method: "GET", path: "/courses/:code", roles: adminHRTrainer, handler: s.getCourse},
		{method: "PUT", path: "/courses/:code", roles: adminTrainer, handler: s.putCourse},
		{method: "DELETE", path: "/courses/:code", roles: adminTrainer, handler: s.deleteCourse},
		{method: "POST", path: "/completions", roles: adminTrainer, handler: s.postCompletions},
		// The second step of xAPI (/xapi, below): matching statements to people and courses.
		{method: "GET", path: "/xapi/outcomes", roles: adminTrainer, handler: s.listStatementOutcomes},
		{method: "GET", path: "/xapi/people", roles: adminTrainer, handler: s.listPersonMappings},
		{method: "POST", path: "/xapi/people/import", roles: adminTrainer, handler: s.importPersonMappings, bulk: true},
		{method: "DELETE", path: "/xapi/people/:id", roles: adminTrainer, handler: s.deletePersonMapping},

		{method: "GET", path: "/statistics/headline", roles: adminAnalyst, handler: s.getHeadline, csv: true},
		{method: "GET", path: "/statistics/gaps", roles: adminAnalyst, handler: s.getBreakdown, csv: true},
		{method: "GET", path: "/statistics/trends", roles: adminAnalyst, handler: s.getTrends, csv: true},
		{method: "GET", path: "/statistics/assurance", roles: adminAnalyst, handler: s.getAssuranceStatistics, csv: true},
		{method: "POST", path: "/statistics/snapshots", roles: adminOnly, handler: s.takeSnapshot},
	}
}

const apiPrefix = "/api/v1"

// page is one entry of the dashboard's table: an HTML page for people.
type page struct {
	method, path string
	roles        []models.Role
	handler      gin.HandlerFunc
	staffRead    bool // shows staff-level data, recorded in the audit trail as the API's read is
	write        bool // a form post: same origin and the session's anti-forgery token required
}

// dashboardPages is the dashboard (api/dashboard), relative to /dashboard: HTML for
// people, signed in by a session cookie, outside the JSON API and its OpenAPI
// description. Each page reads the same scoped service calls as the API route of the
// same report.
func (s *Server) dashboardPages() []page {
	d := s.dash
	return []page{
		{method: "GET", path: "/", roles: dashboard.Roles, handler: d.Home},
		{method: "POST", path: "/sign-out", roles: dashboard.Roles, handler: d.SignOut, write: true},

		{method: "GET", path: "/statistics", roles: adminAnalyst, handler: d.Statistics},
		{method: "GET", path: "/statistics/map", roles: adminAnalyst, handler: d.HeatMap},
		{method: "GET", path: "/statistics/ranking", roles: adminAnalyst, handler: d.Ranking},

		{method: "GET", path: "/organisation", roles: adminHR, handler: d.Gaps},
		{method: "GET", path: "/organisation/matrix", roles: adminHR, handler: d.Matrix},
		{method: "GET", path: "/organisation/expiring", roles: adminHR, handler: d.Expiring, staffRead: true},
		{method: "GET", path: "/organisation/projection", roles: adminHR, handler: d.Projection},
		{method: "GET", path: "/organisation/scenario", roles: adminHR, handler: d.Scenario},
		{method: "POST", path: "/organisation/scenario", roles: adminHR, handler: d.Scenario, write: true},
		{method: "GET", path: "/organisation/plan", roles: adminHR, handler: d.Plan},
	}
}

// dashboardDownloads are the dashboard's CSV downloads, relative to /dashboard: the API
// routes of the figures a page shows, served by the API's own handlers (the same scope,
// the same disclosure control, the same CSV writer) under the session instead of a
// bearer token, which the browser never holds.
func (s *Server) dashboardDownloads() []route {
	return []route{
		{method: "GET", path: "/csv/statistics/headline", roles: adminAnalyst, handler: s.getHeadline, csv: true},
		{method: "GET", path: "/csv/statistics/gaps", roles: adminAnalyst, handler: s.getBreakdown, csv: true},
		{method: "GET", path: "/csv/statistics/trends", roles: adminAnalyst, handler: s.getTrends, csv: true},
		{method: "GET", path: "/csv/organisations/:code/gaps", roles: adminHR, org: true, handler: s.getGaps, csv: true},
		{method: "GET", path: "/csv/organisations/:code/gaps/matrix", roles: adminHR, org: true, handler: s.getGapMatrix, csv: true},
		{method: "GET", path: "/csv/organisations/:code/expiring", roles: adminHR, org: true, handler: s.getExpiring, staffRead: true, csv: true},
		{method: "GET", path: "/csv/organisations/:code/projection", roles: adminHR, org: true, handler: s.getProjection, csv: true},
		{method: "GET", path: "/csv/organisations/:code/scenarios/:id", roles: adminHR, org: true, handler: s.getScenario, csv: true},
		{method: "GET", path: "/csv/organisations/:code/training-plan", roles: adminHR, org: true, handler: s.getTrainingPlan, csv: true},
	}
}

// xapiRoutes is the xAPI surface, relative to xapiBase: a Learning Record Store's
// resources. A statement belongs to the provider whose credentials sent it, so only
// trainers write; admins read every provider's. The About resource is public (below).
func (s *Server) xapiRoutes() []route {
	trainerOnly := []models.Role{models.RoleTrainer}
	routes := []route{
		{method: "POST", path: "/statements", roles: trainerOnly, handler: s.postStatements},
		{method: "PUT", path: "/statements", roles: trainerOnly, handler: s.putStatement},
		{method: "GET", path: "/statements", roles: adminTrainer, handler: s.getStatements},
		{method: "HEAD", path: "/statements", roles: adminTrainer, handler: s.getStatements},
		{method: "GET", path: "/activities", roles: adminTrainer, handler: s.getActivity},
		{method: "HEAD", path: "/activities", roles: adminTrainer, handler: s.getActivity},
		{method: "GET", path: "/agents", roles: adminTrainer, handler: s.getAgent},
		{method: "HEAD", path: "/agents", roles: adminTrainer, handler: s.getAgent},
	}
	// The document resources (state, activity profile, agent profile) are not provided:
	// they answer 501 once the request is otherwise valid (README, xAPI).
	for _, path := range xapiDocumentPaths {
		for _, method := range []string{"GET", "HEAD", "PUT", "POST", "DELETE"} {
			routes = append(routes, route{method: method, path: path, roles: adminTrainer, handler: xapiDocuments})
		}
	}
	return routes
}

// xapiDocumentPaths are the xAPI document resources, which this LRS does not provide.
// The OpenAPI description leaves them out (an operation that never succeeds is none)
// and says so in the xapi tag's description.
var xapiDocumentPaths = []string{"/activities/state", "/activities/profile", "/agents/profile"}

// answerReserve is the most of a request's budget kept for answering once its queries
// have been stopped.
const answerReserve = 500 * time.Millisecond

// Router builds the whole API. Middleware runs in this order for every request:
// xAPI alternate syntax -> problem logger -> request id -> recover -> logging -> metrics
// -> xAPI headers -> input check -> timeout -> body limit -> clock; then, under /api/v1,
// authentication -> rate limit -> audit -> idempotency -> role check -> handler; under
// /xapi, refused alternate syntax -> version check -> LRS authentication (Basic or
// Bearer) -> rate limit -> audit -> idempotency -> role check -> handler; under
// /dashboard, security headers, then for signed-in pages session -> rate limit -> audit
// -> role check -> (anti-forgery check for writes) -> page. The alternate syntax
// (Communication 1.3) comes first because it rewrites the request, headers
// included, and has the router serve what it stands for.
func (s *Server) Router() *gin.Engine {
	if s.router != nil {
		return s.router
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.RemoveExtraSlash = true
	// A path is answered as written or refused: the router cleans "." and ".." segments
	// before matching, and a redirect for a trailing slash would send the client, with
	// its method, to the cleaned path (.../staff/%2E%2E/ to the organisation). Without
	// the redirect every request reaches the middleware, which refuses dot segments.
	r.RedirectTrailingSlash = false
	r.NoRoute(func(c *gin.Context) { problem.Status(c, http.StatusNotFound, "no such route: "+c.Request.URL.Path) })
	r.NoMethod(func(c *gin.Context) {
		problem.Status(c, http.StatusMethodNotAllowed, c.Request.Method+" is not allowed here; see the Allow header")
	})

	routes := s.apiRoutes()
	bulk := map[string]bool{}
	limits := map[string]int64{xapiBase + "/statements": s.cfg.XAPIBodyLimit}
	for _, rt := range routes {
		if rt.bulk {
			bulk[apiPrefix+rt.path] = true
			limits[apiPrefix+rt.path] = s.cfg.ImportBodyLimit
		}
	}
	r.Use(
		s.xapiAlternateSyntax,
		problem.UseLogger(s.log),
		middleware.RequestID(),
		middleware.Recover(s.log),
		middleware.Logger(s.log),
		s.metrics.Handler(),
		s.xapiHeaders,
		middleware.ValidInput(),
		s.timeout(bulk),
		middleware.BodyLimit(s.cfg.BodyLimit, limits),
		middleware.Clock(s.svc.Clock()),
	)

	r.GET("/", s.getIndex)
	r.GET(apiPrefix, s.getAPIIndex) // outside the group below: the start page needs no token
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsHandler())
	r.GET("/openapi.json", s.openAPI)
	r.GET("/openapi.yaml", s.openAPIYAML)
	r.GET("/docs", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/docs/index.html") })
	r.GET("/docs/*any", s.swaggerUI())

	v1 := r.Group(apiPrefix,
		middleware.Authenticate(s.auth, s.log),
		s.limiter.Handler(),
		middleware.Audit(s.audit, s.log),
		middleware.Idempotency(s.svc, s.log, s.cfg.ImportTimeout+time.Minute),
	)
	s.handleRoutes(v1, routes)

	r.GET(xapiBase+"/about", s.xapiPublic(s.getAbout)...)
	r.HEAD(xapiBase+"/about", s.xapiPublic(s.getAbout)...)
	lrs := r.Group(xapiBase,
		xapiAlternateRefused,
		xapiVersionRequired,
		middleware.AuthenticateLRS(s.auth, s.log),
		s.limiter.Handler(),
		middleware.Audit(s.audit, s.log),
		middleware.Idempotency(s.svc, s.log, s.cfg.ImportTimeout+time.Minute),
	)
	s.handleRoutes(lrs, s.xapiRoutes())
	s.mountDashboard(r)
	s.router = r
	return r
}

// handleRoutes registers routes on g, each behind its role check and flags. The xAPI
// routes answer what xAPI says: their format parameter is xAPI's (a value it does not
// know, csv too, is a 400), so they are not refused CSV with 406.
func (s *Server) handleRoutes(g *gin.RouterGroup, routes []route) {
	xapiRoutes := g.BasePath() == xapiBase
	for _, rt := range routes {
		chain := []gin.HandlerFunc{middleware.Allow(rt.roles...)}
		if rt.method == http.MethodGet && !rt.csv && !xapiRoutes {
			chain = append(chain, refuseCSV)
		}
		if rt.staffRead {
			chain = append(chain, middleware.AuditRead())
		}
		if rt.org {
			chain = append(chain, s.resolveOrganisation)
		}
		g.Handle(rt.method, rt.path, append(chain, s.handle(rt.handler))...)
	}
}

// xapiPublic is the chain of a public xAPI route (the About resource).
func (s *Server) xapiPublic(h handlerFunc) []gin.HandlerFunc {
	return []gin.HandlerFunc{xapiAlternateRefused, s.handle(h)}
}

// mountDashboard serves the dashboard: its files and sign-in page to anyone, its pages
// and downloads to a signed-in session of a role they admit.
func (s *Server) mountDashboard(r *gin.Engine) {
	s.dash = dashboard.New(s.svc, s.auth, s.log, s.cfg.Dashboard)
	d := s.dash
	audit := middleware.Audit(s.audit, s.log)
	dash := r.Group(dashboard.Prefix, dashboard.Headers())
	dash.GET("", d.Redirect)
	dash.GET("/static/*file", d.Static())
	dash.GET("/sign-in", d.SignInPage)
	dash.POST("/sign-in", audit, d.SignIn) // not rate limited: callers are not known yet
	signedIn := dash.Group("", d.RequireSession, s.limiter.Handler(), audit)
	for _, pg := range s.dashboardPages() {
		chain := []gin.HandlerFunc{d.Allow(pg.roles...)}
		if pg.staffRead {
			chain = append(chain, middleware.AuditRead())
		}
		if pg.write {
			chain = append(chain, d.CheckWrite)
		}
		signedIn.Handle(pg.method, pg.path, append(chain, pg.handler)...)
	}
	for _, rt := range s.dashboardDownloads() {
		chain := []gin.HandlerFunc{middleware.Allow(rt.roles...), dashboard.CSVDownload}
		if rt.staffRead {
			chain = append(chain, middleware.AuditRead())
		}
		if rt.org {
			chain = append(chain, s.resolveOrganisation)
		}
		signedIn.Handle(rt.method, rt.path, append(chain, s.handle(rt.handler))...)
	}
}

// timeout bounds each request's context, so that queries stop when the caller's budget
// is spent; bulk routes get the longer import budget. The context ends a tenth of the
// budget early (half a second at most), so that the 503 of a request whose database did
// not answer is on its way before the budget is over, not after it.
func (s *Server) timeout(bulk map[string]bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		d := s.cfg.RequestTimeout
		if bulk[c.FullPath()] {
			d = s.cfg.ImportTimeout
		}
		if d <= 0 {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d-min(d/10, answerReserve))
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}
