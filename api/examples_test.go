package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The examples of the description are real exchanges: with OPENAPI_EXAMPLES_OUT set to a
// folder (make examples), the contract check keeps, for each operation, request bodies
// the server accepted and successful answers that met the description, and TestMain
// writes one of each per operation and media type into the folder, one file per
// operation; scripts/openapi merges them into the description.

// examplesOut is where to write the examples; empty when not capturing.
var examplesOut = os.Getenv("OPENAPI_EXAMPLES_OUT")

// exampleKey is a body's place in an operation: "request" or a status, and a media type.
type exampleKey struct{ op, where, mediaType string }

var captured = struct {
	sync.Mutex
	bodies map[exampleKey][]string
}{bodies: map[exampleKey][]string{}}

// keepExample captures body as a candidate example of op's request (status "request")
// or of its answer with status, when the media type is one the operation describes.
func keepExample(op *openapi3.Operation, where, contentType string, content openapi3.Content, body []byte) {
	if examplesOut == "" || len(body) == 0 {
		return
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || content[mt] == nil {
		return
	}
	captured.Lock()
	defer captured.Unlock()
	k := exampleKey{op.OperationID, where, mt}
	captured.bodies[k] = append(captured.bodies[k], string(body))
}

// exampleSize is the size below which the largest candidate is chosen (the most telling
// one that is still short); when every candidate is larger, the smallest is.
const exampleSize = 2000

// chooseExample picks one candidate, the same one for the same candidates.
func chooseExample(bodies []string) string {
	sort.Slice(bodies, func(i, j int) bool {
		if len(bodies[i]) != len(bodies[j]) {
			return len(bodies[i]) < len(bodies[j])
		}
		return bodies[i] < bodies[j]
	})
	best := bodies[0]
	for _, b := range bodies {
		if len(b) <= exampleSize {
			best = b
		}
	}
	return best
}

// secrets are token secrets, which an example must not carry even from a test database.
var secrets = regexp.MustCompile(`csk_[A-Z2-7]{52}`)

// writeExamples writes the chosen examples, one file per operation.
func writeExamples() error {
	files := map[string]map[string]any{}
	for k, bodies := range captured.bodies {
		if files[k.op] == nil {
			files[k.op] = map[string]any{"request": map[string]any{}, "responses": map[string]any{}}
		}
		text := secrets.ReplaceAllString(chooseExample(bodies), "csk_"+strings.Repeat("A", 52))
		var value any = text
		if k.mediaType == "application/json" || strings.HasSuffix(k.mediaType, "+json") {
			if err := json.Unmarshal([]byte(text), &value); err != nil {
				return fmt.Errorf("%s %s %s: %w", k.op, k.where, k.mediaType, err)
			}
		}
		if k.mediaType == "application/x-www-form-urlencoded" {
			form, err := formExample(text)
			if err != nil {
				return fmt.Errorf("%s %s %s: %w", k.op, k.where, k.mediaType, err)
			}
			value = form
		}
		if k.where == "request" {
			files[k.op]["request"].(map[string]any)[k.mediaType] = value
			continue
		}
		responses := files[k.op]["responses"].(map[string]any)
		if responses[k.where] == nil {
			responses[k.where] = map[string]any{}
		}
		responses[k.where].(map[string]any)[k.mediaType] = value
	}
	for op, f := range files {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(examplesOut, op+".json"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("examples: %d operations written to %s\n", len(files), examplesOut)
	return nil
}

// formExample is a form body as the object the description's schema says, with the
// secret of an Authorization field (xAPI's alternate syntax) replaced.
func formExample(text string) (map[string]any, error) {
	values, err := url.ParseQuery(text)
	if err != nil {
		return nil, err
	}
	form := map[string]any{}
	for name := range values {
		v := values.Get(name)
		if name == "Authorization" {
			if basic, ok := strings.CutPrefix(v, "Basic "); ok {
				if raw, err := base64.StdEncoding.DecodeString(basic); err == nil {
					v = "Basic " + base64.StdEncoding.EncodeToString([]byte(secrets.ReplaceAllString(string(raw), "csk_"+strings.Repeat("A", 52))))
				}
			}
		}
		form[name] = v
	}
	return form, nil
}

// noExamples are operations whose answers make poor examples: the description itself,
// which would grow with every capture, and the metrics, which are the process's state.
var noExamples = map[string]bool{"openapi": true, "openapiYAML": true, "metrics": true}

// keepExchange captures the bodies of an exchange that met the description.
func keepExchange(op *openapi3.Operation, reqContentType string, reqBody []byte, status int, respContentType string, respBody []byte) {
	if examplesOut == "" || status >= 400 || noExamples[op.OperationID] {
		return
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		keepExample(op, "request", reqContentType, op.RequestBody.Value.Content, reqBody)
	}
	if r := op.Responses.Status(status); r != nil && r.Value != nil {
		keepExample(op, strconv.Itoa(status), respContentType, r.Value.Content, respBody)
	}
}

// TestOpenAPIExamplesMatchTheirSchemas checks each example of the served description
// against the schema of its own media type, and that every operation with a body has
// an example of its request, and of each successful answer with a body, in one of their
// media types at least.
func TestOpenAPIExamplesMatchTheirSchemas(t *testing.T) {
	if examplesOut != "" {
		t.Skip("capturing examples: the description is made without them")
	}
	doc, _, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, content openapi3.Content, required bool, mode openapi3.SchemaValidationOption) {
		examples := 0
		for mediaType, mt := range content {
			if mt.Example == nil {
				continue
			}
			examples++
			err := mt.Schema.Value.VisitJSON(mt.Example, mode, openapi3.SetSchemaErrorMessageCustomizer(func(err *openapi3.SchemaError) string {
				return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
			}))
			if err != nil {
				t.Errorf("the example of %s %s does not match its schema: %v", where, mediaType, err)
			}
		}
		if required && len(content) > 0 && examples == 0 {
			t.Errorf("%s has no example; run make examples", where)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.RequestBody != nil {
				check(where+" request", op.RequestBody.Value.Content, !noExamples[op.OperationID], openapi3.VisitAsRequest())
			}
			for status, r := range op.Responses.Map() {
				check(where+" "+status, r.Value.Content, status[0] == '2' && !noExamples[op.OperationID], openapi3.VisitAsResponse())
			}
		}
	}
}
