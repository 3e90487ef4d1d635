package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// operationExamples are the bodies of one operation captured from the API tests (make
// examples): request bodies by media type, and answers by status and media type.
type operationExamples struct {
	Request   map[string]any            `json:"request"`
	Responses map[string]map[string]any `json:"responses"`
}

// exampleSet is every operation's examples, by operation id.
type exampleSet map[string]operationExamples

// loadExamples reads the examples folder: a file OPERATION_ID.json per operation.
func loadExamples(dir string) (exampleSet, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	set := exampleSet{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var ex operationExamples
		if err := json.Unmarshal(data, &ex); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		set[strings.TrimSuffix(filepath.Base(f), ".json")] = ex
	}
	return set, nil
}

// apply sets each example on the media type it was captured for; one that names an
// operation, status or media type the description lacks is stale, and fails.
func (set exampleSet) apply(doc *openapi3.T) error {
	return eachListed(doc, "examples", set, func(_, _ string, op *openapi3.Operation, ex operationExamples) error {
		for mediaType, v := range ex.Request {
			if op.RequestBody == nil || op.RequestBody.Value.Content[mediaType] == nil {
				return fmt.Errorf("examples: %s has no %s request body; run make examples", op.OperationID, mediaType)
			}
			op.RequestBody.Value.Content[mediaType].Example = v
		}
		for status, types := range ex.Responses {
			r := op.Responses.Value(status)
			for mediaType, v := range types {
				if r == nil || r.Value.Content[mediaType] == nil {
					return fmt.Errorf("examples: %s has no %s %s answer; run make examples", op.OperationID, status, mediaType)
				}
				r.Value.Content[mediaType].Example = v
			}
		}
		return nil
	})
}
