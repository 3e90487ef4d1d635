package middleware

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// BodyLimit caps every request body; reading past the cap fails with *http.MaxBytesError,
// which the binder reports as 413. Routes named by route pattern in limits (bulk imports,
// xAPI statements) get their own cap: gin has matched the route before middleware runs.
func BodyLimit(limit int64, limits map[string]int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			n := limit
			if l, ok := limits[c.FullPath()]; ok {
				n = l
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}
