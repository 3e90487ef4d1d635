package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The truths swag cannot say, as small tables. Each names a schema, an operation or a
// parameter; an entry that names nothing fails the generation, so the tables cannot go
// stale silently.

// limit is a change to a schema: a limit the server enforces.
type limit func(*openapi3.Schema)

func maxLength(n uint64) limit { return func(s *openapi3.Schema) { s.MaxLength = &n } }
func minLength(n uint64) limit { return func(s *openapi3.Schema) { s.MinLength = n } }
func pattern(p string) limit   { return func(s *openapi3.Schema) { s.Pattern = p } }
func between(lo, hi float64) limit {
	return func(s *openapi3.Schema) { s.Min, s.Max = &lo, &hi }
}
func all(ls ...limit) limit {
	return func(s *openapi3.Schema) {
		for _, l := range ls {
			l(s)
		}
	}
}

// The codes the server accepts (models.ValidOrgCode, the framework, course and role code
// patterns, models' external id rule).
var (
	orgCode      = all(minLength(1), maxLength(40), pattern(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`))
	otherCode    = all(minLength(1), maxLength(64), pattern(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`))
	roleCode     = all(minLength(1), maxLength(64), pattern(`^[a-z0-9][a-z0-9._-]{0,63}$`))
	externalID   = all(minLength(1), maxLength(100), pattern(`^[^\s/?#%\\]{1,100}$`))
	level        = between(1, 4)
	scaleLevel   = between(0, 10)
	nonNegative  = func(s *openapi3.Schema) { z := 0.0; s.Min = &z }
	positiveTerm = between(1, 600)
)

// fieldLimits are the limits of schema properties, by schema and property.
var fieldLimits = map[string]map[string]limit{
	"api.OrganisationRequest":   {"code": orgCode, "parent": orgCode, "headcount": nonNegative},
	"models.OrganisationPatch":  {"parent": orgCode, "headcount": nonNegative},
	"models.Organisation":       {"code": orgCode},
	"api.StaffBody":             {"organisation": orgCode, "external_id": externalID, "fte": between(0, 1)},
	"models.NewCompletion":      {"organisation": orgCode, "staff_external_id": externalID, "completion_id": all(minLength(1), maxLength(200))},
	"models.NewEvidence":        {"level": scaleLevel},
	"api.CourseBody":            {"code": otherCode, "validity_months": positiveTerm},
	"api.RoleBody":              {"code": roleCode},
	"models.NewEnrolment":       {"staff_external_id": externalID},
	"models.SkillTarget":        {"min_level": level, "min_headcount": nonNegative},
	"models.EstablishmentEntry": {"funded_posts": nonNegative},
}

// requiredOn are the body properties an operation requires beyond its schema's own
// required list (one schema serves a POST, where they are required, and a PUT, where
// the path names them).
var requiredOn = map[string][]string{
	"createOrganisation": {"code"},
	"createStaff":        {"external_id"},
}

// batches are the operations whose body is one object or an array of up to n of them.
var batches = map[string]uint64{
	"postCompletions": 1000,
	"postStatements":  1000,
}

// notClearable are the properties of a merge-patch body that null cannot clear (the
// server refuses it): every other property of a PATCH body is nullable.
var notClearable = map[string][]string{
	"models.OrganisationPatch": {"name", "type", "active"},
	"api.StaffBody":            {"external_id"},
}

// openEnums are the schemas whose Go constants name some values only: swag lists them
// as an enum, but the server takes others too. By schema, what they are instead.
var openEnums = map[string]string{
	"models.Tier": "One of the framework's tiers; the default framework's are basic, incident_response and advanced, the survey's tiers that statistics count.",
}

// applySchemaRules applies openEnums and fieldLimits, and says that numbers are doubles.
func applySchemaRules(doc *openapi3.T) error {
	for _, s := range doc.Components.Schemas {
		doubles(s, map[*openapi3.Schema]bool{})
	}
	for name, description := range openEnums {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil || len(s.Value.Enum) == 0 {
			return fmt.Errorf("openEnums: no enum schema %s", name)
		}
		s.Value.Enum, s.Value.Description = nil, description
		delete(s.Value.Extensions, "x-enum-varnames")
		delete(s.Value.Extensions, "x-enum-comments")
		delete(s.Value.Extensions, "x-enum-descriptions")
	}
	for name, fields := range fieldLimits {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			return fmt.Errorf("fieldLimits: no schema %s", name)
		}
		for field, l := range fields {
			p := s.Value.Properties[field]
			if p == nil || p.Value == nil {
				return fmt.Errorf("fieldLimits: schema %s has no property %s", name, field)
			}
			if p.Ref != "" {
				return fmt.Errorf("fieldLimits: %s.%s is a reference; limit the schema it names", name, field)
			}
			l(p.Value)
		}
	}
	return nil
}

