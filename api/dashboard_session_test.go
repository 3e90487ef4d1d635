package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cyberskills/api/dashboard"
	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// TestDashboardSignIn exchanges a token for a session: the cookie is HttpOnly,
// SameSite=Strict, confined to /dashboard, expires with the session's lifetime, holds
// no token, and only its hash is stored; the sign-in is in the audit trail.
func TestDashboardSignIn(t *testing.T) {
	e := newEnv(t)
	tok, secret := e.createToken(models.NewToken{Name: "analyst", Role: models.RoleAnalyst})
	b := e.browser()
	r := b.signIn(secret).expect(http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/dashboard/" {
		t.Fatalf("signed in to %q, want /dashboard/", loc)
	}
	c := b.cookies[dashboard.SessionCookie]
	if c == nil {
		t.Fatal("no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/dashboard" || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/dashboard, not Secure over plain HTTP", c)
	}
	if c.MaxAge != int((12 * time.Hour).Seconds()) {
		t.Errorf("cookie Max-Age %d, want the 12-hour lifetime", c.MaxAge)
	}
	if strings.Contains(c.Value, secret) || c.Value == "" {
		t.Error("the cookie holds the token")
	}
	if _, gone := b.cookies[dashboard.SignInCookie]; gone {
		t.Error("the sign-in cookie outlives the sign-in")
	}
	var stored int
	if err := e.db.Get(&stored, `SELECT count(*) FROM dashboard_sessions WHERE token_id = $1 AND hash = $2`, tok.ID, models.HashSession(c.Value)); err != nil || stored != 1 {
		t.Fatalf("sessions stored under the cookie's hash: %d, %v", stored, err)
	}
	page := b.get("/dashboard/").expect(200)
	if !strings.Contains(page.Body.String(), "Signed in as") || strings.Contains(page.Body.String(), secret) {
		t.Error("the overview does not show who is signed in, or shows the token")
	}
	var audited int
	if err := e.db.Get(&audited, `SELECT count(*) FROM audit_log WHERE route = '/dashboard/sign-in' AND method = 'POST' AND token_id = $1`, tok.ID); err != nil || audited != 1 {
		t.Errorf("sign-ins in the audit trail: %d, %v", audited, err)
	}
}

// TestDashboardSecureCookieBehindTLS: behind a proxy that terminated TLS the cookie is
// Secure.
func TestDashboardSecureCookieBehindTLS(t *testing.T) {
	e := newEnv(t)
	b := e.browser("X-Forwarded-Proto", "https")
	b.signIn(e.mint(models.RoleAnalyst, "", "")).expect(http.StatusSeeOther)
	if c := b.cookies[dashboard.SessionCookie]; c == nil || !c.Secure {
		t.Errorf("cookie over a TLS proxy: %+v, want Secure", c)
	}
}

// TestDashboardSecureCookieAlways: configured so, the cookie is Secure whatever the
// request says.
func TestDashboardSecureCookieAlways(t *testing.T) {
	cfg := testConfig()
	cfg.Dashboard.SecureCookie = "always"
	e := newEnvWith(t, cfg)
	b := e.browser()
	b.signIn(e.mint(models.RoleAnalyst, "", "")).expect(http.StatusSeeOther)
	if c := b.cookies[dashboard.SessionCookie]; c == nil || !c.Secure {
		t.Errorf("cookie with SecureCookie=always: %+v, want Secure", c)
	}
}

// TestDashboardSecurityHeaders: every dashboard answer carries a strict policy.
func TestDashboardSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(e.mint(models.RoleAnalyst, "", ""))
	for _, path := range []string{"/dashboard/sign-in", "/dashboard/", "/dashboard/statistics", "/dashboard/static/dashboard.css"} {
		r := b.get(path).expect(200)
		csp := r.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
			"frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: the policy allows inline code: %q", path, csp)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if got := r.Header().Get(header); got != want {
				t.Errorf("%s: %s %q, want %q", path, header, got, want)
			}
		}
		if body := r.Body.String(); strings.Contains(body, "style=") || strings.Contains(body, "<script>") || strings.Contains(body, "onclick") {
			t.Errorf("%s: inline style or script in the page", path)
		}
	}
}

