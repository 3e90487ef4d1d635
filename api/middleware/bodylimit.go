package middleware

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// BodyLimit caps every request body; reading past the cap fails with *http.MaxBytesError,
// which the binder reports as 413. Bulk routes, named by route pattern in bulk, get the
// larger cap: gin has matched the route before middleware runs.
func BodyLimit(limit, bulkLimit int64, bulk map[string]bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			n := limit
			if bulk[c.FullPath()] {
				n = bulkLimit
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}
