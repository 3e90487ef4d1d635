package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The xAPI surface (/xapi) is a standard's, not ours alone: what its operations answer is
// what xAPI says, which swag's annotations cannot all say.

// xapiPrefix is the base of the xAPI surface (api.xapiBase).
const xapiPrefix = "/xapi/"

// finishXAPI finishes the operations of the xAPI surface:
//   - each has an operation id of its own: a HEAD shares its GET's annotation (and id),
//     and the document resources, one handler for many routes, have none;
//   - a HEAD answers its GET's status and headers, without the body;
//   - a body of the wrong type is a 400, as xAPI asks, never a 415; format=csv is a 400
//     as any format xAPI does not know, never a 406;
//   - POST /xapi/statements also carries xAPI 1.0's alternate request syntax (a form
//     standing for another request, ?method=...), so it may answer what GET (a
//     StatementResult) or PUT (204) answers; GET /xapi/statements answers one statement
//     (by statementId) or a StatementResult, and multipart/mixed with attachments=true.
func finishXAPI(doc *openapi3.T) error {
	var err error
	nullableExtensions(doc)
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		if !strings.HasPrefix(path, xapiPrefix) || err != nil {
			return
		}
		switch {
		case op.OperationID == "":
			op.OperationID = strings.ToLower(method)
			for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
				op.OperationID += strings.ToUpper(part[:1]) + part[1:]
			}
		case method == http.MethodHead:
			op.OperationID += "Head"
		}
		if method == http.MethodHead {
			bodiless(op)
		}
		op.Responses.Delete("415")
		op.Responses.Delete("406")
		switch op.OperationID {
		case "postStatements":
			err = alternateSyntax(doc, op)
		case "getStatements":
			err = oneOrResult(doc, op)
		}
	})
	return err
}

// alternateSyntax describes xAPI 1.0's alternate request syntax on POST /xapi/statements.
func alternateSyntax(doc *openapi3.T, op *openapi3.Operation) error {
	method := openapi3.NewQueryParameter("method").WithSchema(openapi3.NewStringSchema().WithEnum("GET", "HEAD", "PUT", "POST", "DELETE"))
	method.Description = "xAPI 1.0's alternate request syntax: the request this form POST stands for. The form carries the other parameters, the headers (Authorization, X-Experience-API-Version, Content-Type) and the body (content); no other query parameter. Refused (400) for xAPI 2.0, which dropped it."
	op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: method})
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInHeader && p.Value.Name == "X-Experience-API-Version" {
			p.Value.Required = false
			p.Value.Description += " Required, except in the alternate syntax, whose form carries it."
		}
	}
	form := openapi3.NewObjectSchema().WithAdditionalProperties(openapi3.NewStringSchema())
	form.Description = "The alternate syntax's form: content (the body), the headers and the parameters, each a string."
	op.RequestBody.Value.Content["application/x-www-form-urlencoded"] = openapi3.NewMediaType().WithSchema(form)
	ok := op.Responses.Status(http.StatusOK)
	if ok == nil || doc.Components.Schemas["api.StatementResult"] == nil {
		return fmt.Errorf("postStatements: no 200 answer or no api.StatementResult")
	}
	ids := ok.Value.Content.Get("application/json").Schema
	either := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{ids, openapi3.NewSchemaRef("#/components/schemas/api.StatementResult", nil),
		openapi3.NewSchemaRef("#/components/schemas/api.XAPIStatement", nil)}}
	either.Description = "The statement ids, in order; in the alternate syntax, what the request it stands for answers."
	ok.Value.Content["application/json"].Schema = either.NewRef()
	modified := &openapi3.Header{Parameter: openapi3.Parameter{Schema: openapi3.NewStringSchema().NewRef()}}
	modified.Description = "In the alternate syntax, standing for a GET: when the (latest) statement was stored"
	if ok.Value.Headers == nil {
		ok.Value.Headers = openapi3.Headers{}
	}
	ok.Value.Headers["Last-Modified"] = &openapi3.HeaderRef{Value: modified}
	op.Responses.Set("204", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("A PUT in the alternate syntax: the statement is stored")})
	return nil
}

// oneOrResult describes GET /xapi/statements's 200: one statement or a StatementResult,
// as JSON or, with attachments=true, multipart/mixed.
func oneOrResult(doc *openapi3.T, op *openapi3.Operation) error {
	ok := op.Responses.Status(http.StatusOK)
	if ok == nil || doc.Components.Schemas["api.XAPIStatement"] == nil {
		return fmt.Errorf("getStatements: no 200 answer or no api.XAPIStatement")
	}
	either := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{ok.Value.Content.Get("application/json").Schema,
		openapi3.NewSchemaRef("#/components/schemas/api.XAPIStatement", nil)}}
	either.Description = "A StatementResult; one statement when statementId or voidedStatementId is given."
	ok.Value.Content["application/json"].Schema = either.NewRef()
	parts := openapi3.NewStringSchema()
	parts.Description = "With attachments=true: the JSON answer as the first part, then the data of each attachment the LRS holds, with X-Experience-API-Hash (its sha2) and Content-Transfer-Encoding: binary."
	ok.Value.Content["multipart/mixed"] = openapi3.NewMediaType().WithSchema(parts)
	return nil
}

// nullableExtensions lets the values of xAPI extensions be anything JSON can say, null
// too: an OpenAPI 3.0 empty schema refuses null, and nullable needs a type, so the value
// is any of the types, the object one nullable (api.XAPIValue).
func nullableExtensions(doc *openapi3.T) {
	value := "#/components/schemas/api.XAPIValue"
	object := openapi3.NewObjectSchema()
	object.Nullable = true
	any := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{object.NewRef(),
		openapi3.NewArraySchema().WithItems(&openapi3.Schema{}).NewRef(),
		openapi3.NewStringSchema().NewRef(), openapi3.NewFloat64Schema().NewRef(), openapi3.NewBoolSchema().NewRef()}}
	any.AnyOf[1].Value.Items = openapi3.NewSchemaRef(value, nil)
	any.Description = "Any JSON value, null too"
	doc.Components.Schemas["api.XAPIValue"] = any.NewRef()
	for name, schema := range doc.Components.Schemas {
		if !strings.HasPrefix(name, "api.XAPI") || schema.Value == nil {
			continue
		}
		for prop, ref := range schema.Value.Properties {
			if prop != "extensions" || ref.Value == nil || ref.Value.AdditionalProperties.Schema == nil {
				continue
			}
			ref.Value.AdditionalProperties.Schema = openapi3.NewSchemaRef(value, nil)
		}
	}
}

// bodiless drops the bodies of a HEAD's answers, keeping their descriptions and headers.
func bodiless(op *openapi3.Operation) {
	for status, r := range op.Responses.Map() {
		if r.Value == nil || len(r.Value.Content) == 0 {
			continue
		}
		head := *r.Value
		head.Content = nil
		op.Responses.Set(status, &openapi3.ResponseRef{Value: &head})
	}
}
