package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Tier is the code of one of a framework's tiers. The constants below are the tiers of
// the default framework, which group skills the way the UK government's cyber skills
// labour market survey measures gaps: basic technical tasks (aligned with Cyber
// Essentials), incident response, and advanced specialist skills. National statistics
// count by these three.
type Tier string

// The survey's three tiers.
const (
	TierBasic            Tier = "basic"
	TierIncidentResponse Tier = "incident_response"
	TierAdvanced         Tier = "advanced"
)

// Tiers lists the survey's tiers, from basic to advanced.
var Tiers = []Tier{TierBasic, TierIncidentResponse, TierAdvanced}

// Valid reports whether t is one of the survey's tiers.
func (t Tier) Valid() bool {
	return t == TierBasic || t == TierIncidentResponse || t == TierAdvanced
}

// SkillStatus says whether a skill is still part of its framework. Skills are never
// deleted, so that evidence recorded against them stays meaningful.
type SkillStatus string

// The skill statuses.
const (
	SkillActive     SkillStatus = "active"
	SkillDeprecated SkillStatus = "deprecated"
)

// Valid reports whether s is a known status.
func (s SkillStatus) Valid() bool { return s == SkillActive || s == SkillDeprecated }

// ProficiencyLevel is one step of a framework's proficiency scale.
type ProficiencyLevel struct {
	Level      int    `json:"level" example:"2"`
	Code       string `json:"code" example:"working"`
	Name       string `json:"name" example:"Working (with guidance)"`
	Descriptor string `json:"descriptor,omitempty" example:"Carries out routine tasks using procedures, with guidance or supervision."`
}

// SkillArea is a node of a framework's tree of skill areas. An area may sit in several
// places of the tree: under its parent and under each of its other parents.
type SkillArea struct {
	Code        string `json:"code" example:"device-protection"`
	Name        string `json:"name" example:"Devices and software"`
	Description string `json:"description,omitempty" example:"Keeping computers and phones free of malware and securely set up."`
	// Parent is the code of the enclosing area; empty for a top-level area.
	Parent string `json:"parent,omitempty" example:"cyber-hygiene"`
	// OtherParents are the codes of further areas the area also sits under.
	OtherParents []string `json:"other_parents,omitempty"`
	// Case keeps what a CASE package said about the area beyond these fields.
	Case *CaseSource `json:"case,omitempty"`
}

// SkillReference points at an external framework's definition of a skill, such as a NICE
// Framework work role or a CyBOK knowledge area.
type SkillReference struct {
	Scheme string `json:"scheme" example:"NICE"`
	ID     string `json:"id" example:"PD-WRL-003"`
	Label  string `json:"label,omitempty" example:"Incident Response"`
}

// Skill is one skill of a framework document.
type Skill struct {
	Code        string `json:"code" example:"firewall-config"`
	Name        string `json:"name" example:"Setting up configured firewalls"`
	Description string `json:"description,omitempty" example:"Setting up and maintaining firewalls so that only the traffic an organisation needs gets in or out."`
	// Area is the code of the skill's area; empty for a skill outside any area.
	Area string `json:"area,omitempty" example:"network-protection"`
	// OtherAreas are the codes of further areas the skill also sits under (a NICE
	// statement belongs to every work role that lists it).
	OtherAreas []string `json:"other_areas,omitempty"`
	// Tier is one of the framework's tiers (the default framework's: basic,
	// incident_response, advanced); empty in a framework without tiers.
	Tier Tier `json:"tier,omitempty" example:"basic"`
	// StatementType says whether the skill is a task, knowledge or a skill statement.
	StatementType StatementType `json:"statement_type,omitempty" enums:"task,knowledge,skill" example:"skill"`
	// Levels describes what the skill looks like at each level of the scale, keyed by
	// level number ("1", "2", ...).
	Levels     map[string]string `json:"levels,omitempty" example:"1:Knows why firewall defaults must be changed,3:Maintains rule sets independently"`
	References []SkillReference  `json:"references,omitempty"`
	// Status is active unless the skill has been retired; a superseded skill is deprecated.
	Status SkillStatus `json:"status,omitempty" enums:"active,deprecated" example:"active"`
	// SupersededBy is the code of the skill that replaces this one: evidence on this skill
	// then counts towards the replacement.
	SupersededBy string `json:"superseded_by,omitempty" example:""`
	// Case keeps what a CASE package said about the skill beyond these fields.
	Case *CaseSource `json:"case,omitempty"`
}

