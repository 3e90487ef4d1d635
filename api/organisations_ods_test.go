package api

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// importCSV posts a CSV file to the import route as admin.
func (e *testEnv) importOrganisationsCSV(query, body string) *response {
	e.t.Helper()
	return e.requestRaw("POST", "/api/v1/organisations/import"+query, body, "text/csv", "Authorization", "Bearer "+e.admin())
}

func (e *testEnv) mustImport(query, body string) models.OrganisationImportResult {
	e.t.Helper()
	var res models.OrganisationImportResult
	e.importOrganisationsCSV(query, body).expect(200).decode(&res)
	return res
}

// allOrganisations walks every page of a list.
func (e *testEnv) allOrganisations(token, query string) map[string]models.Organisation {
	e.t.Helper()
	out := map[string]models.Organisation{}
	path := "/api/v1/organisations?limit=100&" + query
	for {
		page := getJSON[Page[models.Organisation]](e, token, path)
		for _, o := range page.Items {
			if _, dup := out[o.Code]; dup {
				e.t.Fatalf("%s listed twice", o.Code)
			}
			out[o.Code] = o
		}
		if page.NextCursor == "" {
			return out
		}
		path = "/api/v1/organisations?limit=100&" + query + "&cursor=" + page.NextCursor
	}
}

func counts(i, u, n int) models.ImportCounts {
	return models.ImportCounts{Inserted: i, Updated: u, Unchanged: n}
}

