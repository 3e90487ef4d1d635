package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cyberskills/models"
)

// TestCASEPackagesRoundTripThroughTheAPI imports every package of testdata/case (OpenSALT's
// test packages and the shapes of its 2017 exports) and our own export of both built-in
// frameworks as new frameworks; the export of each imports back into it as unchanged,
// so export then re-import gives the same document, as stored.
func TestCASEPackagesRoundTripThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	files, _ := filepath.Glob("../testdata/case/*.json")
	more, _ := filepath.Glob("../testdata/case/opensalt/*.json")
	packages := map[string]string{}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		packages[strings.TrimSuffix(filepath.Base(f), ".json")] = string(b)
	}
	for _, code := range []string{"cyber", "nice"} {
		packages["export-of-"+code] = e.as(e.admin(), "GET", "/api/v1/frameworks/"+code+"/export?format=case", nil).expect(200).Body.String()
	}
	if len(packages) != 11 {
		t.Fatalf("%d packages", len(packages))
	}
	for name, body := range packages {
		code := strings.ToLower(strings.ReplaceAll(name, "Framework", ""))
		var res models.ImportResult
		e.as(e.admin(), "POST", "/api/v1/frameworks/import?code="+code, body).expect(201).decode(&res)
		first := e.framework(code, 0)
		export := e.as(e.admin(), "GET", "/api/v1/frameworks/"+code+"/export?format=case", nil).expect(200).Body.String()
		e.as(e.admin(), "POST", "/api/v1/frameworks/import?code="+code, export).expect(200).decode(&res)
		if res.Outcome != "unchanged" || res.Version != 1 || !models.SameContent(e.framework(code, 0), first) {
			t.Errorf("%s: its export imports back as %+v", name, res)
		}
	}
}

// TestCASE2017ExportThroughTheAPI: what the issue found lost when OpenSALT's 2017 export
// went through the service is there in the framework and in its export.
func TestCASE2017ExportThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	body, err := os.ReadFile("../testdata/case/opensalt-2017-shape.json")
	if err != nil {
		t.Fatal(err)
	}
	e.as(e.admin(), "POST", "/api/v1/frameworks/import?code=ratios", string(body)).expect(201)
	f := e.framework("ratios", 0)
	if len(f.Associations) != 23 || f.Case == nil || f.Case.Document.Str("adoptionStatus") != "Draft" || f.Tiers != nil {
		t.Fatalf("framework: %d associations, source %+v", len(f.Associations), f.Case)
	}
	r := e.as(e.admin(), "GET", "/api/v1/frameworks/ratios/export?format=case", nil).expect(200)
	var pkg struct {
		CFDocument struct {
			Identifier, AdoptionStatus string
		}
		CFItems []struct {
			Identifier, CFItemType, ListEnumeration string
			EducationLevel                          []string
		}
		CFAssociations []struct {
			Identifier, AssociationType string
			SequenceNumber              *int
		}
	}
	if err := json.Unmarshal(r.Body.Bytes(), &pkg); err != nil {
		t.Fatal(err)
	}
	var source struct {
		CFItems []struct {
			Identifier string
		}
		CFAssociations []struct {
			Identifier string
		}
	}
	_ = json.Unmarshal(body, &source)
	ids := map[string]bool{}
	types, kinds := map[string]int{}, map[string]int{}
	for _, it := range pkg.CFItems {
		ids[it.Identifier] = true
		types[it.CFItemType]++
		if len(it.EducationLevel) != 1 {
			t.Fatalf("item %+v", it)
		}
	}
	for _, a := range pkg.CFAssociations {
		ids[a.Identifier] = true
		kinds[a.AssociationType]++
	}
	for _, x := range append(source.CFItems, source.CFAssociations...) {
		if !ids[x.Identifier] {
			t.Fatalf("source identifier %s lost", x.Identifier)
		}
	}
	if pkg.CFDocument.AdoptionStatus != "Draft" || pkg.CFDocument.Identifier != "7e4c0926-583d-51a0-a8b5-f3a35e58427b" ||
		types["Cluster"] != 2 || types["Standard"] != 6 || types["Component"] != 8 ||
		kinds["exactMatchOf"] != 16 || kinds["precedes"] != 3 || kinds["exemplar"] != 2 || kinds["isRelatedTo"] != 2 || kinds["isChildOf"] != 16 {
		t.Fatalf("export: document %+v, types %v, associations %v", pkg.CFDocument, types, kinds)
	}
	// Errors name the package's paths.
	bad := strings.Replace(string(body), `"sequenceNumber": "1"`, `"sequenceNumber": "one"`, 1)
	p := e.as(e.admin(), "POST", "/api/v1/frameworks/import?code=ratios2", bad).problem(400)
	if got := problemFields(p); len(got) != 1 || !strings.HasPrefix(got[0], "CFAssociations[") || !strings.HasSuffix(got[0], "].sequenceNumber") {
		t.Fatalf("errors %v", got)
	}
}
