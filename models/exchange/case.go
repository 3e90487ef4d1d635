package exchange

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strings"

	"cyberskills/models"
)

// The types below are the 1EdTech Competencies and Academic Standards Exchange (CASE)
// 1.1 JSON binding of a package. Each object type carries, in Extra, the fields of the
// package that its Go fields do not name (education levels, list enumerations, subjects,
// other parties' fields...), so that nothing a package says is lost between decoding and
// encoding: MarshalJSON writes Extra beside the named fields.

// CFPackage is a whole framework in CASE form: its document, items, associations,
// definitions and rubrics.
type CFPackage struct {
	CFDocument     CFDocument      `json:"CFDocument"`
	CFItems        []CFItem        `json:"CFItems"`
	CFAssociations []CFAssociation `json:"CFAssociations"`
	CFDefinitions  *CFDefinitions  `json:"CFDefinitions,omitempty"`
	CFRubrics      []CFRubric      `json:"CFRubrics,omitempty"`
	// Extra holds package-level fields other than the five above (CASE 1.1 extensions).
	Extra models.CaseRecord `json:"-"`
}

// LinkURI points at another CASE object.
type LinkURI struct {
	Title      string `json:"title,omitempty"`
	Identifier string `json:"identifier" example:"1b4e28ba-2fa1-5d2a-883f-0016d3cca427"`
	URI        string `json:"uri,omitempty" example:"urn:uuid:1b4e28ba-2fa1-5d2a-883f-0016d3cca427"`
}

// CFDocument describes the framework as a whole.
type CFDocument struct {
	Identifier         string   `json:"identifier"`
	URI                string   `json:"uri,omitempty"`
	CaseVersion        string   `json:"caseVersion,omitempty" example:"1.1"`
	Creator            string   `json:"creator,omitempty"`
	Title              string   `json:"title,omitempty"`
	LastChangeDateTime string   `json:"lastChangeDateTime,omitempty" example:"2026-01-31T09:00:00Z"`
	Publisher          string   `json:"publisher,omitempty"`
	Description        string   `json:"description,omitempty"`
	Language           string   `json:"language,omitempty" example:"en"`
	Version            string   `json:"version,omitempty" example:"1"`
	AdoptionStatus     string   `json:"adoptionStatus,omitempty" example:"Adopted"`
	LicenseURI         *LinkURI `json:"licenseURI,omitempty"`
	Notes              string   `json:"notes,omitempty"`
	// Extensions carries {"cyberskills": {"code": "...", "tiers": [...]}}: the framework's
	// code and tiers.
	Extensions json.RawMessage `json:"extensions,omitempty" swaggertype:"object"`
	// Extra holds the document's other fields (subject, officialSourceURL, statusStartDate...).
	Extra models.CaseRecord `json:"-"`
}

// CFItem is one skill or skill area.
type CFItem struct {
	Identifier           string   `json:"identifier"`
	URI                  string   `json:"uri,omitempty"`
	FullStatement        string   `json:"fullStatement,omitempty"`
	AbbreviatedStatement string   `json:"abbreviatedStatement,omitempty"`
	HumanCodingScheme    string   `json:"humanCodingScheme,omitempty" example:"firewall-config"`
	Notes                string   `json:"notes,omitempty"`
	Language             string   `json:"language,omitempty" example:"en"`
	CFItemType           string   `json:"CFItemType,omitempty" example:"Skill"`
	CFItemTypeURI        *LinkURI `json:"CFItemTypeURI,omitempty"`
	CFDocumentURI        *LinkURI `json:"CFDocumentURI,omitempty"`
	LastChangeDateTime   string   `json:"lastChangeDateTime,omitempty"`
	// Extensions carries {"cyberskills": {"tier", "status", "statement_type", "references"}} on skills.
	Extensions json.RawMessage `json:"extensions,omitempty" swaggertype:"object"`
	// Extra holds the item's other fields (educationLevel, listEnumeration, subject...).
	Extra models.CaseRecord `json:"-"`
}

