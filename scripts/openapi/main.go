// Command openapi turns the Swagger 2.0 description that swag generates from the
// handlers' annotations into the OpenAPI 3.0.3 description the server serves, and adds
// what swag cannot say: per-media-type bodies (CSV, NDJSON, merge patches, problem
// details), object-or-array batches, nullable figures, the headers and limits the server
// has, the answers common to many operations, security, servers, tags and examples.
//
// Each addition is a small declarative table in this package (rules.go) or an
// x- extension on an operation's annotations, read and removed here.
//
//	go run ./scripts/openapi SWAGGER2_JSON EXAMPLES_DIR OUT_DIR
//
// writes OUT_DIR/openapi.json, OUT_DIR/openapi.yaml and OUT_DIR/docs.go, which embeds both.
// EXAMPLES_DIR holds one file per operation of request and response bodies captured from
// the API tests (make examples), merged in as the operations' examples.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: openapi SWAGGER2_JSON EXAMPLES_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(in, examplesDir, outDir string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("reading %s: %w", in, err)
	}
	doc, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("converting to OpenAPI 3: %w", err)
	}
	examples, err := loadExamples(examplesDir)
	if err != nil {
		return err
	}
	if err := finish(doc, examples); err != nil {
		return err
	}
	if err := validate(doc); err != nil {
		return fmt.Errorf("the finished description is not valid OpenAPI: %w", err)
	}
	return write(doc, outDir)
}

// validate loads the document as a reader would, resolving every reference, and checks
// it, examples against their schemas included.
func validate(doc *openapi3.T) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	loaded, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return err
	}
	return loaded.Validate(context.Background(), openapi3.EnableExamplesValidation())
}

// finish applies every addition, in an order where each sees what the ones before made.
func finish(doc *openapi3.T, examples exampleSet) error {
	steps := []func(*openapi3.T) error{
		describeDocument,
		markPublic,
		declareHeaders,
		useProblemJSON,
		addCommonResponses,
		addNotAcceptable,
		finishXAPI,
		addHeaders,
		applySchemaRules,
		applyMediaTypes,
		applyParameterRules,
		tagOperations,
		func(d *openapi3.T) error { return examples.apply(d) },
		pruneSchemas,
	}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return err
		}
	}
	return nil
}

// pruneSchemas removes the component schemas nothing refers to any more (those that an
// addition replaced, such as a PATCH body's, now its merge-patch form).
func pruneSchemas(doc *openapi3.T) error {
	for {
		data, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		removed := false
		for name := range doc.Components.Schemas {
			ref, _ := json.Marshal("#/components/schemas/" + name)
			if !bytes.Contains(data, ref) {
				delete(doc.Components.Schemas, name)
				removed = true
			}
		}
		if !removed {
			return nil
		}
	}
}
