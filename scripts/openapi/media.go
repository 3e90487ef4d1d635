package main

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Swagger 2.0 has one schema for every media type of a body; OpenAPI 3 has one per
// media type, which this file sets.

// csvHeaderExtension is the annotation (@x-csv-header "a,b,c") of an operation that
// answers CSV too: its value is the header row, as a regular expression where the
// columns vary.
const csvHeaderExtension = "x-csv-header"

// fileBodies are the request bodies that are files, by operation and media type: a
// string the server reads row by row and reports on row by row.
var fileBodies = map[string]map[string]string{
	"importOrganisations": {
		"text/csv": "Our CSV format (a header row naming code, name, type and any of parent, sector, size_band, headcount, address, postcode, open_date, close_date, xapi_home_page) or an NHS ODS extract (no header; code, name, region, ICB, five address lines, postcode, open and close dates).",
	},
	"importStaff": {
		"text/csv":             "A header row naming any of external_id (required), role, display_name, email, fte, status, start_date, end_date; then one row per person.",
		"application/x-ndjson": "One JSON object per line with the fields of the CSV columns (external_id required); strings, numbers or booleans.",
		"application/jsonl":    "The same as application/x-ndjson.",
	},
	"importEvidence": {
		"text/csv":             "A header row naming any of external_id, skill, level, source (these four required), assessed_at, expires_at, assessor, note, evidence_url, framework; then one row per record.",
		"application/x-ndjson": "One JSON object per line with the fields of the CSV columns; strings, numbers or booleans.",
		"application/jsonl":    "The same as application/x-ndjson.",
	},
	"importPersonMappings": {
		"text/csv":             "A header row naming any of home_page, account_name, mbox, mbox_sha1sum, organisation, external_id (the last two required); then one row per mapping, with exactly one identifier: home_page and account_name, mbox, or mbox_sha1sum.",
		"application/x-ndjson": "One JSON object per line with the fields of the CSV columns.",
		"application/jsonl":    "The same as application/x-ndjson.",
	},
	"postStatements": {
		"multipart/mixed": "Statements with their attachments' data (xAPI Communication 1.5.2): the first part the statements (application/json), each further part an attachment's bytes with X-Experience-API-Hash (its sha2) and Content-Transfer-Encoding: binary.",
	},
	"putStatement": {
		"multipart/mixed": "The statement with its attachments' data, as for POST.",
	},
	"importFramework": {
		"text/csv": "The CSV form that export writes: a header row naming code and name (required) and any of area, tier, description, level_1 ... level_N, status, superseded_by, references, record; then one row per skill or area.",
	},
}

// structuredBodies are request bodies whose schema swag cannot give for one of their
// media types, by operation and media type: a component schema's name.
var structuredBodies = map[string]map[string]string{
	"importFramework": {"application/json": caseAsAuthored},
}

// caseAsAuthored is the CASE package the import reads (exchange.DecodeCASEPackage): the
// shape of exchange.CFPackage, which export writes, in any of the ways authoring tools
// write it, which one schema of each field cannot say.
const caseAsAuthored = "exchange.CFPackage.AsAuthored"

func caseAsAuthoredSchema() *openapi3.Schema {
	objects := func(description string) *openapi3.SchemaRef {
		s := openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema())
		s.Nullable, s.Description = true, description
		return s.NewRef()
	}
	document := openapi3.NewObjectSchema()
	document.Description = "The CFDocument: the framework's title, creator, publisher, description, version; extensions.cyberskills.code may name its code"
	definitions := openapi3.NewObjectSchema()
	definitions.Nullable, definitions.Description = true, "CFItemTypes, CFLicenses, CFConcepts, CFSubjects, CFAssociationGroupings"
	s := openapi3.NewObjectSchema()
	s.Description = "A CASE 1.0 or 1.1 CFPackage as authoring tools write it: the shape of exchange.CFPackage (what export writes), where a link may also be a bare URI string, a number a numeric string, an education level a single string, and any field null for absent; fields the service does not know are kept. Everything is checked on import, and each problem is named by its path, such as CFItems[3].sequenceNumber."
	s.Required = []string{"CFDocument"}
	s.Properties = openapi3.Schemas{
		"CFDocument":     document.NewRef(),
		"CFItems":        objects("The areas and skills (CFItem, exchange.CFItem's shape)"),
		"CFAssociations": objects("isChildOf, replacedBy and the others (CFAssociation, exchange.CFAssociation's shape)"),
		"CFDefinitions":  definitions.NewRef(),
		"CFRubrics":      objects("The scale and level descriptors (CFRubric, exchange.CFRubric's shape)"),
	}
	return s
}

// applyMediaTypes sets the per-media-type bodies: CSV answers, file bodies, structured
// bodies, batches, merge patches and extra required properties.
func applyMediaTypes(doc *openapi3.T) error {
	steps := []func(*openapi3.T) error{csvAnswers, htmlAnswers, fileRequestBodies, structuredRequestBodies, batchBodies, mergePatches, requireMore}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return err
		}
	}
	return nil
}

// csvAnswers gives the successful answers of every operation annotated with
// csvHeaderExtension a text/csv body: a string whose first line is the header row.
func csvAnswers(doc *openapi3.T) error {
	var err error
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		header, ok := op.Extensions[csvHeaderExtension].(string)
		if !ok {
			return
		}
		delete(op.Extensions, csvHeaderExtension)
		r := op.Responses.Status(http.StatusOK)
		if r == nil || r.Value == nil {
			err = fmt.Errorf("%s %s: %s on an operation without a 200 answer", method, path, csvHeaderExtension)
			return
		}
		csv := openapi3.NewStringSchema().WithPattern("^" + header + "\r?\n")
		csv.Description = "CSV (RFC 4180): a header row matching " + header + ", then one row per line of the JSON answer. Asked for with format=csv or Accept: text/csv."
		r.Value.Content["text/csv"] = openapi3.NewMediaType().WithSchema(csv)
	})
	return err
}

