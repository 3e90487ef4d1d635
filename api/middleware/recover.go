package middleware

import (
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
)

// Recover turns a panic into a 500 problem carrying the request id. The stack goes to
// the log, never to the client.
func Recover(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec) // the client went away; let net/http handle it quietly
			}
			log.ErrorContext(c.Request.Context(), "panic",
				"request_id", c.GetString(problem.RequestIDKey),
				"panic", rec, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				problem.Status(c, http.StatusInternalServerError,
					"an internal error occurred; quote the request id when reporting it")
			}
			c.Abort()
		}()
		c.Next()
	}
}
