package dashboard

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/middleware"
	"cyberskills/models"
)

// Cookies. Both are HttpOnly, SameSite=Strict and confined to /dashboard; neither holds
// a token. The session cookie holds the session's secret (stored hashed); the sign-in
// cookie binds the sign-in form to the browser that asked for it (login CSRF).
const (
	SessionCookie = "csk_session"
	SignInCookie  = "csk_signin"
	sessionKey    = "dashboard_session"
)

// Roles are the roles the dashboard has views for.
var Roles = []models.Role{models.RoleAdmin, models.RoleHR, models.RoleAnalyst}

func (d *Dashboard) secure(r *http.Request) bool {
	return d.cfg.SecureCookie == "always" || r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (d *Dashboard) setCookie(c *gin.Context, name, value string, maxAge time.Duration) {
	seconds := int(maxAge / time.Second)
	if maxAge < 0 {
		seconds = -1
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: seconds,
		HttpOnly: true, Secure: d.secure(c.Request), SameSite: http.SameSiteStrictMode})
}

// RequireSession signs the request in from its session cookie, with the principal of
// the session's token, or sends the browser to the sign-in page.
func (d *Dashboard) RequireSession(c *gin.Context) {
	secret, err := c.Cookie(SessionCookie)
	if err == nil && secret != "" {
		p, err := d.svc.SessionPrincipal(c.Request.Context(), secret, d.cfg.Sessions)
		if err == nil {
			middleware.SignIn(c, p)
			c.Set(sessionKey, secret)
			c.Next()
			return
		}
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			d.fail(c, err)
			return
		}
		d.setCookie(c, SessionCookie, "", -1)
	}
	c.Redirect(http.StatusSeeOther, Prefix+"/sign-in")
	c.Abort()
}

// Allow admits only the given roles to a page; others see a 403 page.
func (d *Dashboard) Allow(roles ...models.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, middleware.PrincipalOf(c).Role) {
			d.errorPage(c, http.StatusForbidden, "Forbidden", "Your token's role may not see this view.")
			return
		}
		c.Next()
	}
}

// signInForm shows the sign-in form, bound to this browser by a fresh sign-in cookie.
func (d *Dashboard) signInForm(c *gin.Context, status int, message string) {
	nonce, _ := models.NewSessionSecret()
	d.setCookie(c, SignInCookie, nonce, time.Hour)
	d.render(c, status, "signin.html", view{Title: "Sign in", CSRF: models.CSRFToken(nonce), Error: message})
}

// SignInPage is GET /dashboard/sign-in.
func (d *Dashboard) SignInPage(c *gin.Context) {
	msg := ""
	if c.Query("signed_out") != "" {
		msg = "You are signed out."
	}
	d.signInForm(c, http.StatusOK, msg)
}

// SignIn is POST /dashboard/sign-in: the token is checked once, as the API checks it,
// and exchanged for a session; it is kept nowhere, neither in the page nor in the
// browser. The form must come from this origin and carry the anti-forgery token bound
// to its sign-in cookie.
func (d *Dashboard) SignIn(c *gin.Context) {
	nonce, _ := c.Cookie(SignInCookie)
	if !sameOrigin(c.Request) || nonce == "" || !models.SameSecret(c.PostForm("csrf"), models.CSRFToken(nonce)) {
		d.refuseForgery(c)
		return
	}
	p, err := d.auth.Authenticate(c.Request.Context(), strings.TrimSpace(c.PostForm("token")), middleware.Now(c))
	if err != nil {
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			d.fail(c, err)
			return
		}
		d.log.WarnContext(c.Request.Context(), "dashboard sign-in failed", "reason", models.ErrorMessage(err), "client_ip", c.ClientIP())
		d.signInForm(c, http.StatusUnauthorized, "That token is not valid. Check it and try again.")
		return
	}
	if !slices.Contains(Roles, p.Role) {
		d.signInForm(c, http.StatusForbidden, "The dashboard has views for admin, hr and analyst tokens; a "+string(p.Role)+" token has none.")
		return
	}
	middleware.SignIn(c, p) // the audit trail records the sign-in under the token
	s, err := d.svc.StartSession(c.Request.Context(), p, d.cfg.Sessions)
	if err != nil {
		d.fail(c, err)
		return
	}
	if previous, err := c.Cookie(SessionCookie); err == nil && previous != "" {
		if err := d.svc.EndSession(c.Request.Context(), previous); err != nil { // a session replaced does not linger
			d.fail(c, err)
			return
		}
	}
	d.setCookie(c, SignInCookie, "", -1)
	d.setCookie(c, SessionCookie, s.Secret, s.ExpiresAt.Sub(middleware.Now(c)))
	c.Redirect(http.StatusSeeOther, Prefix+"/")
}

// SignOut is POST /dashboard/sign-out: the session is deleted on the server, so the
// cookie is worthless even if a copy survives.
func (d *Dashboard) SignOut(c *gin.Context) {
	if err := d.svc.EndSession(c.Request.Context(), c.GetString(sessionKey)); err != nil {
		d.fail(c, err)
		return
	}
	d.setCookie(c, SessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, Prefix+"/sign-in?signed_out=1")
}