// htmlExtension is the annotation (@x-html "what the page is") of an operation whose
// text/html answer is not the start page's.
const htmlExtension = "x-html"

// htmlAnswers gives every text/html answer (the start page, for a browser; a printable
// report) the schema it has: a page, not the JSON answer's object.
func htmlAnswers(doc *openapi3.T) error {
	eachOperation(doc, func(_, _ string, op *openapi3.Operation) {
		description, printable := op.Extensions[htmlExtension].(string)
		if !printable {
			description = "An HTML page with the same links, for a browser (Accept: text/html)."
		}
		delete(op.Extensions, htmlExtension)
		if r := op.Responses.Status(http.StatusOK); printable && r != nil && r.Value != nil {
			for _, h := range pageHeaders {
				setHeader(r.Value, h)
			}
		}
		for _, r := range op.Responses.Map() {
			if r.Value == nil || r.Value.Content["text/html"] == nil {
				continue
			}
			page := openapi3.NewStringSchema()
			page.Description = description
			r.Value.Content["text/html"] = openapi3.NewMediaType().WithSchema(page)
		}
	})
	return nil
}

// fileRequestBodies applies fileBodies.
func fileRequestBodies(doc *openapi3.T) error {
	return eachBody(doc, "fileBodies", fileBodies, func(mt *openapi3.MediaType, description string) error {
		s := openapi3.NewStringSchema()
		s.Description = description
		mt.Schema = s.NewRef()
		return nil
	})
}

// structuredRequestBodies applies structuredBodies.
func structuredRequestBodies(doc *openapi3.T) error {
	doc.Components.Schemas[caseAsAuthored] = caseAsAuthoredSchema().NewRef()
	return eachBody(doc, "structuredBodies", structuredBodies, func(mt *openapi3.MediaType, name string) error {
		if doc.Components.Schemas[name] == nil {
			return fmt.Errorf("structuredBodies: no schema %s", name)
		}
		mt.Schema = openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
		return nil
	})
}

// eachBody calls set for each operation and media type of table, which must all exist.
func eachBody[V any](doc *openapi3.T, name string, table map[string]map[string]V, set func(*openapi3.MediaType, V) error) error {
	return eachListed(doc, name, table, func(path, method string, op *openapi3.Operation, types map[string]V) error {
		for mediaType, v := range types {
			if op.RequestBody == nil || op.RequestBody.Value.Content[mediaType] == nil {
				return fmt.Errorf("%s: %s %s has no %s body", name, method, path, mediaType)
			}
			if err := set(op.RequestBody.Value.Content[mediaType], v); err != nil {
				return err
			}
		}
		return nil
	})
}

// mergePatches makes the body of every PATCH a JSON merge patch (RFC 7396), sent as
// application/merge-patch+json or application/json: a copy of its schema in which
// nothing is required and every property but notClearable's may be null, which clears it.
func mergePatches(doc *openapi3.T) error {
	var err error
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		if method != http.MethodPatch || err != nil {
			return
		}
		ref := bodySchema(op)
		name := refName(ref)
		base := doc.Components.Schemas[name]
		if base == nil {
			err = fmt.Errorf("%s %s: the PATCH body is not a component schema", method, path)
			return
		}
		patchName := name + ".MergePatch"
		patch := &openapi3.Schema{Type: base.Value.Type, Description: "A JSON merge patch (RFC 7396): given properties replace, null clears an optional one, absent ones stay.",
			Properties: openapi3.Schemas{}}
		for prop, p := range base.Value.Properties {
			patch.Properties[prop] = nullable(doc, p, !slices.Contains(notClearable[name], prop))
		}
		doc.Components.Schemas[patchName] = patch.NewRef()
		body := func() *openapi3.MediaType {
			return openapi3.NewMediaType().WithSchemaRef(openapi3.NewSchemaRef("#/components/schemas/"+patchName, nil))
		}
		op.RequestBody.Value.Content = openapi3.Content{"application/merge-patch+json": body(), "application/json": body()}
	})
	return err
}

// nullable is a copy of p that may be null too when yes; a reference is wrapped in an
// allOf of the same type, as OpenAPI 3.0 ignores siblings of $ref and nullable needs a type.
func nullable(doc *openapi3.T, p *openapi3.SchemaRef, yes bool) *openapi3.SchemaRef {
	if !yes {
		return p
	}
	if p.Ref != "" {
		target := doc.Components.Schemas[refName(p)]
		return (&openapi3.Schema{Type: target.Value.Type, Nullable: true, AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef(p.Ref, nil)}}).NewRef()
	}
	c := *p.Value
	c.Nullable = true
	if c.Type == nil && len(c.AllOf) == 1 && c.AllOf[0].Ref != "" { // swag's wrapper of a $ref with siblings
		c.Type = doc.Components.Schemas[refName(c.AllOf[0])].Value.Type
	}
	return c.NewRef()
}

// refName is the component name a schema reference names.
func refName(ref *openapi3.SchemaRef) string {
	const prefix = "#/components/schemas/"
	if ref == nil || len(ref.Ref) <= len(prefix) {
		return ""
	}
	return ref.Ref[len(prefix):]
}
