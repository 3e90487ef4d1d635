package middleware

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

const nowKey = "now"

// Clock reads the service's clock once per request: every rule the request applies
// (token expiry, a report's default date, evidence assessed "now") judges by the same
// instant, and tests run the whole API as of any instant by wiring a fixed clock.
func Clock(clock models.Clock) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(nowKey, clock.Now().UTC())
		c.Next()
	}
}

// Now is the request's instant, read from the clock when the request arrived.
func Now(c *gin.Context) time.Time {
	if v, ok := c.Get(nowKey); ok {
		return v.(time.Time)
	}
	panic("middleware.Now: the Clock middleware is not installed")
}