// parameterLimits are the limits of query parameters, by name, wherever they appear (the
// server's params.intRange, params.float and params.int64 calls).
var parameterLimits = map[string]limit{
	"limit":   between(1, 1000),
	"version": between(1, math.MaxInt32),
	"months":  between(1, 60),
	"horizon": between(1, 36),
	"budget":  nonNegative,
	"token":   func(s *openapi3.Schema) { one := 1.0; s.Min = &one },
}

// pathIDs are path parameters that are positive integers (api.pathID).
var pathIDs = []string{"id"}

// pathCodes are the limits of path parameters that name things by code, by the path they
// start (empty: any path) and the parameter's name. External ids have none: they may hold
// characters a path escapes, and validators see path parameters still escaped.
var pathCodes = []struct {
	prefix, name string
	limit        limit
}{
	{"/api/v1/organisations/{code}", "code", orgCode},
	{"/api/v1/frameworks/{code}", "code", otherCode},
	{"/api/v1/courses/{code}", "code", otherCode},
	{"/api/v1/roles/{code}", "code", roleCode},
	{"", "role", roleCode},
}

// applyParameterRules applies parameterLimits, pathIDs and pathCodes, and doubles.
func applyParameterRules(doc *openapi3.T) error {
	eachOperation(doc, func(path, _ string, op *openapi3.Operation) {
		for _, p := range op.Parameters {
			if p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				continue
			}
			doubles(p.Value.Schema, map[*openapi3.Schema]bool{})
			for _, c := range pathCodes {
				if p.Value.In == openapi3.ParameterInPath && p.Value.Name == c.name && strings.HasPrefix(path, c.prefix) {
					c.limit(p.Value.Schema.Value)
				}
			}
			if l := parameterLimits[p.Value.Name]; l != nil && p.Value.In == openapi3.ParameterInQuery {
				l(p.Value.Schema.Value)
			}
			if slices.Contains(pathIDs, p.Value.Name) && p.Value.In == openapi3.ParameterInPath {
				one := 1.0
				p.Value.Schema.Value.Min = &one
				p.Value.Schema.Value.Format = "int64"
			}
		}
	})
	return nil
}

// bodySchema is the schema of op's JSON request body.
func bodySchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
		return mt.Schema
	}
	return nil
}

// requireMore applies requiredOn.
func requireMore(doc *openapi3.T) error {
	return eachListed(doc, "requiredOn", requiredOn, func(_, _ string, op *openapi3.Operation, fields []string) error {
		ref := bodySchema(op)
		both := &openapi3.Schema{AllOf: openapi3.SchemaRefs{ref, openapi3.NewSchemaRef("", &openapi3.Schema{Required: fields})}}
		op.RequestBody.Value.Content["application/json"].Schema = both.NewRef()
		return nil
	})
}

// batchBodies applies batches: one item, or an array of 1 to n items.
func batchBodies(doc *openapi3.T) error {
	return eachListed(doc, "batches", batches, func(_, _ string, op *openapi3.Operation, n uint64) error {
		item := bodySchema(op)
		array := openapi3.NewArraySchema().WithMinItems(1).WithMaxItems(int64(n))
		array.Items = item
		array.Description = "Up to " + strconv.FormatUint(n, 10) + " items, applied all or nothing"
		batch := &openapi3.Schema{OneOf: openapi3.SchemaRefs{item, array.NewRef()}, Description: "One item, or an array of them"}
		// A component of its own, so that generated clients name it once.
		name := refName(item) + ".Batch"
		doc.Components.Schemas[name] = batch.NewRef()
		op.RequestBody.Value.Content["application/json"].Schema = openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
		return nil
	})
}

// eachListed calls f with each operation that table (named name in errors) lists and its
// entry, until f fails, and fails when the table names an operation the document does not
// have: a post-processing table is never silently stale.
func eachListed[V any](doc *openapi3.T, name string, table map[string]V, f func(path, method string, op *openapi3.Operation, v V) error) error {
	found := map[string]bool{}
	var err error
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		v, ok := table[op.OperationID]
		if !ok || err != nil {
			return
		}
		found[op.OperationID] = true
		err = f(path, method, op, v)
	})
	if err != nil {
		return err
	}
	for op := range table {
		if !found[op] {
			return fmt.Errorf("%s: no operation %s", name, op)
		}
	}
	return nil
}

// doubles gives every number in s without a format the format double: the server's
// numbers are Go float64s, which a client must not read into 32 bits.
func doubles(s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if s == nil || s.Ref != "" || s.Value == nil || seen[s.Value] {
		return
	}
	v := s.Value
	seen[v] = true
	if v.Type.Is(openapi3.TypeNumber) && v.Format == "" {
		v.Format = "double"
	}
	for _, p := range v.Properties {
		doubles(p, seen)
	}
	doubles(v.Items, seen)
	if v.AdditionalProperties.Schema != nil {
		doubles(v.AdditionalProperties.Schema, seen)
	}
	for _, group := range []openapi3.SchemaRefs{v.AllOf, v.OneOf, v.AnyOf} {
		for _, c := range group {
			doubles(c, seen)
		}
	}
}
