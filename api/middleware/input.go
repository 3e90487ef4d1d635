package middleware

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
)

// ValidInput refuses, before anything else reads them, requests whose path, query string
// or headers hold a NUL or bytes that are not UTF-8. No identifier, search term or header
// we accept can contain either, and letting them through only moves the failure deeper:
// PostgreSQL refuses both in text and jsonb, so a NUL in a path once failed a whole batch
// of other requests' audit entries.
//
// It also refuses a path with a "." or ".." segment, written plainly or percent-encoded.
// The router cleans such a path before matching it, so DELETE .../staff/%2E%2E reached
// DELETE on the organisation: a request is answered for the path it names, or refused,
// never aimed at another resource. No identifier we accept is "." or ".."
// (models.KeptInPath).
func ValidInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		if where := invalidInput(c.Request); where != "" {
			problem.Status(c, http.StatusBadRequest, "the "+where+" holds a NUL character or bytes that are not UTF-8")
			return
		}
		if hasDotSegment(c.Request.URL.Path) {
			problem.Status(c, http.StatusBadRequest, "the path holds a '.' or '..' segment; name the resource itself")
			return
		}
		c.Next()
	}
}

// hasDotSegment reports whether the (decoded) path has a "." or ".." segment.
func hasDotSegment(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// invalidInput names the first part of r that is not clean text, or "".
func invalidInput(r *http.Request) string {
	if !cleanText(r.URL.Path) || !cleanText(r.URL.RawPath) {
		return "path"
	}
	for _, part := range strings.FieldsFunc(r.URL.RawQuery, func(c rune) bool { return c == '&' || c == ';' }) {
		for _, piece := range strings.SplitN(part, "=", 2) {
			s, err := url.QueryUnescape(piece)
			if err != nil || !cleanText(s) {
				return "query string"
			}
		}
	}
	for name, values := range r.Header {
		if !cleanText(name) {
			return "header " + strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "")
		}
		for _, v := range values {
			if !cleanText(v) {
				return "header " + name
			}
		}
	}
	return ""
}

func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