// Framework is a complete framework document: what POST and PUT take, what GET returns,
// and what each published version stores.
type Framework struct {
	Code string `json:"code" example:"cyber"`
	Name string `json:"name" example:"Cyber Security Skills Framework"`
	// Version is assigned on publication and ignored in requests.
	Version     int    `json:"version,omitempty" example:"1"`
	Publisher   string `json:"publisher,omitempty" example:"cyberskills"`
	Licence     string `json:"licence,omitempty" example:"CC BY 4.0"`
	Description string `json:"description,omitempty" example:"Cyber security skills from basic cyber hygiene to advanced forensics."`
	// Tiers are the framework's own tiers; a framework may have none. A document that
	// lists none but whose skills name tiers has the survey's three (SurveyTiers).
	Tiers  []FrameworkTier    `json:"tiers,omitempty"`
	Scale  []ProficiencyLevel `json:"scale"`
	Areas  []SkillArea        `json:"areas"`
	Skills []Skill            `json:"skills"`
	// Associations are links other than the area tree and supersession, kept as given.
	Associations []Association `json:"associations,omitempty"`
	// Case keeps what a CASE package said about the framework as a whole.
	Case *CaseDocumentSource `json:"case,omitempty"`
}

// FrameworkSummary is a framework as listed: its metadata and current version.
type FrameworkSummary struct {
	Code        string `json:"code" example:"cyber"`
	Name        string `json:"name" example:"Cyber Security Skills Framework"`
	Version     int    `json:"version" example:"3"`
	Publisher   string `json:"publisher,omitempty" example:"cyberskills"`
	Licence     string `json:"licence,omitempty" example:"CC BY 4.0"`
	Description string `json:"description,omitempty"`
	IsDefault   bool   `json:"is_default" example:"true"`
	Skills      int    `json:"skills" example:"17"` // active skills in the current version
	// Tiers are the codes of the framework's tiers; empty for a framework without any.
	Tiers       []string  `json:"tiers"`
	PublishedAt time.Time `json:"published_at"`
	CreatedAt   time.Time `json:"created_at"`
}

// SkillEntry is a skill as the catalogue holds it now: its stable identity and the
// content of the framework's current version.
type SkillEntry struct {
	ID        int64  `json:"id" example:"4"`
	Framework string `json:"framework" example:"cyber"`
	Skill
	// EffectiveID is the skill that evidence on this one counts towards: itself, or the
	// end of its supersession chain. Gap reports aggregate by it.
	EffectiveID   int64  `json:"effective_id" example:"4"`
	EffectiveCode string `json:"effective_code" example:"firewall-config"`
	// IntroducedVersion is the framework version in which the skill first appeared.
	IntroducedVersion int `json:"introduced_version" example:"1"`
	// SurveyTier is the default framework's tier the skill counts under in gap reports'
	// tier summaries and national statistics: its own tier when that is one of the
	// survey's three, else the most basic tier of the default framework's skills it is
	// mapped to; empty when neither.
	SurveyTier string `json:"survey_tier,omitempty" example:"basic"`
}

// DefaultScale is the proficiency scale of the default framework and of frameworks
// imported from CSV without one.
func DefaultScale() []ProficiencyLevel {
	return []ProficiencyLevel{
		{0, "none", "None", "No knowledge or experience of this skill."},
		{1, "awareness", "Awareness", "Knows what the skill is and why it matters; recognises when it applies and who to ask."},
		{2, "working", "Working (with guidance)", "Carries out routine tasks using procedures, with guidance or supervision."},
		{3, "practitioner", "Practitioner (independent)", "Works independently, handles non-routine situations and makes sound judgements."},
		{4, "expert", "Expert (leads, teaches)", "Leads, sets standards, teaches others and is consulted as an authority."},
	}
}

// Limits on a framework document, so that one upload cannot exhaust the service. CASE
// sets no length on statements, titles or notes; these bounds are far above what real
// frameworks write (the longest NICE statement has 324 characters).
const (
	MaxFrameworkSkills   = 20000
	MaxFrameworkAreas    = 5000
	MaxScaleLevel        = 10
	MaxFrameworkTiers    = 100
	MaxTextLength        = 10000  // names, statements, titles, level descriptors
	MaxDescriptionLength = 100000 // descriptions and notes
)

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidCode reports whether s may be the code of a framework, area, skill or level.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

