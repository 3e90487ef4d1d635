package api

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// XAPIVersionHeader is the header every xAPI request must carry and every response echoes.
const XAPIVersionHeader = "X-Experience-API-Version"

// xapiLatest is the version answered when a request names none this service speaks.
const xapiLatest = "2.0.0"

// xapiExchange sets the xAPI response headers and checks the request's version.
func xapiExchange(c *gin.Context) error {
	v := c.GetHeader(XAPIVersionHeader)
	ok := xapi.VersionSupported(v)
	if ok {
		c.Header(XAPIVersionHeader, v)
	} else {
		c.Header(XAPIVersionHeader, xapiLatest)
	}
	// Statements are available for retrieval as soon as they are accepted.
	c.Header("X-Experience-API-Consistent-Through", now(c).Format(time.RFC3339Nano))
	if !ok {
		return models.Invalid(models.FieldError{Field: XAPIVersionHeader, Message: "header is required: 1.0.x or 2.0.x"})
	}
	return nil
}

// readStatementBody checks the exchange and reads the body, which holds a statement or
// statements: the service parses them.
func readStatementBody(c *gin.Context) (json.RawMessage, error) {
	if err := xapiExchange(c); err != nil {
		return nil, err
	}
	if err := requireMediaType(c, "application/json"); err != nil {
		return nil, err
	}
	var body json.RawMessage
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		return nil, err
	}
	return body, nil
}

// postStatements godoc
// @Summary      Store xAPI statements
// @Description  The xAPI Statement Resource (POST): one statement or an array, all or nothing; the answer is the array of statement ids in order, generated for statements without one. A statement whose id is stored already changes nothing when it matches the stored one (the specification's comparison rules: authority, stored, version, timestamp serialisation, verb display, activity definitions and property order are ignored) and is 409 otherwise; two statements with one id in a batch are 400. The actor must be a staff member: account.homePage is the xAPI home page an administrator set for the organisation (compared in normal form: scheme and host case, default port, trailing slash and percent-encoding do not matter; nothing is guessed from the URL), account.name the staff external id; or an mbox matching a staff e-mail. object.id must be the activity IRI of one of your courses. Verbs completed and passed (unless result.success is false) create training evidence as a passed completion does; failed grants nothing; both close an open enrolment. Other verbs are stored and ignored. Statements are kept as received.
// @ID           postStatements
// @Tags         training
// @Accept       json
// @Produce      json
// @Param        X-Experience-API-Version  header    string         true  "xAPI version: 1.0.x or 2.0.x; echoed on the response"
// @Param        body                      body      XAPIStatement  true  "A statement, or an array of them"
// @Success      200                       {array}   string         "The statement ids, in order"
// @Failure      400                       {object}  problem.Problem  "Missing version header, malformed statement, or an id repeated in the batch"
// @Failure      403                       {object}  problem.Problem
// @Failure      409                       {object}  problem.Problem  "A different statement is stored under an id"
// @Failure      422                       {object}  problem.Problem  "Unknown actor or activity, each statement named"
// @Security     BearerAuth
// @Router       /api/v1/xapi/statements [post]
func (s *Server) postStatements(c *gin.Context) (reply, error) {
	body, err := readStatementBody(c)
	if err != nil {
		return reply{}, err
	}
	ids, err := s.svc.RecordStatements(c.Request.Context(), principal(c), body)
	return ok(ids), err
}

// putStatement godoc
// @Summary      Store one xAPI statement under an id
// @Description  The xAPI Statement Resource (PUT): stores the statement under statementId; an id in the statement must be the same. 204 when stored, and when the same statement was stored before; 409 when a different one was. Otherwise as POST.
// @ID           putStatement
// @Tags         training
// @Accept       json
// @Param        X-Experience-API-Version  header  string         true  "xAPI version: 1.0.x or 2.0.x; echoed on the response"
// @Param        statementId               query   string         true  "The statement's id (a UUID)"
// @Param        body                      body    XAPIStatement  true  "The statement"
// @Success      204
// @Failure      400  {object}  problem.Problem  "Missing version header, statementId or malformed statement"
// @Failure      403  {object}  problem.Problem
// @Failure      409  {object}  problem.Problem  "A different statement is stored under this id"
// @Failure      422  {object}  problem.Problem  "Unknown actor or activity"
// @Security     BearerAuth
// @Router       /api/v1/xapi/statements [put]
func (s *Server) putStatement(c *gin.Context) (reply, error) {
	body, err := readStatementBody(c)
	if err != nil {
		return reply{}, err
	}
	id := strings.ToLower(c.Query("statementId"))
	if err := s.svc.PutStatement(c.Request.Context(), principal(c), id, body); err != nil {
		return reply{}, err
	}
	return noContent(), nil
}
