package xapi

import "time"

// What became of a stored statement, as its provider follows it (match_status).
const (
	StatusConferred = "conferred" // matched, and it earned the course's evidence
	StatusMatched   = "matched"   // a person and a course, but it earns nothing (a failure, or not what the course's rule asks)
	StatusUnmatched = "unmatched" // it could earn evidence, but names no person or course known here: Reason says which
	StatusIgnored   = "ignored"   // its verb earns no evidence, or it voids another statement
	StatusVoided    = "voided"    // a voiding statement voided it; evidence it earned was retracted
)

// Statuses lists every status.
var Statuses = []string{StatusConferred, StatusMatched, StatusUnmatched, StatusIgnored, StatusVoided}

// Outcome is what became of one statement: the second step after storing it. It says
// nothing about the person beyond what the statement itself says.
type Outcome struct {
	StatementID string    `json:"statement_id" example:"3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c"`
	Provider    string    `json:"provider" example:"acme-training"`
	Stored      time.Time `json:"stored"`
	Verb        string    `json:"verb" example:"http://adlnet.gov/expapi/verbs/completed"`
	Activity    string    `json:"activity,omitempty" example:"https://moodle.example.nhs.uk/course/view.php?id=42"`
	Status      string    `json:"status" enums:"conferred,matched,unmatched,ignored,voided" example:"unmatched"`
	Reason      string    `json:"reason,omitempty" example:"actor: names no staff member known here"`
	Course      string    `json:"course,omitempty" example:"FW-201"`
}

// OutcomeFilter selects outcomes: of one status, stored since an instant.
type OutcomeFilter struct {
	Status string
	Since  *time.Time
}
