package models

import (
	"net/url"
	"strconv"
	"time"
)

// Evidence is one append-only record backing a person's level in a skill.
type Evidence struct {
	ID               int64      `json:"id" example:"4711"`
	Skill            string     `json:"skill" example:"firewall-config"`
	Framework        string     `json:"framework" example:"cyber"`
	FrameworkVersion int        `json:"framework_version" example:"1"`
	Level            int        `json:"level" example:"3"`
	Source           Source     `json:"source" enums:"self,manager,assessment,certification,training,import" example:"certification"`
	AssessedAt       time.Time  `json:"assessed_at" example:"2026-03-01T09:00:00Z"`
	ExpiresAt        *time.Time `json:"expires_at,omitempty" example:"2029-03-01T00:00:00Z"`
	Assessor         string     `json:"assessor,omitempty" example:"CompTIA"`
	Note             string     `json:"note,omitempty" example:"Security+ certificate"`
	EvidenceURL      string     `json:"evidence_url,omitempty" example:"https://lms.example.nhs.uk/certificates/123"`
	Retracts         *int64     `json:"retracts,omitempty" example:"4700"`     // this record withdraws that one
	RetractedBy      *int64     `json:"retracted_by,omitempty" example:"4712"` // a later record withdrew this one
	RecordedAt       time.Time  `json:"recorded_at" example:"2026-03-01T09:00:05Z"`
	Origin           Origin     `json:"origin"`
}

// Origin says what created an evidence record, so that a level can be traced to its
// source: a training provider's completion or xAPI statement, an import job, or a token
// that posted it on its own.
type Origin struct {
	// Kind is completion, statement (xAPI), import, api (posted one at a time), or
	// unknown (recorded before the service kept its origin, or by a script).
	Kind         string `json:"kind" enums:"completion,statement,import,api,unknown" example:"import"`
	Provider     string `json:"provider,omitempty" example:"nhs-digital-academy"`  // of a completion or statement
	CompletionID string `json:"completion_id,omitempty" example:"LMS-2026-000123"` // the provider's id of the completion
	StatementID  string `json:"statement_id,omitempty" example:"3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c"`
	ImportJob    int64  `json:"import_job,omitempty" example:"12"` // GET /api/v1/jobs/{id}
	Token        int64  `json:"token,omitempty" example:"7"`       // the token that sent it, whatever the kind
}

// NewOrigin is the origin of a record from what it refers to: an xAPI statement before
// the completion it stands for, a completion before an import, an import before the
// token that sent it.
func NewOrigin(provider, completionID, statementID string, importJob, token int64) Origin {
	o := Origin{Provider: provider, CompletionID: completionID, StatementID: statementID, ImportJob: importJob, Token: token}
	switch {
	case statementID != "":
		o.Kind = "statement"
	case completionID != "":
		o.Kind = "completion"
	case importJob != 0:
		o.Kind = "import"
	case token != 0:
		o.Kind = "api"
	default:
		o.Kind = "unknown"
	}
	return o
}

// NewEvidence is evidence as submitted. A retraction names the record it withdraws and
// carries no level of its own.
type NewEvidence struct {
	Skill       string     `json:"skill,omitempty" example:"firewall-config"`
	Framework   string     `json:"framework,omitempty" example:"cyber"` // default: the default framework
	Level       *int       `json:"level,omitempty" example:"3"`
	Source      Source     `json:"source" enums:"self,manager,assessment,certification,training,import" example:"manager"`
	AssessedAt  *time.Time `json:"assessed_at,omitempty" example:"2026-03-01T09:00:00Z"` // default: now
	ExpiresAt   *time.Time `json:"expires_at,omitempty" example:"2029-03-01T00:00:00Z"`
	Assessor    string     `json:"assessor,omitempty" example:"J. Smith (line manager)"`
	Note        string     `json:"note,omitempty" example:"Configured the new perimeter firewall unaided"`
	EvidenceURL string     `json:"evidence_url,omitempty" example:"https://lms.example.nhs.uk/certificates/123"`
	Retracts    int64      `json:"retracts,omitempty" example:"0"`
}

