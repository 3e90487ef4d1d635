package api

import (
	"strings"
	"testing"
)

func TestStartPageAnswersAtTheRootAndTheAPIPrefixWithoutAToken(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/api/v1"} {
		var got Index
		e.request("GET", path, nil).expect(200).decode(&got)
		if got.Links.Docs != "/docs/" || got.Links.OpenAPI != "/openapi.json" || got.Links.Health != "/healthz" ||
			got.Links.Metrics != "/metrics" || got.Links.API != "/api/v1" || got.Links.XAPI != "/xapi/" || got.Links.Dashboard != "/dashboard/" || !strings.Contains(got.Authentication, "cyberskills token create --role admin") {
			t.Errorf("%s: %+v", path, got)
		}
		// Every link it gives answers (the API's own routes need a token; the LRS's About
		// resource does not).
		for _, link := range []string{got.Links.Docs, got.Links.OpenAPI, got.Links.Health, got.Links.Metrics, got.Links.XAPI + "about", got.Links.Dashboard + "sign-in"} {
			if r := e.request("GET", link, nil); r.Code != 200 && r.Code != 301 {
				t.Errorf("%s links to %s, which answers %d", path, link, r.Code)
			}
		}
	}
	page := e.request("GET", "/", nil, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8").expect(200)
	if ct := page.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(page.Body.String(), `<a href="/docs/">`) {
		t.Errorf("a browser gets %s:\n%s", ct, page.Body.String())
	}
	e.request("GET", "/api/v1/", nil).problem(404) // a path is answered as written
}