const codeRule = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"

// LevelKey is the key of a level descriptor in Skill.Levels.
func LevelKey(level int) string { return strconv.Itoa(level) }

// DescribedLevels are the scale levels that skills may describe: every level above 0,
// since level 0 means no proficiency at all.
func DescribedLevels(scale []ProficiencyLevel) []int {
	var out []int
	for _, l := range scale {
		if l.Level > 0 {
			out = append(out, l.Level)
		}
	}
	return out
}

// Normalize trims the document's text, drops empty collections and fills the default
// status, so that equal content compares equal.
func (f *Framework) Normalize() {
	f.Code, f.Name = strings.TrimSpace(f.Code), strings.TrimSpace(f.Name)
	f.Publisher, f.Licence = strings.TrimSpace(f.Publisher), strings.TrimSpace(f.Licence)
	f.Description = strings.TrimSpace(f.Description)
	// Empty, not null, in JSON: the document always has all three lists.
	if f.Scale == nil {
		f.Scale = []ProficiencyLevel{}
	}
	if f.Areas == nil {
		f.Areas = []SkillArea{}
	}
	if f.Skills == nil {
		f.Skills = []Skill{}
	}
	for i := range f.Scale {
		l := &f.Scale[i]
		l.Code, l.Name, l.Descriptor = strings.TrimSpace(l.Code), strings.TrimSpace(l.Name), strings.TrimSpace(l.Descriptor)
	}
	for i := range f.Tiers {
		t := &f.Tiers[i]
		t.Code, t.Name, t.Description = strings.TrimSpace(t.Code), strings.TrimSpace(t.Name), strings.TrimSpace(t.Description)
	}
	for i := range f.Areas {
		a := &f.Areas[i]
		a.Code, a.Name = strings.TrimSpace(a.Code), strings.TrimSpace(a.Name)
		a.Description, a.Parent = strings.TrimSpace(a.Description), strings.TrimSpace(a.Parent)
		a.OtherParents = trimCodes(a.OtherParents)
		if a.Case.empty() {
			a.Case = nil
		}
	}
	tiered := false
	for i := range f.Skills {
		f.Skills[i].normalize()
		tiered = tiered || f.Skills[i].Tier != ""
	}
	if f.Tiers == nil && tiered {
		f.Tiers = SurveyTiers()
	}
	if len(f.Tiers) == 0 {
		f.Tiers = nil
	}
	for i := range f.Associations {
		f.Associations[i].normalize()
	}
	if len(f.Associations) == 0 {
		f.Associations = nil
	}
	if f.Case.empty() {
		f.Case = nil
	}
}

// trimCodes trims a list of codes, dropping empty ones; nil when none is left.
func trimCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (s *Skill) normalize() {
	s.Code, s.Name, s.Description = strings.TrimSpace(s.Code), strings.TrimSpace(s.Name), strings.TrimSpace(s.Description)
	s.Area, s.SupersededBy = strings.TrimSpace(s.Area), strings.TrimSpace(s.SupersededBy)
	s.OtherAreas = trimCodes(s.OtherAreas)
	s.Tier = Tier(strings.TrimSpace(string(s.Tier)))
	s.StatementType = StatementType(strings.TrimSpace(string(s.StatementType)))
	if s.Case.empty() {
		s.Case = nil
	}
	s.Status = SkillStatus(strings.TrimSpace(string(s.Status)))
	if s.Status == "" {
		s.Status = SkillActive
		if s.SupersededBy != "" {
			s.Status = SkillDeprecated // superseded implies retired
		}
	}
	levels := map[string]string{}
	for k, v := range s.Levels {
		if v = strings.TrimSpace(v); v != "" {
			levels[strings.TrimSpace(k)] = v
		}
	}
	s.Levels = nil
	if len(levels) > 0 {
		s.Levels = levels
	}
	refs := s.References[:0:0]
	for _, r := range s.References {
		r.Scheme, r.ID, r.Label = strings.TrimSpace(r.Scheme), strings.TrimSpace(r.ID), strings.TrimSpace(r.Label)
		refs = append(refs, r)
	}
	s.References = nil
	if len(refs) > 0 {
		s.References = refs
	}
}