// Validate checks the record as submitted, judging dates against now.
func (e NewEvidence) Validate(now time.Time) error {
	var v Validator
	e.CheckInto(&v, "", now)
	return v.Err()
}

// CheckInto adds e's field errors to v under prefix, judging dates against now.
func (e NewEvidence) CheckInto(v *Validator, prefix string, now time.Time) {
	v.Check(e.Source.Valid(), prefix+"source", "must be one of self, manager, assessment, certification, training, import")
	if e.Retracts != 0 {
		v.Check(e.Retracts > 0, prefix+"retracts", "must be the id of an evidence record")
		v.Check(e.Level == nil, prefix+"level", "must be absent on a retraction")
		v.Check(e.ExpiresAt == nil, prefix+"expires_at", "must be absent on a retraction")
		return
	}
	v.Check(e.Skill != "", prefix+"skill", "is required")
	v.Check(e.Level != nil && *e.Level >= 0 && *e.Level <= MaxLevel, prefix+"level", "is required, between 0 and "+strconv.Itoa(MaxLevel))
	assessed := now
	if e.AssessedAt != nil {
		assessed = *e.AssessedAt
		v.Check(!assessed.After(now.Add(5*time.Minute)), prefix+"assessed_at", "must not be in the future")
		v.CheckTime(e.AssessedAt, prefix+"assessed_at")
	}
	v.CheckTime(e.ExpiresAt, prefix+"expires_at")
	v.Check(e.ExpiresAt == nil || e.ExpiresAt.After(assessed), prefix+"expires_at", "must be after assessed_at")
	v.Check(len(e.Assessor) <= 200, prefix+"assessor", "must be at most 200 characters")
	v.Check(len(e.Note) <= 2000, prefix+"note", "must be at most 2000 characters")
	if e.EvidenceURL != "" {
		u, err := url.Parse(e.EvidenceURL)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(e.EvidenceURL) <= 2000,
			prefix+"evidence_url", "must be an http(s) URL")
	}
}

// Competency is a person's current level in one skill, with what their role asks.
type Competency struct {
	Skill         string     `json:"skill" example:"firewall-config"`
	Name          string     `json:"name" example:"Firewall configuration"`
	Tier          string     `json:"tier" example:"basic"`
	VerifiedLevel int        `json:"verified_level" example:"3"`
	VerifiedUntil *time.Time `json:"verified_until,omitempty"` // when the verified level may next fall
	SelfLevel     *int       `json:"self_level,omitempty" example:"4"`
	RequiredLevel int        `json:"required_level" example:"3"` // by their role; 0 when not required
	Criticality   string     `json:"criticality,omitempty" example:"essential"`
	Depth         int        `json:"depth" example:"0"` // levels missing on the verified basis
}

// Lapse is a verified level that falls within a window because its evidence expires,
// with the gap the lapse would open.
type Lapse struct {
	Organisation   string    `json:"organisation" example:"RJ1"`
	ExternalID     string    `json:"external_id" example:"E10234"`
	Role           string    `json:"role,omitempty" example:"network-engineer"`
	Skill          string    `json:"skill" example:"firewall-config"`
	Tier           string    `json:"tier" example:"basic"`
	Level          int       `json:"level" example:"3"`
	LapsesAt       time.Time `json:"lapses_at" example:"2027-01-31T00:00:00Z"`
	LevelAfter     int       `json:"level_after" example:"1"`
	RequiredLevel  int       `json:"required_level" example:"3"`
	Essential      bool      `json:"essential" example:"true"`
	DepthAfter     int       `json:"depth_after" example:"2"`
	OpensRoleGap   bool      `json:"opens_role_gap" example:"true"` // the person stops meeting their role's requirement
	TargetLevel    int       `json:"target_level,omitempty" example:"3"`
	TargetHolders  int       `json:"target_holders,omitempty" example:"2"` // holders of the target level now
	MinHeadcount   int       `json:"min_headcount,omitempty" example:"2"`
	OpensTargetGap bool      `json:"opens_target_gap" example:"true"` // the organisation drops below its target
}