// TestDashboardSignInRefusals: a bad token, a trainer token and forged forms open no
// session.
func TestDashboardSignInRefusals(t *testing.T) {
	e := newEnv(t)
	analyst := e.mint(models.RoleAnalyst, "", "")
	cases := []struct {
		name   string
		status int
		post   func(b *browser, csrf string) *response
	}{
		{"a token that is not one", http.StatusUnauthorized, func(b *browser, csrf string) *response {
			return b.post("/dashboard/sign-in", url.Values{"csrf": {csrf}, "token": {"csk_not-a-token"}})
		}},
		{"a trainer token", http.StatusForbidden, func(b *browser, csrf string) *response {
			return b.post("/dashboard/sign-in", url.Values{"csrf": {csrf}, "token": {e.mint(models.RoleTrainer, "", "acme")}})
		}},
		{"without the anti-forgery token", http.StatusForbidden, func(b *browser, _ string) *response {
			return b.post("/dashboard/sign-in", url.Values{"token": {analyst}})
		}},
		{"from another site", http.StatusForbidden, func(b *browser, csrf string) *response {
			return b.send("POST", "/dashboard/sign-in", url.Values{"csrf": {csrf}, "token": {analyst}}, "Origin", "https://evil.example")
		}},
		{"without an origin", http.StatusForbidden, func(b *browser, csrf string) *response {
			return b.send("POST", "/dashboard/sign-in", url.Values{"csrf": {csrf}, "token": {analyst}})
		}},
		{"without the sign-in cookie (a form from elsewhere)", http.StatusForbidden, func(b *browser, csrf string) *response {
			delete(b.cookies, dashboard.SignInCookie)
			return b.post("/dashboard/sign-in", url.Values{"csrf": {csrf}, "token": {analyst}})
		}},
	}
	for _, c := range cases {
		b := e.browser()
		csrf := csrfOf(b.get("/dashboard/sign-in").expect(200))
		c.post(b, csrf).expect(c.status)
		if b.cookies[dashboard.SessionCookie] != nil {
			t.Errorf("%s: a session cookie was set", c.name)
		}
	}
	if sessions, err := e.dashboardSessions(); err != nil || sessions != 0 {
		t.Errorf("sessions stored: %d, %v", sessions, err)
	}
}

// TestDashboardWritesNeedTheSessionsToken: sign-out and the scenario form refuse a post
// without the session's anti-forgery token or from another origin, and change nothing.
func TestDashboardWritesNeedTheSessionsToken(t *testing.T) {
	e := newEnv(t)
	f := newMatrixFixture(e)
	b := e.signedIn(f.tokens[models.RoleHR])
	csrf := csrfOf(b.get("/dashboard/").expect(200))
	other := e.signedIn(f.tokens[models.RoleHR])
	otherCSRF := csrfOf(other.get("/dashboard/").expect(200))
	if csrf == otherCSRF {
		t.Fatal("two sessions share an anti-forgery token")
	}
	b.post("/dashboard/sign-out", url.Values{}).expect(http.StatusForbidden)
	b.post("/dashboard/sign-out", url.Values{"csrf": {otherCSRF}}).expect(http.StatusForbidden)
	b.send("POST", "/dashboard/sign-out", url.Values{"csrf": {csrf}}, "Origin", "https://evil.example").expect(http.StatusForbidden)
	b.post("/dashboard/organisation/scenario?org=ORGA", url.Values{"change": {"hire"}, "role": {"orga-role"}, "count": {"1"}}).expect(http.StatusForbidden)
	b.get("/dashboard/").expect(200) // still signed in
	b.post("/dashboard/organisation/scenario?org=ORGA", url.Values{"csrf": {csrf}, "change": {"hire"}, "role": {"orga-role"}, "count": {"2"}}).expect(200)
}

// TestDashboardSessionExpiry: a session ends after its idle time without a request, and
// at its lifetime after sign-in whatever happens; an expired cookie is cleared. (Here 1
// hour idle and 3 hours in all, configured.)
func TestDashboardSessionExpiry(t *testing.T) {
	clock := clocktest.NewManual()
	cfg := testConfig()
	cfg.Dashboard.Sessions = models.SessionPolicy{Idle: time.Hour, Lifetime: 3 * time.Hour}
	e := newEnvOnClock(t, cfg, clock)
	secret := e.mint(models.RoleAnalyst, "", "")

	idle := e.signedIn(secret)
	if c := idle.cookies[dashboard.SessionCookie]; c.MaxAge != int((3 * time.Hour).Seconds()) {
		t.Errorf("cookie Max-Age %d, want the configured lifetime", c.MaxAge)
	}
	clock.Advance(59 * time.Minute)
	idle.get("/dashboard/").expect(200)
	clock.Advance(59 * time.Minute) // two hours less two minutes after sign-in, never idle an hour
	idle.get("/dashboard/").expect(200)
	clock.Advance(61 * time.Minute)
	idle.get("/dashboard/").expectSignInRedirect()
	if idle.cookies[dashboard.SessionCookie] != nil {
		t.Error("the expired session's cookie is kept")
	}

	busy := e.signedIn(secret)
	for i := 0; i < 3; i++ {
		clock.Advance(50 * time.Minute)
		busy.get("/dashboard/").expect(200)
	}
	clock.Advance(50 * time.Minute) // past the 3 hours
	busy.get("/dashboard/").expectSignInRedirect()
}

