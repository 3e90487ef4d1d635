package api

import (
	"errors"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/boardreport"
	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/service"
)

// TrainingRequirementsBody replaces an organisation's own training requirements.
type TrainingRequirementsBody struct {
	Requirements []models.TrainingRequirement `json:"requirements"`
}

// getB6Report godoc
// @Summary      Assurance: the evidence for CAF B6 (staff awareness and training)
// @Description  For the organisation and everything below it, as of at (default now): the training needs analysis (each staff group's requirement and why; each role held and the groups whose requirements apply to it), delivery (per staff group and role: headcount, in date, due within 30 and 90 days, overdue, never trained; every key role holder, in date or not and since when: the start of the unbroken cover that holds, or the moment it lapsed), evaluation (each staff group's figures at the end of each of the last 12 months, and the change in skills with a gap from the first of them), a suggested status per indicator (met, partly_met, not_met) with the rule that produced it (the organisation makes the judgement), and everyone overdue or never trained. Staff-level data: the read is recorded in the audit trail. CSV gives the figures (delivery as of at, then each month-end's groups; a group's line over every role has role_title "(all roles)"); format=html a printable A4 page (inline stylesheet and SVG charts, no script).
// @ID           getB6Report
// @Tags         assurance
// @Produce      json,text/csv,html
// @Param        code    path      string  true   "Organisation code"
// @Param        at      query     string  false  "As of this past date or time"
// @Param        format  query     string  false  "csv for CSV (or Accept: text/csv), html for the printable page"  Enums(json,csv,html)
// @Success      200     {object}  models.B6Report
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem  "No such organisation in your scope"
// @Security     BearerAuth
// @x-csv-header  "at,audience,role,role_title,headcount,in_date,due_within_30_days,due_within_90_days,overdue,never_trained,in_date_share"
// @x-html       "The report as one printable A4 page (format=html): its stylesheet inline, its charts as inline SVG, no script and nothing fetched; served with a Content-Security-Policy that admits nothing else."
// @Router       /api/v1/organisations/{code}/assurance/b6 [get]
func (s *Server) getB6Report(c *gin.Context) (reply, error) {
	q := queryParams(c)
	at := q.pastTime("at")
	format := q.oneOf("format", "json", "json", "csv", "html")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	r, err := s.svc.B6Report(c.Request.Context(), principal(c), organisationOf(c), at)
	if err != nil {
		return reply{}, err
	}
	if format == "html" {
		page, err := boardreport.Render(r)
		return ok(htmlPage{csp: boardreport.ContentSecurityPolicy, data: page}), err
	}
	return ok(tabular(r, b6CSV)), nil
}

// allRoles names a staff group's line over every role in CSV, where staff without a
// role have a line with an empty role too.
const allRoles = "(all roles)"

func b6CSV(r models.B6Report) ([]string, [][]cell) {
	header := []string{"at", "audience", "role", "role_title", "headcount", "in_date", "due_within_30_days", "due_within_90_days",
		"overdue", "never_trained", "in_date_share"}
	row := func(at time.Time, a models.Audience, role, title string, f models.TrainingFigures) []cell {
		return []cell{text(at.UTC().Format(time.RFC3339Nano)), text(string(a)), text(role), text(title), itoaCell(f.Headcount),
			itoaCell(f.InDate), itoaCell(f.Due30), itoaCell(f.Due90), itoaCell(f.Overdue), itoaCell(f.NeverTrained), floatCell(f.InDateShare())}
	}
	var rows [][]cell
	for _, d := range r.Delivery {
		title := d.RoleTitle
		if d.Total {
			title = allRoles
		}
		rows = append(rows, row(r.AsOf, d.Audience, d.Role, title, d.TrainingFigures))
	}
	for _, m := range r.Evaluation.MonthEnds {
		for _, g := range m.Groups {
			rows = append(rows, row(m.At, g.Audience, "", allRoles, g.TrainingFigures))
		}
	}
	return header, rows
}

// getTrainingRequirements godoc
// @Summary      The training needs analysis in force
// @Description  Each staff group's requirement (all_staff is everyone; the others are the key roles): a skill of the default framework at a level, renewed every refresh_months, and why; source says whether it is the default, the organisation's own or an ancestor's own (from).
// @ID           getTrainingRequirements
// @Tags         assurance
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.TrainingRequirements
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/assurance/requirements [get]
func (s *Server) getTrainingRequirements(c *gin.Context) (reply, error) {
	return readList(c, s.svc.TrainingRequirements)
}

// putTrainingRequirements godoc
// @Summary      Set the organisation's own training requirements
// @Description  Replaces the organisation's own requirements with the list given, one per staff group; groups not listed fall back to an ancestor's own or the default. They apply to the organisation and everything below it that has none of its own. Answers with the requirements now in force.
// @ID           putTrainingRequirements
// @Tags         assurance
// @Accept       json
// @Produce      json
// @Param        code  path      string                    true  "Organisation code"
// @Param        body  body      TrainingRequirementsBody  true  "The organisation's own requirements"
// @Success      200   {object}  models.TrainingRequirements
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/assurance/requirements [put]
func (s *Server) putTrainingRequirements(c *gin.Context) (reply, error) {
	return replaceList(c, func(b TrainingRequirementsBody) []models.TrainingRequirement { return b.Requirements }, s.svc.SetTrainingRequirements)
}