// CFAssociation links two nodes: isChildOf builds the tree, replacedBy records
// supersession, and every other type (exactMatchOf, isRelatedTo, precedes, exemplar...)
// is kept as the framework's associations.
type CFAssociation struct {
	Identifier         string   `json:"identifier"`
	URI                string   `json:"uri,omitempty"`
	AssociationType    string   `json:"associationType" example:"isChildOf"`
	SequenceNumber     int      `json:"sequenceNumber,omitempty" example:"1"`
	OriginNodeURI      LinkURI  `json:"originNodeURI"`
	DestinationNodeURI LinkURI  `json:"destinationNodeURI"`
	CFDocumentURI      *LinkURI `json:"CFDocumentURI,omitempty"`
	LastChangeDateTime string   `json:"lastChangeDateTime,omitempty"`
	// Extra holds the association's other fields (notes, CFAssociationGroupingURI...).
	Extra models.CaseRecord `json:"-"`
}

// CFDefinitions holds the item types and licences the package refers to.
type CFDefinitions struct {
	CFItemTypes []CFItemTypeDefinition `json:"CFItemTypes,omitempty"`
	CFLicenses  []CFLicense            `json:"CFLicenses,omitempty"`
	// Extra holds the other definitions (CFConcepts, CFSubjects, CFAssociationGroupings).
	Extra models.CaseRecord `json:"-"`
}

// CFItemTypeDefinition defines an item type such as "Skill".
type CFItemTypeDefinition struct {
	Identifier         string `json:"identifier"`
	URI                string `json:"uri,omitempty"`
	Title              string `json:"title,omitempty"`
	Description        string `json:"description,omitempty"`
	HierarchyCode      string `json:"hierarchyCode,omitempty"`
	TypeCode           string `json:"typeCode,omitempty"`
	LastChangeDateTime string `json:"lastChangeDateTime,omitempty"`
}

// CFLicense is the licence under which the framework is published.
type CFLicense struct {
	Identifier         string `json:"identifier"`
	URI                string `json:"uri,omitempty"`
	Title              string `json:"title,omitempty"`
	LicenseText        string `json:"licenseText,omitempty"`
	LastChangeDateTime string `json:"lastChangeDateTime,omitempty"`
}

// CFRubric carries the proficiency scale (a criterion without an item) and each skill's
// level descriptors (a criterion per skill, its levels scored by level number).
type CFRubric struct {
	Identifier         string              `json:"identifier"`
	URI                string              `json:"uri,omitempty"`
	Title              string              `json:"title,omitempty"`
	Description        string              `json:"description,omitempty"`
	LastChangeDateTime string              `json:"lastChangeDateTime,omitempty"`
	CFRubricCriteria   []CFRubricCriterion `json:"CFRubricCriteria"`
}

// CFRubricCriterion is the scale, or one skill's descriptors.
type CFRubricCriterion struct {
	Identifier              string                   `json:"identifier"`
	URI                     string                   `json:"uri,omitempty"`
	Category                string                   `json:"category,omitempty"`
	Description             string                   `json:"description,omitempty"`
	CFItemURI               *LinkURI                 `json:"CFItemURI,omitempty"`
	Position                int                      `json:"position"`
	RubricID                string                   `json:"rubricId,omitempty"`
	LastChangeDateTime      string                   `json:"lastChangeDateTime,omitempty"`
	CFRubricCriterionLevels []CFRubricCriterionLevel `json:"CFRubricCriterionLevels"`
}

// CFRubricCriterionLevel is one level: its number is the score, its name the quality.
type CFRubricCriterionLevel struct {
	Identifier         string  `json:"identifier"`
	URI                string  `json:"uri,omitempty"`
	Description        string  `json:"description,omitempty"`
	Quality            string  `json:"quality,omitempty" example:"Working (with guidance)"`
	Score              float64 `json:"score" example:"2"`
	Position           int     `json:"position"`
	RubricCriterionID  string  `json:"rubricCriterionId,omitempty"`
	LastChangeDateTime string  `json:"lastChangeDateTime,omitempty"`
	// Extensions carries {"cyberskills": {"code": "..."}}: the level's code.
	Extensions json.RawMessage `json:"extensions,omitempty" swaggertype:"object"`
}

// MarshalJSON writes the package with its extra fields.
func (p CFPackage) MarshalJSON() ([]byte, error) {
	type plain CFPackage
	return withExtra(plain(p), p.Extra)
}

// MarshalJSON writes the document with its extra fields.
func (d CFDocument) MarshalJSON() ([]byte, error) {
	type plain CFDocument
	return withExtra(plain(d), d.Extra)
}

// MarshalJSON writes the item with its extra fields.
func (it CFItem) MarshalJSON() ([]byte, error) {
	type plain CFItem
	return withExtra(plain(it), it.Extra)
}

