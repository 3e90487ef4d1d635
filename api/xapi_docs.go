package api

// The types below document, for the OpenAPI description, the parts of an xAPI statement
// that the service reads. Statements are not decoded into them: they are validated as the
// xAPI specification says (models/xapi), and any property it allows is accepted and kept
// as received.

// XAPIStatement is an xAPI statement (https://github.com/adlnet/xAPI-Spec).
type XAPIStatement struct {
	ID    string    `json:"id,omitempty" format:"uuid" example:"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"`
	Actor XAPIAgent `json:"actor"`
	Verb  XAPIVerb  `json:"verb"`
	// Object is an Activity (XAPIActivity), an Agent or Group, a StatementRef or a SubStatement.
	Object  map[string]any `json:"object" swaggertype:"object"`
	Result  *XAPIResult    `json:"result,omitempty"`
	Context *XAPIContext   `json:"context,omitempty"`
	// Timestamp is ISO 8601 (RFC 3339, or its extended form without seconds), with a time zone.
	Timestamp string     `json:"timestamp,omitempty" example:"2026-03-01T16:30:00Z"`
	Version   string     `json:"version,omitempty" example:"1.0.0"`
	Stored    string     `json:"stored,omitempty" example:"2026-03-01T16:30:00.123Z"`
	Authority *XAPIAgent `json:"authority,omitempty"`
	Attached  []any      `json:"attachments,omitempty"`
}

// XAPIAgent is the person, by one identifier: an account (homePage and name), mbox,
// mbox_sha1sum or openid; or a Group, identified so or anonymous, with its members.
type XAPIAgent struct {
	ObjectType  string       `json:"objectType,omitempty" enums:"Agent,Group" example:"Agent"`
	Name        string       `json:"name,omitempty" example:"A. Patel"`
	Mbox        string       `json:"mbox,omitempty" example:"mailto:a.patel@nhs.net"`
	MboxSHA1Sum string       `json:"mbox_sha1sum,omitempty"`
	OpenID      string       `json:"openid,omitempty"`
	Account     *XAPIAccount `json:"account,omitempty"`
	// Member are a Group's members (Agents).
	Member []XAPIAgent `json:"member,omitempty"`
}

// XAPIAccount names a person on a system: the organisation's homePage and their external id.
type XAPIAccount struct {
	HomePage string `json:"homePage" example:"https://lms.example.nhs.uk/orgs/RJ1"`
	Name     string `json:"name" example:"E10234"`
}

// XAPIVerb is what happened; completed, passed and failed mean something to the service.
type XAPIVerb struct {
	ID      string            `json:"id" example:"http://adlnet.gov/expapi/verbs/passed"`
	Display map[string]string `json:"display,omitempty"`
}

// XAPIActivity is the course, named by its activity IRI.
type XAPIActivity struct {
	ObjectType string         `json:"objectType,omitempty" example:"Activity"`
	ID         string         `json:"id" example:"https://academy.example.nhs.uk/xapi/courses/fw-201"`
	Definition map[string]any `json:"definition,omitempty"`
}

// XAPIResult is the outcome; success false makes completed or passed a failure.
type XAPIResult struct {
	Success    *bool          `json:"success,omitempty" example:"true"`
	Completion *bool          `json:"completion,omitempty" example:"true"`
	Score      *XAPIScore     `json:"score,omitempty"`
	Duration   string         `json:"duration,omitempty" example:"PT4H35M"`
	Response   string         `json:"response,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// XAPIScore is a score; scaled runs from -1 to 1.
type XAPIScore struct {
	Scaled *float64 `json:"scaled,omitempty" example:"0.87"`
	Raw    *float64 `json:"raw,omitempty" example:"87"`
	Min    *float64 `json:"min,omitempty" example:"0"`
	Max    *float64 `json:"max,omitempty" example:"100"`
}

// XAPIContext gives the statement more meaning; it is stored, not read.
type XAPIContext struct {
	Registration      string         `json:"registration,omitempty" format:"uuid" example:"ec531277-b57b-4c15-8d91-d292c5b2b8f7"`
	Instructor        *XAPIAgent     `json:"instructor,omitempty"`
	Team              map[string]any `json:"team,omitempty"`
	ContextActivities map[string]any `json:"contextActivities,omitempty"`
	ContextAgents     []any          `json:"contextAgents,omitempty"`
	ContextGroups     []any          `json:"contextGroups,omitempty"`
	Revision          string         `json:"revision,omitempty"`
	Platform          string         `json:"platform,omitempty" example:"Academy LMS"`
	Language          string         `json:"language,omitempty" example:"en-GB"`
	Statement         map[string]any `json:"statement,omitempty"`
	Extensions        map[string]any `json:"extensions,omitempty"`
}
