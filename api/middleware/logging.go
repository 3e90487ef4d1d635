package middleware

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
)

// Logger writes one structured line per request. It logs the route pattern rather than
// the raw path and never the query string, so that external ids and names stay out of logs.
func Logger(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		switch {
		case status == http.StatusServiceUnavailable:
			level = slog.LevelWarn // the database is away: an outage to watch, not a bug
		case status >= 500:
			level = slog.LevelError
		case status >= 400:
			level = slog.LevelWarn
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		attrs := []slog.Attr{
			slog.String("request_id", c.GetString(problem.RequestIDKey)),
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.Int("bytes", c.Writer.Size()),
		}
		if id, ok := c.Get(TokenIDKey); ok {
			attrs = append(attrs, slog.Any("token_id", id))
		}
		log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}
