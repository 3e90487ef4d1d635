package exchange

import (
	"encoding/json"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseCASEPackage decodes arbitrary JSON as the API does (DecodeCASEPackage: other
// tools' shapes and fields of their own) and imports it as a CASE package. An accepted
// package is a valid framework document with the import's code, and its own CASE export
// imports to the same content; a refused one is EINVALID listing bounded problems by
// package path; and the same package always gives the same answer.
func FuzzParseCASEPackage(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../../testdata/fuzz-seeds/case/*.json")
	sample := fuzzcheck.SampleFramework()
	if err := sample.Validate(); err != nil {
		f.Fatal(err)
	}
	for _, p := range []CFPackage{CASEPackage(sample, fuzzcheck.Now), foreignPackage()} {
		b, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	base := models.Framework{Code: "fuzz", Scale: models.DefaultScale()}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkg, err := DecodeCASEPackage(data)
		if err != nil {
			if e := fuzzcheck.RequireInvalid(t, err); len(e.Fields) == 0 || len(e.Fields) > MaxImportProblems+1 {
				t.Fatalf("%d problems listed", len(e.Fields))
			}
			return
		}
		for _, tier := range []models.Tier{"", models.TierAdvanced} {
			doc, ok := checkFrameworkImport(t, base, func() (models.Framework, error) { return ParseCASEPackage(pkg, base, tier) })
			if !ok {
				continue
			}
			export, err := json.Marshal(CASEPackage(doc, time.Date(2027, 1, 31, 9, 0, 0, 0, time.UTC)))
			if err != nil {
				t.Fatal(err)
			}
			sent, err := DecodeCASEPackage(export)
			if err != nil {
				t.Fatalf("the export does not decode: %v", err)
			}
			back, err := ParseCASEPackage(sent, base, "")
			if err != nil || !models.SameContent(back, doc) {
				// JSON, not %+v: what differs is often under a pointer (the kept CASE records).
				got, _ := json.Marshal(back)
				want, _ := json.Marshal(doc)
				t.Fatalf("the export of an import imports otherwise (%v):\n got %s\nwant %s\nexport %s", err, got, want, export)
			}
		}
	})
}
