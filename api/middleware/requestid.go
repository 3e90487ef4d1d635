// Package middleware holds the HTTP concerns that wrap every handler: request ids, logging,
// panic recovery, metrics, body limits, authentication, rate limits and auditing.
package middleware

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
)

// RequestIDHeader carries the request id in and out.
const RequestIDHeader = "X-Request-ID"

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// RequestID honours a caller's X-Request-ID when it is safe to log, generates one
// otherwise, and echoes it on the response.
func RequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if !safeRequestID.MatchString(id) {
			id = newRequestID()
		}
		c.Set(problem.RequestIDKey, id)
		c.Header(RequestIDHeader, id)
		c.Next()
	}
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