func TestOrganisationImportNHSTrustsExtract(t *testing.T) {
	e := newEnv(t)
	raw, err := os.ReadFile("../testdata/ods/etr.csv")
	if err != nil {
		t.Fatal(err)
	}
	file, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	today := clocktest.Now().Format("20060102")

	res := e.mustImport("", string(raw))
	if res.Format != models.FormatODS || res.ImportCounts != counts(7+36+274, 0, 0) ||
		res.ByType[models.OrgRegion] != counts(7, 0, 0) || res.ByType[models.OrgICB] != counts(36, 0, 0) ||
		res.ByType[models.OrgTrust] != counts(274, 0, 0) || len(res.ByType) != 3 {
		t.Fatalf("first import: %+v", res)
	}

	// Every trust of the file, as the API shows it: under its ICB, in its region.
	trusts := e.allOrganisations(e.admin(), "type=trust")
	if len(trusts) != 274 {
		t.Fatalf("%d trusts", len(trusts))
	}
	perRegion, closed, welsh := map[string]int{}, 0, 0
	for _, row := range file {
		o := trusts[row[0]]
		region, icb := row[2], row[3]
		isClosed := row[11] != "" && row[11] <= today
		wantParent := icb
		if region == "" {
			welsh++ // imported at the top of the tree, with no region or ICB
		}
		if isClosed {
			closed++
		}
		if o.Name != row[1] || o.Parent != wantParent || o.ICB != icb || o.Region != region || o.Active == isClosed ||
			o.Postcode != row[9] || o.OpenDate.Time().Format("20060102") != row[10] || o.Type != models.OrgTrust {
			t.Errorf("trust %s: %+v; file %v", row[0], o, row[:12])
		}
		perRegion[region]++
	}
	if closed != 72 || welsh != 3 {
		t.Fatalf("the file has %d closed trusts and %d without a region, want 72 and 3", closed, welsh)
	}
	for region, want := range map[string]int{"Y56": 49, "Y58": 28, "Y59": 39, "Y60": 47, "Y61": 31, "Y62": 40, "Y63": 37} {
		if perRegion[region] != want {
			t.Errorf("file: %d trusts in %s, want %d", perRegion[region], region, want)
		}
		if got := e.allOrganisations(e.admin(), "type=trust&region="+region); len(got) != want {
			t.Errorf("API: %d trusts in %s, want %d", len(got), region, want)
		}
	}
	if inactive := e.allOrganisations(e.admin(), "type=trust&active=false"); len(inactive) != closed {
		t.Errorf("%d inactive trusts, want %d", len(inactive), closed)
	}

	rj1 := e.getOrg("RJ1")
	if rj1.Parent != "QKK" || rj1.ICB != "QKK" || rj1.Region != "Y56" || !rj1.Active || rj1.Postcode != "SE1 7EH" ||
		rj1.Name != "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" || rj1.Sector != "" {
		t.Errorf("RJ1: %+v", rj1)
	}
	if o := e.getOrg("RCX"); o.Name != "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST" || o.Sector != models.SectorAcute {
		t.Errorf("RCX: %+v", o)
	}
	if o := e.getOrg("RRU"); o.Sector != models.SectorAmbulance {
		t.Errorf("RRU: %+v", o)
	}
	if o := e.getOrg("RGZ"); o.Active || o.CloseDate.String() != "2009-03-31" {
		t.Errorf("closed RGZ: %+v", o)
	}
	if o := e.getOrg("RT4"); o.Parent != "" || o.Region != "" || o.ICB != "" || !o.Active || o.Sector != models.SectorAmbulance {
		t.Errorf("Welsh RT4: %+v", o)
	}
	if o := e.getOrg("Y56"); o.Name != "London" || o.Type != models.OrgRegion || o.Parent != "" || o.Sector != models.SectorCommissioning {
		t.Errorf("region Y56: %+v", o)
	}
	if o := e.getOrg("Y63"); o.Name != "North East and Yorkshire" {
		t.Errorf("region Y63: %+v", o)
	}
	if o := e.getOrg("QKK"); o.Name != "Integrated Care Board QKK" || o.Type != models.OrgICB || o.Parent != "Y56" || o.Region != "Y56" {
		t.Errorf("ICB QKK: %+v", o)
	}
	icbs := e.allOrganisations(e.admin(), "type=icb")
	if len(icbs) != 36 {
		t.Errorf("%d ICBs", len(icbs))
	}

	// A second import changes nothing, not even updated_at.
	again := e.mustImport("?format=ods", string(raw))
	if again.ImportCounts != counts(0, 0, 317) || again.ByType[models.OrgTrust] != counts(0, 0, 274) ||
		again.ByType[models.OrgICB] != counts(0, 0, 36) || again.ByType[models.OrgRegion] != counts(0, 0, 7) {
		t.Fatalf("second import: %+v", again)
	}
	if o := e.getOrg("RJ1"); !o.UpdatedAt.Equal(rj1.UpdatedAt) {
		t.Fatalf("RJ1 touched: %v -> %v", rj1.UpdatedAt, o.UpdatedAt)
	}

	// What people set and the extract does not carry survives a re-import: an ICB's real
	// name, a sector chosen by hand, a headcount.
	e.as(e.admin(), "PATCH", "/api/v1/organisations/QKK", org{"name": "NHS South East London ICB"}).expect(200)
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RRU", org{"sector": "other_public", "headcount": 7000}).expect(200)
	e.as(e.admin(), "PATCH", "/api/v1/organisations/RJ1", org{"name": "Guy's", "parent": "Y58"}).expect(200)
	third := e.mustImport("", string(raw))
	if third.ImportCounts != counts(0, 1, 316) || third.ByType[models.OrgTrust] != counts(0, 1, 273) {
		t.Fatalf("third import: %+v", third)
	}
	if o := e.getOrg("QKK"); o.Name != "NHS South East London ICB" {
		t.Errorf("ICB renamed back: %+v", o)
	}
	if o := e.getOrg("RRU"); o.Sector != models.SectorOtherPublic || *o.Headcount != 7000 {
		t.Errorf("RRU lost its sector or headcount: %+v", o)
	}
	if o := e.getOrg("RJ1"); o.Name != "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" || o.Parent != "QKK" || o.Region != "Y56" {
		t.Errorf("RJ1 not put back by the extract: %+v", o)
	}
}