// MarshalJSON writes the association with its extra fields.
func (a CFAssociation) MarshalJSON() ([]byte, error) {
	type plain CFAssociation
	return withExtra(plain(a), a.Extra)
}

// MarshalJSON writes the definitions with their extra fields.
func (d CFDefinitions) MarshalJSON() ([]byte, error) {
	type plain CFDefinitions
	return withExtra(plain(d), d.Extra)
}

// withExtra encodes v, a struct, with the fields of extra that it does not set itself.
func withExtra(v any, extra models.CaseRecord) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, x := range extra {
		if _, set := m[k]; set {
			continue
		}
		if m[k], err = json.Marshal(x); err != nil {
			return nil, err
		}
	}
	return json.Marshal(m)
}

// record is the CASE object v (a struct of this file, or a record already) as a record:
// every field it writes, named as CASE names it. Empty text is no value, and nor is an
// object left empty without it (a link {"": ""} is no link).
func record(v any) models.CaseRecord {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var r models.CaseRecord
	if json.Unmarshal(b, &r) != nil {
		return nil
	}
	dropEmptyText(map[string]any(r))
	return r
}

func dropEmptyText(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case string:
			if x == "" {
				delete(m, k)
			}
		case map[string]any:
			if dropEmptyText(x); len(x) == 0 {
				delete(m, k)
			}
		}
	}
}

// fromRecord fills the struct dst from a record in CASE 1.1's shapes and returns the
// record's fields that dst has no field for.
func fromRecord(r models.CaseRecord, dst any) models.CaseRecord {
	b, _ := json.Marshal(r)
	_ = json.Unmarshal(b, dst) // shapes were made canonical by DecodeCASEPackage
	named := record(dst)
	var extra models.CaseRecord
	for k, x := range r {
		if _, ok := named[k]; ok {
			continue
		}
		if extra == nil {
			extra = models.CaseRecord{}
		}
		extra[k] = x
	}
	return extra
}

// CaseExtension is what cyberskills adds under "extensions": {"cyberskills": {...}} to
// carry what CASE has no field for.
type CaseExtension struct {
	Code          string                  `json:"code,omitempty"`
	Tiers         []models.FrameworkTier  `json:"tiers,omitempty"`
	Tier          models.Tier             `json:"tier,omitempty"`
	Status        models.SkillStatus      `json:"status,omitempty"`
	StatementType models.StatementType    `json:"statement_type,omitempty"`
	References    []models.SkillReference `json:"references,omitempty"`
}

type caseExtensions struct {
	Cyberskills *CaseExtension `json:"cyberskills,omitempty"`
}

func (e CaseExtension) raw() json.RawMessage {
	b, _ := json.Marshal(caseExtensions{Cyberskills: &e})
	return b
}

// readExtension reads our extension from an extensions object; other parties' extensions,
// whatever their shape, are ignored.
func readExtension(raw json.RawMessage) CaseExtension {
	var e caseExtensions
	if len(raw) == 0 || json.Unmarshal(raw, &e) != nil || e.Cyberskills == nil {
		return CaseExtension{}
	}
	return *e.Cyberskills
}

// CASEFrameworkCode is the framework code a package carries in its document's extension,
// or "" when it carries none.
func CASEFrameworkCode(p CFPackage) string {
	return strings.TrimSpace(readExtension(p.CFDocument.Extensions).Code)
}

// urlNamespace is the RFC 9562 name space for URLs; caseNamespace, derived from it, is
// this service's name space for CASE identifiers.
var (
	urlNamespace  = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	caseNamespace = uuidV5(urlNamespace, "https://cyberskills.dev/case")
)

// uuidV5 is the name-based UUID (version 5, SHA-1) of name in namespace ns.
func uuidV5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = (u[6] & 0x0f) | 0x50 // version 5
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 9562 variant
	return u
}

func formatUUID(u [16]byte) string {
	s := hex.EncodeToString(u[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// CASEIdentifier is the stable identifier of a CASE object named by parts, such as
// ("skill", "cyber", "firewall-config"): the same names give the same UUID in every
// export, so that consumers can match items across versions. Codes cannot contain "/",
// so joining with it is unambiguous.
func CASEIdentifier(parts ...string) string {
	return formatUUID(uuidV5(caseNamespace, strings.Join(parts, "/")))
}
