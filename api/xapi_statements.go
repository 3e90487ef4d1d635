package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// postStatements godoc
// @Summary      Store xAPI statements
// @Description  The xAPI Statement Resource (POST): one statement or an array of up to 1,000, all or nothing, validated as the specification requires (400 naming the property at fault). Every valid statement is stored, whatever person and activity it names; the answer is the array of statement ids in order, generated for statements without one. Matching a statement to a person and a course, and the evidence that earns, is a second step whose outcome GET /api/v1/xapi/outcomes lists. A statement whose id is stored already changes nothing when it matches the stored one (the specification's comparison rules) and is 409 otherwise; two statements with one id in a batch are 400. A voiding statement (verb voided, a StatementRef object) voids your statement it names and retracts the evidence it conferred. application/json carries attachments by fileUrl; multipart/mixed carries their data. Authenticate with HTTP Basic (the LRS key and secret of a trainer token) or a bearer token.
// @ID           postStatements
// @Tags         xapi
// @Accept       json
// @Accept       multipart/mixed
// @Produce      json
// @Param        X-Experience-API-Version  header    string         true  "xAPI version: 1.0.x or 2.0.x"
// @Param        body                      body      XAPIStatement  true  "A statement, or an array of them"
// @Success      200                       {array}   string         "The statement ids, in order"
// @Failure      400                       {object}  problem.Problem  "Missing version header, malformed statement, an id repeated in the batch, attachment data missing or unclaimed"
// @Failure      401                       {object}  problem.Problem  "No valid credentials (WWW-Authenticate: Basic and Bearer)"
// @Failure      403                       {object}  problem.Problem
// @Failure      409                       {object}  problem.Problem  "A different statement is stored under an id"
// @Security     LRSBasic
// @Security     BearerAuth
// @Router       /xapi/statements [post]
func (s *Server) postStatements(c *gin.Context) (reply, error) {
	body, sent, err := readStatements(c)
	if err != nil {
		return reply{}, err
	}
	ids, err := s.svc.RecordStatements(c.Request.Context(), principal(c), xapiVersion(c), body, sent)
	return ok(ids), err
}

// putStatement godoc
// @Summary      Store one xAPI statement under an id
// @Description  The xAPI Statement Resource (PUT): stores the statement under statementId; an id in the statement must be the same. 204 when stored, and when the same statement was stored before; 409 when a different one was. Otherwise as POST.
// @ID           putStatement
// @Tags         xapi
// @Accept       json
// @Accept       multipart/mixed
// @Param        X-Experience-API-Version  header  string         true  "xAPI version: 1.0.x or 2.0.x"
// @Param        statementId               query   string         true  "The statement's id (a UUID)"
// @Param        body                      body    XAPIStatement  true  "The statement"
// @Success      204
// @Failure      400  {object}  problem.Problem  "Missing version header, statementId or malformed statement"
// @Failure      401  {object}  problem.Problem
// @Failure      403  {object}  problem.Problem
// @Failure      409  {object}  problem.Problem  "A different statement is stored under this id"
// @Security     LRSBasic
// @Security     BearerAuth
// @Router       /xapi/statements [put]
func (s *Server) putStatement(c *gin.Context) (reply, error) {
	if err := onlyParameters(c, "statementId"); err != nil {
		return reply{}, err
	}
	body, sent, err := readStatements(c)
	if err != nil {
		return reply{}, err
	}
	id := strings.ToLower(c.Query("statementId"))
	if err := s.svc.PutStatement(c.Request.Context(), principal(c), xapiVersion(c), id, body, sent); err != nil {
		return reply{}, err
	}
	return noContent(), nil
}

// StatementResult is a page of GET statements: the statements, and the path of the next
// page when there is one.
type StatementResult struct {
	Statements []XAPIStatement `json:"statements"`
	More       string          `json:"more" example:"/xapi/statements?cursor=eyJzIjoiMjAyNi0wMy0wMVQxNjozMDowMC4wMDBaIiwibiI6NDJ9"`
}

