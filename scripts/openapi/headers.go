package main

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// headerDef is a response header the server sends.
type headerDef struct {
	description string
	schema      *openapi3.Schema
	required    bool // always sent where declared
}

// headers are the response headers declared by name in this package.
var headers = map[string]headerDef{
	"X-Request-ID": {"The request id: the caller's own X-Request-ID when it is 1-128 letters, digits or ._:-, else a new one; also in problem bodies as request_id",
		openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(128).WithPattern(`^[A-Za-z0-9._:-]{1,128}$`), true},
	"WWW-Authenticate": {`The scheme to authenticate with: Bearer realm="cyberskills"`, openapi3.NewStringSchema(), true},
	"Retry-After":      {"Seconds to wait before trying again", openapi3.NewStringSchema().WithPattern(`^[0-9]+$`), true},
	"Idempotent-Replayed": {"true when this is the stored answer to an earlier request with the same Idempotency-Key, replayed without acting again",
		openapi3.NewStringSchema().WithEnum("true"), false},
	"X-Experience-API-Version": {"The latest patch of the xAPI version the request names: 1.0.3 or 2.0.0 (2.0.0 when it names none this LRS speaks)",
		openapi3.NewStringSchema().WithEnum("1.0.3", "2.0.0"), true},
	// A printable page's security headers (api/dashboard.SecurityHeaders), sent with
	// its text/html answer only.
	"Content-Security-Policy":      {"With a printable page: admits nothing but the page's own inline stylesheet (by its hash); no script, no framing", openapi3.NewStringSchema(), false},
	"X-Content-Type-Options":       {"With a printable page: nosniff", openapi3.NewStringSchema().WithEnum("nosniff"), false},
	"Referrer-Policy":              {"With a printable page: same-origin", openapi3.NewStringSchema(), false},
	"X-Frame-Options":              {"With a printable page: DENY", openapi3.NewStringSchema().WithEnum("DENY"), false},
	"Cross-Origin-Opener-Policy":   {"With a printable page: same-origin", openapi3.NewStringSchema(), false},
	"Cross-Origin-Resource-Policy": {"With a printable page: same-origin", openapi3.NewStringSchema(), false},
	"Permissions-Policy":           {"With a printable page: no camera, microphone or geolocation", openapi3.NewStringSchema(), false},
	"Cache-Control":                {"With a printable page: no-store (it holds personal data)", openapi3.NewStringSchema(), false},
	"X-Experience-API-Consistent-Through": {"Every statement stored before this instant is readable: now, or the stored time of the oldest statement write in flight on the server that answers",
		openapi3.NewDateTimeSchema(), true},
}

// pageHeaders are the headers a printable page (an operation annotated x-html) sends.
var pageHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
	"Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy", "Cache-Control"}

// requestHeaders are the request headers some operations honour, declared as parameters.
var requestHeaders = map[string]*openapi3.Parameter{
	"Idempotency-Key": openapi3.NewHeaderParameter("Idempotency-Key").
		WithDescription("Makes the POST safe to retry: the first request runs and its answer (any status below 500) is kept for a day; the same key with the same request (method, path, query string and body) gets that answer again (Idempotent-Replayed: true) without acting twice. The same key with another request is 422, and 409 while the first is still running. Keys belong to the token that used them.").
		WithSchema(openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(255).WithPattern(`^[\x21-\x7e]{1,255}$`)),
}

// idempotentAnswers are the answers an Idempotency-Key brings to a POST.
var idempotentAnswers = []commonResponse{
	{409, "A request with this Idempotency-Key is still running; retry later", nil},
	{410, "The first answer to this Idempotency-Key named a person who has since been erased: it is no longer kept, and the request is not run again", nil},
	{422, "The Idempotency-Key was first used with another request (another method, path, query string or body)", nil},
}

func ptr(s string) *string { return &s }

// addHeaders declares the headers that many operations share: X-Request-ID on every
// answer; Retry-After on every 503; Idempotency-Key and Idempotent-Replayed on every authenticated POST; the xAPI
// version headers on every answer of the xAPI operations.
func addHeaders(doc *openapi3.T) error {
	eachOperation(doc, func(path, method string, op *openapi3.Operation) {
		idempotent := method == http.MethodPost && secured(doc, op)
		if idempotent {
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/Idempotency-Key"})
			for _, c := range idempotentAnswers {
				if r := op.Responses.Status(c.status); r != nil {
					r.Value.Description = ptr(*r.Value.Description + "; or " + strings.ToLower(c.description[:1]) + c.description[1:])
					continue
				}
				op.Responses.Set(strconv.Itoa(c.status), &openapi3.ResponseRef{Value: problemResponse(c.description)})
			}
		}
		xapi := strings.HasPrefix(path, "/xapi/")
		for status, r := range op.Responses.Map() {
			setHeader(r.Value, "X-Request-ID")
			if status == "503" {
				setHeader(r.Value, "Retry-After")
			}
			if n, _ := strconv.Atoi(status); idempotent && n < 500 {
				setHeader(r.Value, "Idempotent-Replayed")
			}
			if xapi {
				setHeader(r.Value, "X-Experience-API-Version")
				setHeader(r.Value, "X-Experience-API-Consistent-Through")
			}
		}
	})
	return nil
}

// setHeader declares the named header of the headers table on r, unless r declares it.
func setHeader(r *openapi3.Response, name string) {
	if r.Headers == nil {
		r.Headers = openapi3.Headers{}
	}
	if r.Headers[name] != nil {
		return
	}
	r.Headers[name] = &openapi3.HeaderRef{Ref: "#/components/headers/" + name}
}

// declareHeaders puts the headers and request headers tables in the document's
// components, where operations refer to them.
func declareHeaders(doc *openapi3.T) error {
	doc.Components.Headers = openapi3.Headers{}
	for name, d := range headers {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: d.description, Required: d.required, Schema: d.schema.NewRef(),
		}}}
	}
	doc.Components.Parameters = openapi3.ParametersMap{}
	for name, p := range requestHeaders {
		doc.Components.Parameters[name] = &openapi3.ParameterRef{Value: p}
	}
	return nil
}
