package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cyberskills/api/client"
	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// contractServer is a real HTTP server over the test's router whose every exchange is
// validated against the served description, as send's are.
func (e *testEnv) contractServer() *httptest.Server {
	e.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		checkExchange(e.t, r, body, rec)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	e.t.Cleanup(srv.Close)
	return srv
}

// bearer authenticates the generated client's requests with token.
func bearer(token string) client.ClientOption {
	return client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
}

// TestGeneratedClientEndToEnd drives a short flow through the Go client generated from
// the description (api/client), over HTTP: it compiles against the description and
// decodes every answer of the flow, CSV included.
func TestGeneratedClientEndToEnd(t *testing.T) {
	e := newEnv(t)
	srv := e.contractServer()
	ctx := context.Background()
	admin, err := client.NewClientWithResponses(srv.URL, bearer(e.admin()))
	if err != nil {
		t.Fatal(err)
	}
	ptr := func(s string) *string { return &s }

	org, err := admin.CreateOrganisationWithResponse(ctx, nil, client.CreateOrganisationJSONRequestBody{
		Code: "E2E1", Name: "End-to-end trust", Type: client.OrgTrust})
	if err != nil || org.JSON201 == nil || org.JSON201.Code != "E2E1" || org.HTTPResponse.Header.Get("Location") != "/api/v1/organisations/E2E1" {
		t.Fatalf("create organisation: %v %s", err, org.Body)
	}
	for _, id := range []string{"P1", "P2"} {
		st, err := admin.CreateStaffWithResponse(ctx, "E2E1", nil, client.CreateStaffJSONRequestBody{
			ExternalId: id, Role: ptr("network-engineer")})
		if err != nil || st.JSON201 == nil || st.JSON201.Status != client.StaffActive {
			t.Fatalf("create staff %s: %v %s", id, err, st.Body)
		}
	}
	level := 3
	ev, err := admin.AddEvidenceWithResponse(ctx, "E2E1", "P1", nil, client.AddEvidenceJSONRequestBody{
		Skill: ptr("firewall-config"), Level: &level, Source: client.SourceAssessment})
	if err != nil || ev.JSON201 == nil || ev.JSON201.Level != 3 {
		t.Fatalf("add evidence: %v %s", err, ev.Body)
	}

	months := 24
	course, err := admin.PutCourseWithResponse(ctx, "E2E-FW", client.PutCourseJSONRequestBody{
		Title: "Firewalls in practice", Provider: ptr("e2e-academy"), ValidityMonths: &months,
		Skills: []client.ModelsCourseSkill{{Skill: "firewall-config", Level: 3}}})
	if err != nil || course.JSON201 == nil {
		t.Fatalf("put course: %v %s", err, course.Body)
	}
	passed, failed := true, false
	at := clocktest.Now().AddDate(0, 0, -3).Truncate(time.Second)
	var batch client.ModelsNewCompletionBatch
	if err := batch.FromModelsNewCompletionBatch1([]client.ModelsNewCompletion{
		{CompletionId: "E2E-1", Organisation: "E2E1", StaffExternalId: "P1", Course: "E2E-FW", CompletedAt: at, Passed: &failed, Provider: ptr("e2e-academy")},
		{CompletionId: "E2E-2", Organisation: "E2E1", StaffExternalId: "P2", Course: "E2E-FW", CompletedAt: at, Passed: &passed, Provider: ptr("e2e-academy")},
	}); err != nil {
		t.Fatal(err)
	}
	done, err := admin.PostCompletionsWithResponse(ctx, nil, batch)
	if err != nil || done.JSON201 == nil || len(done.JSON201.Items) != 2 || len(done.JSON201.Items[0].Evidence) != 0 ||
		len(done.JSON201.Items[1].Evidence) != 1 {
		t.Fatalf("post completions: %v %s", err, done.Body)
	}

	gaps, err := admin.GetGapsWithResponse(ctx, "E2E1", nil)
	if err != nil || gaps.JSON200 == nil {
		t.Fatalf("gap report: %v %s", err, gaps.Body)
	}
	lines := map[string]client.ModelsSkillGapLine{}
	for _, l := range gaps.JSON200.Skills {
		lines[l.Skill] = l
	}
	// P1 by the assessment, P2 by the passed course.
	if fw := lines["firewall-config"]; fw.Demand != 2 || fw.Supply != 2 || fw.Coverage == nil || *fw.Coverage != 1 {
		t.Errorf("firewall-config: demand %d, supply %d, coverage %v; want 2, 2, 1", fw.Demand, fw.Supply, fw.Coverage)
	}

	analyst, err := client.NewClientWithResponses(srv.URL, bearer(e.mint(models.RoleAnalyst, "", "")))
	if err != nil {
		t.Fatal(err)
	}
	headline, err := analyst.GetHeadlineWithResponse(ctx, nil)
	if err != nil || headline.JSON200 == nil {
		t.Fatalf("headline: %v %s", err, headline.Body)
	}
	if h := headline.JSON200; h.Organisations.Value != nil || h.Organisations.Suppressed == nil || !*h.Organisations.Suppressed ||
		h.BasicSkillsGap.Share != nil || h.Filter.Type != "trust" {
		t.Errorf("the headline over one trust is published: %s", headline.Body)
	}

	csv := client.GetGapsParamsFormat("csv")
	report, err := admin.GetGapsWithResponse(ctx, "E2E1", &client.GetGapsParams{Format: &csv})
	if err != nil || report.StatusCode() != 200 || !strings.HasPrefix(report.HTTPResponse.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("gap report as CSV: %v %d %s", err, report.StatusCode(), report.Body)
	}
	rows := strings.Split(strings.TrimSpace(string(report.Body)), "\n")
	if !strings.HasPrefix(rows[0], "organisation,skill,name,tier,demand,supply,") || len(rows) != 1+len(gaps.JSON200.Skills) {
		t.Errorf("CSV gap report:\n%s", report.Body)
	}
}