// TestDashboardSessionEndsWithItsToken: a session never outlives its token's expiry.
func TestDashboardSessionEndsWithItsToken(t *testing.T) {
	clock := clocktest.NewManual()
	e := newEnvOnClock(t, testConfig(), clock)
	_, secret := e.createToken(models.NewToken{Name: "short", Role: models.RoleAnalyst, ExpiresIn: 2 * time.Hour})
	b := e.signedIn(secret)
	if c := b.cookies[dashboard.SessionCookie]; c.MaxAge != int((2 * time.Hour).Seconds()) {
		t.Errorf("cookie Max-Age %d, want the token's remaining 2 hours", c.MaxAge)
	}
	clock.Advance(2 * time.Hour)
	b.get("/dashboard/").expectSignInRedirect()
}

// TestDashboardSignInAgainReplacesTheSession: a browser signing in again (another
// token, say) leaves no session of the first behind.
func TestDashboardSignInAgainReplacesTheSession(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(e.mint(models.RoleAnalyst, "", ""))
	first := *b.cookies[dashboard.SessionCookie]
	b.signIn(e.mint(models.RoleAnalyst, "", "")).expect(http.StatusSeeOther)
	if b.cookies[dashboard.SessionCookie].Value == first.Value {
		t.Fatal("signing in again kept the session id")
	}
	e.browserWith(first).get("/dashboard/").expectSignInRedirect()
	if sessions, err := e.dashboardSessions(); err != nil || sessions != 1 {
		t.Errorf("sessions: %d, %v; want the new one alone", sessions, err)
	}
}

// TestDashboardSignOut deletes the session on the server: a copy of the cookie is
// worthless afterwards.
func TestDashboardSignOut(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(e.mint(models.RoleAnalyst, "", ""))
	stolen := *b.cookies[dashboard.SessionCookie]
	csrf := csrfOf(b.get("/dashboard/").expect(200))
	r := b.post("/dashboard/sign-out", url.Values{"csrf": {csrf}}).expect(http.StatusSeeOther)
	if loc := r.Header().Get("Location"); !strings.HasPrefix(loc, "/dashboard/sign-in") {
		t.Errorf("signed out to %q", loc)
	}
	if b.cookies[dashboard.SessionCookie] != nil {
		t.Error("the cookie survives sign-out")
	}
	e.browserWith(stolen).get("/dashboard/").expectSignInRedirect()
	if sessions, err := e.dashboardSessions(); err != nil || sessions != 0 {
		t.Errorf("sessions left: %d, %v", sessions, err)
	}
}

// TestDashboardRevocationEndsSessions: revoking a token ends its sessions at once.
func TestDashboardRevocationEndsSessions(t *testing.T) {
	e := newEnv(t)
	tok, secret := e.createToken(models.NewToken{Name: "analyst", Role: models.RoleAnalyst})
	b := e.signedIn(secret)
	b.get("/dashboard/statistics").expect(200)
	e.as(e.admin(), "DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil).expect(200)
	b.get("/dashboard/statistics").expectSignInRedirect()
	var sessions int
	if err := e.db.Get(&sessions, `SELECT count(*) FROM dashboard_sessions WHERE token_id = $1`, tok.ID); err != nil || sessions != 0 {
		t.Errorf("sessions of the revoked token: %d, %v", sessions, err)
	}
	e.browser().signIn(secret).expect(http.StatusUnauthorized)
}

// TestDashboardNeedsASession: without one, every page sends the browser to sign in and
// every download too; a made-up cookie is no better.
func TestDashboardNeedsASession(t *testing.T) {
	e := newEnv(t)
	forged := e.browserWith(http.Cookie{Name: dashboard.SessionCookie, Value: "made-up"})
	for _, b := range []*browser{e.browser(), forged} {
		for _, path := range []string{"/dashboard/", "/dashboard/statistics", "/dashboard/organisation?org=X", "/dashboard/csv/statistics/headline"} {
			b.get(path).expectSignInRedirect()
		}
	}
	e.request("GET", "/dashboard", nil).expect(http.StatusMovedPermanently)
}
