package dashboard

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"cyberskills/api/middleware"
	"cyberskills/api/problem"
	"cyberskills/models"
)

// view is everything a page shows. One template (view.html) lays out every view: its
// forms, summary cards, and sections of a chart beside the table of its figures.
type view struct {
	Title     string
	Lead      string
	Principal models.Principal
	CSRF      string
	Nav       []navLink
	Org       string // the organisation an hr view is about
	Forms     []form
	Cards     []card
	Sections  []section
	Notes     []string
	Error     string
	Fields    []models.FieldError
	RequestID string
}

// navLink is one entry of the navigation.
type navLink struct {
	Label, Href string
	Current     bool
}

// card is a headline figure.
type card struct {
	Key        string // data-key, for the browser tests
	Label      string
	Value      string
	DataValue  string // the figure as the API gives it
	Detail     string
	Suppressed bool
}

// section is a chart with the table of its figures and a download of them.
type section struct {
	ID      string
	Heading string
	Intro   string
	Chart   template.HTML
	Table   *table
	CSV     []link // downloads of the figures, through the API's CSV writer
	Empty   string // said instead of a chart when there is nothing to draw
}

type link struct{ Label, Href string }

// table is a data table; every chart has one.
type table struct {
	ID      string
	Caption string
	Head    []string
	Rows    []row
}

type row struct {
	Key   string
	Cells []tcell
}

// tcell is a table cell: its text, and the figure as the API gives it (data-value).
type tcell struct {
	Text       string
	Value      string
	Col        string
	Suppressed bool
	Numeric    bool
	Header     bool // a row header (th scope="row")
}

// form is a form of a view: filters (GET) or an evaluation (POST, with the CSRF token).
type form struct {
	ID, Legend, Action, Method, Submit string
	Fields                             []field
}

type field struct {
	Label, Name, Type, Value, Hint string
	Options                        []option
	Min, Max                       string
}

type option struct {
	Value, Label string
	Selected     bool
}

var funcs = template.FuncMap{}

// render writes a page.
func (d *Dashboard) render(c *gin.Context, status int, page string, v view) {
	if v.Principal.TokenID == 0 {
		v.Principal = middleware.PrincipalOf(c)
	}
	if v.CSRF == "" && c.GetString(sessionKey) != "" {
		v.CSRF = models.CSRFToken(c.GetString(sessionKey))
	}
	if v.Principal.TokenID != 0 && v.Nav == nil {
		v.Nav = navigation(v.Principal, c.Request.URL.Path, v.Org)
	}
	v.RequestID = c.GetString(problem.RequestIDKey)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := d.pages[page].ExecuteTemplate(c.Writer, "layout", v); err != nil {
		d.log.ErrorContext(c.Request.Context(), "rendering a dashboard page failed", "page", page, "error", err.Error())
	}
	c.Abort()
}

// fail shows the page for an error, with the status the API would answer.
func (d *Dashboard) fail(c *gin.Context, err error) {
	status, title := problem.StatusOf(err)
	msg := models.ErrorMessage(err)
	switch models.ErrorCode(err) {
	case models.EINTERNAL:
		d.log.ErrorContext(c.Request.Context(), "dashboard request failed", "request_id", c.GetString(problem.RequestIDKey), "error", err.Error())
		msg = "Something went wrong on our side. The request id below helps us find out what."
	case models.EUNAVAILABLE:
		d.log.WarnContext(c.Request.Context(), "dashboard request failed: service unavailable", "request_id", c.GetString(problem.RequestIDKey), "error", err.Error())
		c.Header("Retry-After", "2")
		msg = "The database is not answering just now. Try again in a moment."
	case models.ENOTFOUND:
		msg += " (or it is outside what your token may see)"
	}
	d.render(c, status, "error.html", view{Title: title, Error: msg, Fields: fieldsOf(err)})
}

// fieldsOf is the fields a refusal names.
func fieldsOf(err error) []models.FieldError {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func (d *Dashboard) errorPage(c *gin.Context, status int, title, msg string) {
	d.render(c, status, "error.html", view{Title: title, Error: msg})
}

// navigation lists the views the principal's role may see; hr links keep the
// organisation being looked at.
func navigation(p models.Principal, current, org string) []navLink {
	var out []navLink
	add := func(label, path string, withOrg bool) {
		href := Prefix + path
		if withOrg && org != "" {
			href += "?org=" + url.QueryEscape(org)
		}
		out = append(out, navLink{Label: label, Href: href, Current: current == Prefix+path})
	}
	add("Overview", "/", false)
	if p.Role == models.RoleAnalyst || p.Role == models.RoleAdmin {
		add("National headline", "/statistics", false)
		add("Heat map", "/statistics/map", false)
		add("Ranking", "/statistics/ranking", false)
	}
	if p.Role == models.RoleHR || p.Role == models.RoleAdmin {
		add("Gap summary", "/organisation", true)
		add("Role × skill", "/organisation/matrix", true)
		add("Expiring", "/organisation/expiring", true)
		add("Projection", "/organisation/projection", true)
		add("Scenario", "/organisation/scenario", true)
		add("Training plan", "/organisation/plan", true)
	}
	return out
}

// Home is GET /dashboard/: the views the role may see.
func (d *Dashboard) Home(c *gin.Context) {
	p := middleware.PrincipalOf(c)
	v := view{Title: "Overview", Principal: p, Org: p.OrgCode}
	v.Nav = navigation(p, c.Request.URL.Path, v.Org)
	d.render(c, http.StatusOK, "home.html", v)
}
