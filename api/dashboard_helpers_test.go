package api

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"cyberskills/api/dashboard"
)

// browser is a test's stand-in for a web browser on the dashboard: it keeps the cookies
// the server sets and sends them back, and posts forms as a page of the server would
// (with its Origin).
type browser struct {
	e       *testEnv
	cookies map[string]*http.Cookie
	headers []string // sent with every request, name, value pairs
}

// testOrigin is the origin httptest requests are addressed to.
const testOrigin = "http://example.com"

func (e *testEnv) browser(headers ...string) *browser {
	return &browser{e: e, cookies: map[string]*http.Cookie{}, headers: headers}
}

// browserWith is a new browser holding nothing but cookie: a copy of a session's cookie
// taken elsewhere, or a made-up one.
func (e *testEnv) browserWith(cookie http.Cookie) *browser {
	b := e.browser()
	b.cookies[cookie.Name] = &cookie
	return b
}

// dashboardSessions is how many dashboard sessions the database holds.
func (e *testEnv) dashboardSessions() (int, error) {
	var n int
	err := e.db.Get(&n, `SELECT count(*) FROM dashboard_sessions`)
	return n, err
}

func (b *browser) send(method, path string, form url.Values, headers ...string) *response {
	b.e.t.Helper()
	var body string
	contentType := ""
	if form != nil {
		body, contentType = form.Encode(), "application/x-www-form-urlencoded"
	}
	var jar []string
	for _, c := range b.cookies {
		jar = append(jar, c.Name+"="+c.Value)
	}
	h := append(append([]string{}, b.headers...), headers...)
	if len(jar) > 0 {
		h = append(h, "Cookie", strings.Join(jar, "; "))
	}
	r := b.e.send(method, path, strings.NewReader(body), contentType, h...)
	for _, c := range r.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c
	}
	return r
}

func (b *browser) get(path string) *response { return b.send("GET", path, nil) }

// post submits a form from a page of the server.
func (b *browser) post(path string, form url.Values) *response {
	return b.send("POST", path, form, "Origin", testOrigin)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the anti-forgery token of the form in a page.
func csrfOf(r *response) string {
	r.t.Helper()
	m := csrfField.FindStringSubmatch(r.Body.String())
	if m == nil {
		r.t.Fatalf("no anti-forgery token in the page:\n%s", r.Body.String())
	}
	return m[1]
}

// signIn signs the browser in with token, as a person would: the sign-in page, then its
// form.
func (b *browser) signIn(token string) *response {
	b.e.t.Helper()
	page := b.get("/dashboard/sign-in").expect(200)
	return b.post("/dashboard/sign-in", url.Values{"csrf": {csrfOf(page)}, "token": {token}})
}

// signedIn is a browser signed in with token.
func (e *testEnv) signedIn(token string) *browser {
	e.t.Helper()
	b := e.browser()
	b.signIn(token).expect(http.StatusSeeOther)
	if b.cookies[dashboard.SessionCookie] == nil {
		e.t.Fatal("signed in without a session cookie")
	}
	return b
}

// expectSignInRedirect fails unless the response sends the browser to sign in.
func (r *response) expectSignInRedirect() {
	r.t.Helper()
	r.expect(http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/dashboard/sign-in" {
		r.t.Fatalf("redirected to %q, want the sign-in page", loc)
	}
}
