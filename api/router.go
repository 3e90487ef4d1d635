// Package api is the HTTP surface of cyberskills: the router, one file per resource, and
// the middleware in api/middleware.
//
// @title                       cyberskills API
// @version                     1.0
// @description                 Tracks cyber security skills across an organisation's workforce, measures the gap to what its roles and services need, and plans how to close it. Every route except the operational ones needs a bearer token; errors are RFC 9457 problem details (application/problem+json).
// @contact.name                cyberskills maintainers
// @license.name                MIT
// @license.url                 https://opensource.org/licenses/MIT
// @BasePath                    /
// @securityDefinitions.apikey  BearerAuth
// @in                          header
// @name                        Authorization
// @description                 A bearer token: "Bearer csk_...". Mint the first admin token with `cyberskills token create --role admin --name NAME`.
package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/api/middleware"
	"cyberskills/api/problem"
)

// Router builds the whole API. Middleware runs in this order for every request:
// request id -> recover -> logging -> metrics -> timeout -> body limit, then per group
// authentication -> rate limit -> audit.
func (s *Server) Router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.RemoveExtraSlash = true
	r.NoRoute(func(c *gin.Context) { problem.Status(c, http.StatusNotFound, "no such route: "+c.Request.URL.Path) })
	r.NoMethod(func(c *gin.Context) {
		problem.Status(c, http.StatusMethodNotAllowed, c.Request.Method+" is not allowed here; see the Allow header")
	})

	r.Use(
		middleware.RequestID(),
		middleware.Recover(s.log),
		middleware.Logger(s.log),
		s.metrics.Handler(),
		s.timeout(),
		middleware.BodyLimit(s.cfg.BodyLimit, s.importRoutes(s.cfg.ImportBodyLimit)),
	)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsHandler())
	r.GET("/openapi.json", s.openAPI)
	r.GET("/docs", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/docs/index.html") })
	r.GET("/docs/*any", s.swaggerUI())

	return r
}

// importRoutes lists the bulk routes, which accept large files and run longer.
func (s *Server) importRoutes(limit int64) map[string]int64 {
	return map[string]int64{}
}

// timeout bounds each request's context, so that queries stop when the caller's budget
// is spent; bulk imports get the longer import budget.
func (s *Server) timeout() gin.HandlerFunc {
	imports := s.importRoutes(0)
	return func(c *gin.Context) {
		d := s.cfg.RequestTimeout
		if _, ok := imports[c.FullPath()]; ok {
			d = s.cfg.ImportTimeout
		}
		if d <= 0 {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}
