// Package dashboard is the dashboard for people at /dashboard/: pages rendered on the
// server from the same scoped service calls as the API (html/template, embedded), charts
// drawn as inline SVG (package chart), a small script for conveniences only, and
// sign-in by a session cookie exchanged once for a token. The API's router mounts it
// (api/router.go) and serves its CSV downloads with the API's own handlers.
package dashboard

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/middleware"
	"cyberskills/models"
	"cyberskills/service"
)

// Prefix is where the dashboard lives; its cookies are confined to it.
const Prefix = "/dashboard"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config holds the dashboard's settings.
type Config struct {
	Sessions models.SessionPolicy
	// SecureCookie is "auto" (Secure when the request came over TLS or a proxy says
	// X-Forwarded-Proto: https) or "always".
	SecureCookie string
}

// Dashboard serves the pages.
type Dashboard struct {
	svc   *service.Service
	auth  middleware.Authenticator
	log   *slog.Logger
	cfg   Config
	pages map[string]*template.Template
}

// New prepares the dashboard over the service; tokens presented at sign-in are checked
// by auth, the API's authenticator.
func New(svc *service.Service, auth middleware.Authenticator, log *slog.Logger, cfg Config) *Dashboard {
	if cfg.Sessions.Idle <= 0 || cfg.Sessions.Lifetime <= 0 {
		cfg.Sessions = models.DefaultSessionPolicy
	}
	d := &Dashboard{svc: svc, auth: auth, log: log, cfg: cfg, pages: map[string]*template.Template{}}
	for _, name := range []string{"view.html", "signin.html", "error.html", "home.html"} {
		d.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
	}
	return d
}

// Static serves the stylesheet and the script from the binary.
func (d *Dashboard) Static() gin.HandlerFunc {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix(Prefix+"/static/", http.FileServer(http.FS(sub)))
	return func(c *gin.Context) {
		if strings.HasSuffix(c.Param("file"), "/") {
			c.Status(http.StatusNotFound) // no directory listings
			return
		}
		c.Header("Cache-Control", "no-cache")
		files.ServeHTTP(c.Writer, c.Request)
	}
}

// Redirect sends /dashboard to /dashboard/.
func (d *Dashboard) Redirect(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, Prefix+"/") }