// getKeyRoles godoc
// @Summary      Who holds the key roles
// @Description  The key roles each job role code carries (the organisation's own lists, else its nearest ancestor's, else the defaults shipped for the role templates; source says which) and the key roles the organisation's own staff are appointed to. Staff-level data: the read is recorded in the audit trail.
// @ID           getKeyRoles
// @Tags         assurance
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.KeyRoles
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/assurance/key-roles [get]
func (s *Server) getKeyRoles(c *gin.Context) (reply, error) {
	return readList(c, s.svc.KeyRoles)
}

// putKeyRoles godoc
// @Summary      Set the organisation's own key roles
// @Description  Replaces the organisation's own key role lists by role code (an empty list switches a default off; codes not listed keep an ancestor's or the default) and its staff's appointments (active staff of the organisation itself, by external id). Answers with the key roles now in force.
// @ID           putKeyRoles
// @Tags         assurance
// @Accept       json
// @Produce      json
// @Param        code  path      string           true  "Organisation code"
// @Param        body  body      models.KeyRoles  true  "The organisation's own lists and appointments"
// @Success      200   {object}  models.KeyRoles
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/assurance/key-roles [put]
func (s *Server) putKeyRoles(c *gin.Context) (reply, error) {
	return replaceList(c, func(b models.KeyRoles) models.KeyRoles { return b }, s.svc.SetKeyRoles)
}

// getAssuranceStatistics godoc
// @Summary      Assurance statistics: the share of organisations meeting each B6 indicator
// @Description  Over active organisations of a type (default trust), each judged over everything below it by its own B6 report as of now: per indicator (training_needs_analysis, awareness, key_roles, evaluation) how many organisations there are, how many meet it (suggested status met, by the rule of the organisation's own report) and the share, with the staff figures awareness and key_roles count; nationally, and by region, ICB or sector with group_by. The evaluation compares everyone's share in date at the first of the last 12 month-ends with now, and the skills with a gap then (from the maintained history) and now. Under the same disclosure control as the other statistics (admins may ask for raw figures with disclosure=none): the indicators are published in one release, as the skills gap's tables are, so that no withheld figure can be worked out from the published ones. Computed in the background by one server and stored, because at national scale one computation takes longer than a request may: the answer is the last stored result, as of as_of (when its computation began; computed_at is when it ended). A result is computed again after a change to what it is made of (at most once every ASSURANCE_REFRESH_INTERVAL) and when the day changes. Before a type's first result the answer is 503 with Retry-After, and the type is computed.
// @ID           getAssuranceStatistics
// @Tags         statistics
// @Produce      json,text/csv
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,trust,department,practice,other)
// @Param        group_by    query     string  false  "Group by one dimension"  Enums(region,icb,sector)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  disclosure.AssuranceStatistics
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Failure      503         {object}  problem.Problem  "The figures of this type are being computed for the first time (Retry-After: 30), or the database is unavailable"
// @Security     BearerAuth
// @x-csv-header  "group,label,indicator,organisations,meeting,share_meeting,headcount,in_date,as_of"
// @Router       /api/v1/statistics/assurance [get]
func (s *Server) getAssuranceStatistics(c *gin.Context) (reply, error) {
	q := queryParams(c)
	orgType := q.oneOf("type", "trust", "region", "icb", "trust", "department", "practice", "other")
	groupBy := q.oneOf("group_by", "", "region", "icb", "sector")
	raw := q.oneOf("disclosure", "controlled", "controlled", "none") == "none"
	q.oneOf("format", "json", "json", "csv")
	q.refuse("not offered here: group_by gives the breakdown (filters would make totals of their own)", "region", "icb", "sector", "size_band")
	if raw && principal(c).Role != models.RoleAdmin {
		q.v.Add("disclosure", "only admin tokens may ask for raw figures")
	}
	if err := q.err(); err != nil {
		return reply{}, err
	}
	st, err := s.svc.AssuranceStatistics(c.Request.Context(), orgType, groupBy, !raw)
	if errors.Is(err, service.ErrAssuranceComputing) {
		c.Header("Retry-After", assuranceRetryAfter)
	}
	return ok(tabular(st, assuranceStatisticsCSV)), err
}

// assuranceRetryAfter is the Retry-After, in seconds, of a request for national assurance
// figures not computed yet: the leader takes a type asked for within a second, and its
// computation takes about a second for 100,000 staff and half a minute for the NHS.
const assuranceRetryAfter = "30"

func assuranceStatisticsCSV(st disclosure.AssuranceStatistics) ([]string, [][]cell) {
	header := []string{"group", "label", "indicator", "organisations", "meeting", "share_meeting", "headcount", "in_date", "as_of"}
	asOf := text(st.AsOf.Format(time.RFC3339))
	var rows [][]cell
	line := func(key, label string, in disclosure.IndicatorShare) {
		rows = append(rows, []cell{text(key), text(label), text(in.Indicator), figureCell(in.Organisations), figureCell(in.Meeting),
			floatCell(in.ShareMeeting), optionalFigureCell(in.Headcount), optionalFigureCell(in.InDate), asOf})
	}
	for _, in := range st.National {
		line("", "(national)", in)
	}
	for _, g := range st.Groups {
		for _, in := range g.Indicators {
			line(g.Group[st.GroupBy], g.Labels[st.GroupBy], in)
		}
	}
	return header, rows
}

// optionalFigureCell is a figure a line may not have: empty then, as when withheld.
func optionalFigureCell(f *disclosure.Figure) cell {
	if f == nil {
		return text("")
	}
	return figureCell(*f)
}
