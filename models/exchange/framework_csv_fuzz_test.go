package exchange

import (
	"bytes"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseFrameworkCSV imports arbitrary framework files over a current version with
// areas. An accepted file is a valid framework document (with the import's code, name
// and scale) that exports to a file importing to the same content; a refused one is
// EINVALID listing at most MaxImportProblems (and a summary) bounded problems; and the
// same file always gives the same answer.
func FuzzParseFrameworkCSV(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "testdata/clinical-framework.csv", "../../testdata/fuzz-seeds/framework/*.csv")
	sample := fuzzcheck.SampleFramework()
	if err := sample.Validate(); err != nil {
		f.Fatal(err)
	}
	f.Add(exportCSV(f, sample).Bytes())
	base := csvBase(sample)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, tier := range []models.Tier{"", models.TierIncidentResponse} {
			doc, ok := checkFrameworkImport(t, base, func() (models.Framework, error) {
				return ParseFrameworkCSV(bytes.NewReader(data), base, tier)
			})
			if !ok {
				continue
			}
			out := exportCSV(t, doc)
			back, err := ParseFrameworkCSV(bytes.NewReader(out.Bytes()), base, "")
			if err != nil || !models.SameContent(back, doc) {
				t.Fatalf("the export of an import imports otherwise (%v):\n%s\n got %+v\nwant %+v", err, out.Bytes(), back, doc)
			}
		}
	})
}

// checkFrameworkImport imports twice, requires the same answer, and checks it: a
// refusal is EINVALID listing at most MaxImportProblems bounded problems (and a
// summary), an accepted document is what checkImportedFramework says. It returns the
// document and whether it was accepted.
func checkFrameworkImport(t *testing.T, base models.Framework, parse func() (models.Framework, error)) (models.Framework, bool) {
	t.Helper()
	doc, err := parse()
	again, errAgain := parse()
	if !models.SameContent(doc, again) || (err == nil) != (errAgain == nil) || (err != nil && err.Error() != errAgain.Error()) {
		t.Fatalf("two imports differ: %v then %v", err, errAgain)
	}
	if err != nil {
		if e := fuzzcheck.RequireInvalid(t, err); len(e.Fields) == 0 || len(e.Fields) > MaxImportProblems+1 {
			t.Fatalf("%d problems listed", len(e.Fields))
		}
		return doc, false
	}
	checkImportedFramework(t, doc, base)
	return doc, true
}

// checkImportedFramework checks what every import promises: a valid, normalised document
// whose metadata and scale are the base's.
func checkImportedFramework(t *testing.T, doc, base models.Framework) {
	t.Helper()
	c := doc.Clone()
	if err := c.Validate(); err != nil {
		t.Fatalf("an accepted document is invalid: %v", err)
	}
	if !models.SameContent(c, doc) {
		t.Fatalf("an accepted document is not normalised:\n got %+v\nwant %+v", doc, c)
	}
	if doc.Code != base.Code || len(doc.Scale) < 2 || len(doc.Skills) > models.MaxFrameworkSkills || len(doc.Areas) > models.MaxFrameworkAreas {
		t.Fatalf("document %s with %d levels, %d skills, %d areas", doc.Code, len(doc.Scale), len(doc.Skills), len(doc.Areas))
	}
	tiers := map[models.Tier]bool{}
	for _, t := range doc.Tiers {
		tiers[models.Tier(t.Code)] = true
	}
	for _, s := range doc.Skills {
		if !models.ValidCode(s.Code) || (s.Tier != "" && !tiers[s.Tier]) || !s.Status.Valid() {
			t.Fatalf("skill %+v", s)
		}
	}
}
