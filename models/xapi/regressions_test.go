package xapi

import (
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// The inputs below are what the fuzz targets found, kept as named cases where the
// corpus file alone (testdata/fuzz/FuzzXxx) would not say what went wrong.

// A single statement is one JSON value: what follows it was ignored, so that a body
// with trailing bytes was accepted and kept "as received", invalid JSON.
func TestParsersRefuseTrailingData(t *testing.T) {
	t.Parallel()
	const statement = `{"actor":{"mbox":"mailto:a@nhs.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://academy.example/c1"}}`
	if _, _, err := ParseStatements([]byte(statement + "00")); strings.Join(fuzzcheck.FieldsOf(t, err), ",") != "body" {
		t.Fatalf("statement with trailing bytes: %v", err)
	}
	if _, _, err := ParseStatements([]byte(statement + " \n")); err != nil {
		t.Fatalf("trailing white space: %v", err)
	}
}

// A property without a name is named "" rather than not at all.
func TestEmptyPropertyNamesAreNamed(t *testing.T) {
	t.Parallel()
	if _, _, err := ParseStatements([]byte(`{"":""}`)); fuzzcheck.FieldsOf(t, err)[0] != `""` {
		t.Fatalf("statement: %v", err)
	}
}

// A field name is a path into the input, so it is cut: a long or deeply nested
// property must not make the answer as large as the request.
func TestLongFieldPathsAreCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 10_000)
	_, _, err := ParseStatements([]byte(`{"` + long + `":1,"result":{"a":` + strings.Repeat("[", 500) + "null" + strings.Repeat("]", 500) + `}}`))
	for _, f := range fuzzcheck.FieldsOf(t, err) {
		if len(f) > models.MaxFieldPath+len("…") {
			t.Fatalf("field of %d bytes", len(f))
		}
	}
}

// A batch shares one validator: the second of two empty statements was checked against
// the first one's faults, found "valid", and read as a statement without a verb (a panic).
func TestEveryStatementOfABatchIsValidatedOnItsOwn(t *testing.T) {
	t.Parallel()
	_, _, err := ParseStatements([]byte(`[{},{}] `))
	if fields := strings.Join(fuzzcheck.FieldsOf(t, err), ","); !strings.Contains(fields, "statements[1].actor") {
		t.Fatalf("fields %s", fields)
	}
}

// A parameter without a name is named "" rather than not at all.
func TestEmptyParameterNamesAreNamed(t *testing.T) {
	t.Parallel()
	_, err := ParseQuery(map[string][]string{"": {"x"}})
	if fields := fuzzcheck.FieldsOf(t, err); len(fields) != 1 || fields[0] != `""` {
		t.Fatalf("fields %v", fields)
	}
}
