package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/models/xapi"
)

// XAPIAbout is the About resource: the versions this LRS speaks.
type XAPIAbout struct {
	Version    []string       `json:"version" example:"1.0.3,2.0.0"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// getAbout godoc
// @Summary      About this LRS
// @Description  The xAPI About resource: the versions of the specification this LRS speaks, 1.0.3 and 2.0.0. It needs no credentials and answers whatever the version header says.
// @ID           getAbout
// @Tags         xapi
// @Produce      json
// @Success      200  {object}  XAPIAbout
// @Router       /xapi/about [get]
// @Router       /xapi/about [head]
func (s *Server) getAbout(c *gin.Context) (reply, error) {
	if err := onlyParameters(c); err != nil {
		return reply{}, err
	}
	return ok(XAPIAbout{Version: xapi.Versions}), nil
}

// getActivity godoc
// @Summary      An xAPI Activity
// @Description  The xAPI Activities resource: the Activity with your definition of it, merged from every statement of yours that described it (language maps keep every language). An Activity none of your statements described has only its id.
// @ID           getActivity
// @Tags         xapi
// @Produce      json
// @Param        X-Experience-API-Version  header    string  true  "xAPI version: 1.0.x or 2.0.x"
// @Param        activityId                query     string  true  "The Activity's id (an IRI)"
// @Success      200                       {object}  XAPIActivity
// @Failure      400                       {object}  problem.Problem
// @Failure      401                       {object}  problem.Problem
// @Failure      403                       {object}  problem.Problem
// @Security     LRSBasic
// @Security     BearerAuth
// @Router       /xapi/activities [get]
// @Router       /xapi/activities [head]
func (s *Server) getActivity(c *gin.Context) (reply, error) {
	if err := onlyParameters(c, "activityId"); err != nil {
		return reply{}, err
	}
	id := c.Query("activityId")
	if !models.ValidIRI(id) {
		return reply{}, models.Invalid(models.FieldError{Field: "activityId", Message: "is required: an Activity's id (an IRI)"})
	}
	a, err := s.svc.Activity(c.Request.Context(), principal(c), id)
	return ok(a), err
}

// XAPIPerson is the Agents resource's answer: the identifiers of one person.
type XAPIPerson struct {
	ObjectType  string        `json:"objectType" example:"Person"`
	Name        []string      `json:"name,omitempty" example:"A. Patel"`
	Mbox        []string      `json:"mbox,omitempty" example:"mailto:a.patel@nhs.net"`
	MboxSHA1Sum []string      `json:"mbox_sha1sum,omitempty"`
	OpenID      []string      `json:"openid,omitempty"`
	Account     []XAPIAccount `json:"account,omitempty"`
}

// getAgent godoc
// @Summary      An xAPI Person
// @Description  The xAPI Agents resource: the Person an Agent is. This LRS does not join identifiers into people (that would tell one provider what another's LMS calls someone), so the Person holds the identifier and name given.
// @ID           getAgent
// @Tags         xapi
// @Produce      json
// @Param        X-Experience-API-Version  header    string  true  "xAPI version: 1.0.x or 2.0.x"
// @Param        agent                     query     string  true  "An Agent, as JSON"
// @Success      200                       {object}  XAPIPerson
// @Failure      400                       {object}  problem.Problem
// @Failure      401                       {object}  problem.Problem
// @Failure      403                       {object}  problem.Problem
// @Security     LRSBasic
// @Security     BearerAuth
// @Router       /xapi/agents [get]
// @Router       /xapi/agents [head]
func (s *Server) getAgent(c *gin.Context) (reply, error) {
	if err := onlyParameters(c, "agent"); err != nil {
		return reply{}, err
	}
	a, err := xapi.ParseAgent(c.Query("agent"))
	if err != nil {
		return reply{}, err
	}
	return ok(xapi.Person(a)), nil
}

// xapiDocuments answers the document resources (State, Activity Profile, Agent Profile),
// which this LRS does not provide: it turns statements into evidence and keeps no
// documents for learning content (which would be personal data about each learner, kept
// for nothing the service does). Every method answers 501 once the request is otherwise
// valid (authenticated, with a version header). They are not in the OpenAPI description
// (xapiDocumentPaths).
func xapiDocuments(*gin.Context) (reply, error) {
	return reply{}, models.Errorf(problem.EUNSUPPORTED,
		"this LRS keeps no documents: the State, Activity Profile and Agent Profile resources are not provided")
}
