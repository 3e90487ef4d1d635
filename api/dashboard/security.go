package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// ContentSecurityPolicy admits only the dashboard's own files: no inline script or
// style (not even style attributes), no framing, forms posting only here. Charts are
// inline SVG, which needs none of it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// Headers sets the security headers of every dashboard answer. Pages carry personal and
// scoped figures, so no cache keeps them.
func Headers() gin.HandlerFunc {
	return func(c *gin.Context) {
		SecurityHeaders(c.Writer.Header(), ContentSecurityPolicy)
		c.Next()
	}
}

// SecurityHeaders sets the dashboard's security headers with a page's policy: every
// HTML page the service serves carries them (the board report too, with its own CSP).
func SecurityHeaders(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // no-referrer would make browsers send Origin: null with a form
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cache-Control", "no-store")
}

// sameOrigin reports whether a write comes from a page of this server: its Origin (or,
// without one, its Referer) names the host the request was sent to. Browsers send
// Origin with every POST; a write without either is refused.
func sameOrigin(r *http.Request) bool {
	from := r.Header.Get("Origin")
	if from == "" || from == "null" {
		from = r.Header.Get("Referer")
	}
	u, err := url.Parse(from)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Host == r.Host && (u.Scheme == "http" || u.Scheme == "https")
}

// CheckWrite guards every write of a signed-in session: it must come from this origin
// and carry the session's anti-forgery token (a synchroniser token derived from the
// session secret, which only the HttpOnly cookie holds). Refused: 403, nothing done.
func (d *Dashboard) CheckWrite(c *gin.Context) {
	if !sameOrigin(c.Request) || !models.SameSecret(c.PostForm("csrf"), models.CSRFToken(c.GetString(sessionKey))) {
		d.refuseForgery(c)
		return
	}
	c.Next()
}

func (d *Dashboard) refuseForgery(c *gin.Context) {
	d.log.WarnContext(c.Request.Context(), "dashboard write refused: cross-site or without its anti-forgery token", "route", c.FullPath())
	d.errorPage(c, http.StatusForbidden, "Forbidden", "This form has expired or did not come from the dashboard. Go back, reload the page and try again.")
}

// CSVDownload makes an API report answer as a CSV file to save: the dashboard's links
// download what a page shows through the API's own handler and CSV writer.
func CSVDownload(c *gin.Context) {
	q := c.Request.URL.Query()
	q.Set("format", "csv")
	c.Request.URL.RawQuery = q.Encode()
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, strings.TrimPrefix(c.Request.URL.Path, Prefix+"/csv/"))
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Next()
}
