package main

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// tags are the groups of operations, in the order a reader needs them.
var tags = []openapi3.Tag{
	{Name: "organisations", Description: "The organisation tree (region > ICB > trust > department), its import from CSV or the NHS ODS extract, and who sees what in it."},
	{Name: "staff", Description: "Staff records, their bulk import, and the job roles (global templates and an organisation's own) whose requirements say which skills a post needs."},
	{Name: "evidence", Description: "Competency evidence, the append-only records a person's levels are derived from; their import and what lapses soon."},
	{Name: "gaps", Description: "Gap reports computed from maintained sums: per skill and tier, per role, role x skill, per person, and whom to train first. All answer CSV too."},
	{Name: "assurance", Description: "The evidence for CAF B6 (staff awareness and training) in the DSPT: each staff group's training requirement and the key roles (a training needs analysis, defaults shipped, organisations override), and the report of its delivery and evaluation with suggested statuses, as JSON, CSV or a printable page."},
	{Name: "statistics", Description: "Live national figures for policymakers, under disclosure control: the headline, breakdowns and trends from monthly snapshots."},
	{Name: "planning", Description: "Targets, external coverage, establishment, the training pipeline, projections, what-if scenarios and the optimal training plan."},
	{Name: "training", Description: "Training providers: their course catalogue, completions over REST, and xAPI statements."},
	{Name: "xapi", Description: "The Learning Record Store under /xapi (xAPI 1.0.3 and 2.0.0, HTTP Basic or bearer), the outcome of matching its statements to people and courses, and providers' person mappings. The xAPI document resources (/xapi/activities/state, /xapi/activities/profile, /xapi/agents/profile) are not provided: every method answers 501 (a problem) once the request is authenticated and names a version, and they are not described here."},
	{Name: "frameworks", Description: "Skills frameworks: the default one, versions and supersession, export and import as CSV or 1EdTech CASE 1.1."},
	{Name: "jobs", Description: "Bulk imports as jobs: their phase, rows read, checked and applied, rate, estimate and answer. Every import is one; Prefer: respond-async runs it in the background."},
	{Name: "admin", Description: "Tokens and the audit trail."},
	{Name: "operations", Description: "The start page, liveness, readiness, metrics and this description; no token needed."},
}

// describeDocument sets what the whole document says: the version, where it is served,
// the bearer scheme and the tags.
func describeDocument(doc *openapi3.T) error {
	doc.OpenAPI = "3.0.3"
	doc.Servers = openapi3.Servers{{URL: "/", Description: "The server that serves this description: production, or a local development server (make run)",
		Extensions: map[string]any{"x-internal": false}}}
	doc.Info.Contact.URL = "https://cyberskills.dev"
	doc.Components.SecuritySchemes["BearerAuth"] = &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().
		WithType("http").WithScheme("bearer").WithBearerFormat("csk_ followed by 52 base32 characters").
		WithDescription(`A bearer token: "Authorization: Bearer csk_...". Mint the first admin token with "cyberskills token create --role admin --name NAME"; admins mint the rest with POST /api/v1/tokens.`)}
	for i := range tags {
		doc.Tags = append(doc.Tags, &tags[i])
	}
	return nil
}

// tagOperations checks that every operation has exactly one tag of the list.
func tagOperations(doc *openapi3.T) error {
	var err error
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		if len(op.Tags) != 1 || !slices.ContainsFunc(tags, func(t openapi3.Tag) bool { return t.Name == op.Tags[0] }) {
			err = fmt.Errorf("%s %s: tags %v, want one of the tags list in document.go", method, path, op.Tags)
		}
	})
	return err
}