// getStatements godoc
// @Summary      Read xAPI statements
// @Description  The xAPI Statement Resource (GET and HEAD): one statement by statementId (404 when voided) or voidedStatementId (404 unless voided), or a StatementResult of your statements, newest stored first, filtered by agent (an Agent or identified Group as JSON; related_agents widens it to instructors, teams, context agents and SubStatements), verb, activity (related_activities widens it to context activities and SubStatements), registration, since (exclusive) and until (stored); statements targeting a matching statement match too. limit (0: 500, the most), ascending, format (exact as received; ids; canonical: the merged Activity definitions, one language per map by Accept-Language), attachments (true: multipart/mixed with the attachments' data). more is the next page's path. Any other parameter is 400. A provider reads only its own statements; an admin reads every provider's.
// @ID           getStatements
// @Tags         xapi
// @Produce      json
// @Param        X-Experience-API-Version  header    string  true   "xAPI version: 1.0.x or 2.0.x"
// @Param        statementId               query     string  false  "One statement"
// @Param        voidedStatementId         query     string  false  "One voided statement"
// @Param        agent                     query     string  false  "An Agent or identified Group, as JSON"
// @Param        verb                      query     string  false  "A verb id"
// @Param        activity                  query     string  false  "An activity id"
// @Param        registration              query     string  false  "A registration (UUID)"
// @Param        related_activities        query     bool    false  "Match activity anywhere in the statement"
// @Param        related_agents            query     bool    false  "Match agent anywhere in the statement"
// @Param        since                     query     string  false  "Stored after this instant"
// @Param        until                     query     string  false  "Stored at or before this instant"
// @Param        limit                     query     int     false  "Statements per page (0: the most, 500)"
// @Param        format                    query     string  false  "exact (default), ids or canonical"  Enums(exact,ids,canonical)
// @Param        attachments               query     bool    false  "Answer multipart/mixed with the attachments' data"
// @Param        ascending                 query     bool    false  "Oldest stored first"
// @Param        cursor                    query     string  false  "The position of a more link"
// @Success      200                       {object}  StatementResult  "A StatementResult, or one statement (an XAPIStatement) when statementId or voidedStatementId is given"
// @Header       200                       {string}  Last-Modified                        "When the (latest) statement was stored"
// @Failure      400                       {object}  problem.Problem  "An unknown parameter, a malformed value, filters beside statementId"
// @Failure      401                       {object}  problem.Problem
// @Failure      403                       {object}  problem.Problem
// @Failure      404                       {object}  problem.Problem  "No such statement of yours (or it is voided, or not)"
// @Security     LRSBasic
// @Security     BearerAuth
// @Router       /xapi/statements [get]
// @Router       /xapi/statements [head]
func (s *Server) getStatements(c *gin.Context) (reply, error) {
	q, err := xapi.ParseQuery(c.Request.URL.Query())
	if err != nil {
		return reply{}, err
	}
	page, err := s.svc.Statements(c.Request.Context(), principal(c), q, xapi.AcceptLanguages(c.GetHeader("Accept-Language")))
	if err != nil {
		return reply{}, err
	}
	if n := len(page.Stored); n > 0 {
		c.Header("Last-Modified", latestStored(page.Stored).UTC().Format(http.TimeFormat))
	}
	var body any = page.Statements
	if q.One() {
		body = page.Statements[0]
	} else {
		body = statementResult{Statements: page.Statements, More: moreLink(c.Request.URL.Query(), page.Next)}
	}
	if q.Attachments {
		return s.withAttachments(c, body, page.Stored)
	}
	return ok(body), nil
}

// statementResult is StatementResult as written: the statements as the format made them.
type statementResult struct {
	Statements []json.RawMessage `json:"statements"`
	More       string            `json:"more"`
}

// moreLink is the path of the page after next, with the request's other parameters.
func moreLink(params url.Values, next *xapi.Position) string {
	if next == nil {
		return ""
	}
	q := url.Values{}
	for k, v := range params {
		if k != "cursor" {
			q[k] = v
		}
	}
	q.Set("cursor", models.EncodeCursor(next))
	return xapiBase + "/statements?" + q.Encode()
}

func latestStored(stmts []xapi.Stored) time.Time {
	var out time.Time
	for _, s := range stmts {
		if s.Stored.After(out) {
			out = s.Stored
		}
	}
	return out
}

// onlyParameters refuses query parameters other than names (Communication 3.2: an LRS
// rejects parameters it does not recognise).
func onlyParameters(c *gin.Context, names ...string) error {
	var v models.Validator
	for k := range c.Request.URL.Query() {
		known := false
		for _, n := range names {
			known = known || k == n
		}
		v.Check(known, models.FieldName(k), "is not a parameter of this resource")
	}
	return v.Err()
}
