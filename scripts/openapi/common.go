package main

import (
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// The answers many operations give for the same reason are added here, once, with their
// headers, so that the handlers' annotations say only what is theirs.

// commonResponse is an answer that many operations give for the same reason.
type commonResponse struct {
	status      int
	description string
	headers     []string // names of headers in the headers table that it carries
}

// authenticated are the answers of every operation that needs a token: refused, rate
// limited, the database away.
var authenticated = []commonResponse{
	{401, "Missing, unknown, expired or revoked token", []string{"WWW-Authenticate"}},
	{429, "Rate limit exceeded; Retry-After says when to try again", []string{"Retry-After"}},
	{503, "The database is unreachable or a query ran out of time", []string{"Retry-After"}},
}

// withBody are the answers of every operation that reads a body.
var withBody = []commonResponse{
	{413, "Body larger than the limit", nil},
	{415, "Unsupported Media Type", nil},
}

// everyOperation are the answers any route can give: a path, query or header that is
// not valid UTF-8 or holds a NUL, refused before anything reads it; a bug, recovered.
var everyOperation = []commonResponse{
	{400, "Bad request", nil},
	{500, "A bug: the body carries only the request id", nil},
}

// addCommonResponses adds to each operation the common answers it may give that it does
// not describe itself; one it describes keeps its description and gains the headers.
func addCommonResponses(doc *openapi3.T) error {
	eachOperation(doc, func(_, _ string, op *openapi3.Operation) {
		add := append([]commonResponse{}, everyOperation...)
		if secured(doc, op) {
			add = append(add, authenticated...)
		}
		if op.RequestBody != nil {
			add = append(add, withBody...)
		}
		for _, c := range add {
			r := op.Responses.Status(c.status)
			if r == nil {
				r = &openapi3.ResponseRef{Value: problemResponse(c.description)}
				op.Responses.Set(strconv.Itoa(c.status), r)
			}
			for _, h := range c.headers {
				setHeader(r.Value, h)
			}
		}
	})
	return nil
}

// notAcceptable is the answer of a GET without a CSV form to a caller who asks for CSV
// (api.refuseCSV): only reports with a table answer CSV.
var notAcceptable = commonResponse{406, "Asked for CSV (format=csv, or Accept: text/csv without JSON): this answer has no CSV form; only reports with a table answer CSV", nil}

// addNotAcceptable adds the 406 to every authenticated GET whose answer has no CSV form.
func addNotAcceptable(doc *openapi3.T) error {
	eachOperation(doc, func(_, method string, op *openapi3.Operation) {
		if method != "GET" || !secured(doc, op) || answersCSV(op) || op.Responses.Status(notAcceptable.status) != nil {
			return
		}
		op.Responses.Set(strconv.Itoa(notAcceptable.status), &openapi3.ResponseRef{Value: problemResponse(notAcceptable.description)})
	})
	return nil
}

// answersCSV reports whether op answers CSV: a report (annotated with its CSV header
// row, which csvAnswers turns into its text/csv answer), or a download that is CSV.
func answersCSV(op *openapi3.Operation) bool {
	if _, report := op.Extensions[csvHeaderExtension]; report {
		return true
	}
	for status, r := range op.Responses.Map() {
		if n, _ := strconv.Atoi(status); n >= 200 && n < 300 && r.Value != nil && r.Value.Content.Get("text/csv") != nil {
			return true
		}
	}
	return false
}

// problemResponse is an answer whose body is a problem.
func problemResponse(description string) *openapi3.Response {
	return openapi3.NewResponse().WithDescription(description).
		WithContent(openapi3.NewContentWithSchemaRef(problemRef(), []string{problemJSON}))
}

const problemJSON = "application/problem+json"

func problemRef() *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/problem.Problem", nil)
}

// useProblemJSON declares every error body as what it is, application/problem+json.
func useProblemJSON(doc *openapi3.T) error {
	eachOperation(doc, func(_, _ string, op *openapi3.Operation) {
		for status, r := range op.Responses.Map() {
			if n, _ := strconv.Atoi(status); n < 400 || r.Value == nil {
				continue
			}
			if mt := r.Value.Content.Get("application/json"); mt != nil {
				r.Value.Content = openapi3.Content{problemJSON: mt}
			}
		}
	})
	return nil
}

// secured reports whether op needs a token: its own security, else the document's.
func secured(doc *openapi3.T, op *openapi3.Operation) bool {
	if op.Security != nil {
		return len(*op.Security) > 0
	}
	return len(doc.Security) > 0
}

// eachOperation calls f for every operation of doc.
func eachOperation(doc *openapi3.T, f func(path, method string, op *openapi3.Operation)) {
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			f(path, method, op)
		}
	}
}

// markPublic gives the operations that declare no security an explicit empty list: no
// token needed, said rather than implied.
func markPublic(doc *openapi3.T) error {
	eachOperation(doc, func(_, _ string, op *openapi3.Operation) {
		if op.Security == nil {
			op.Security = &openapi3.SecurityRequirements{}
		}
	})
	return nil
}
