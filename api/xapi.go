package api

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/models/xapi"
)

// xapiBase is the base URL of the xAPI surface: the one address an LMS is configured
// with, as it would be with any Learning Record Store.
const xapiBase = "/xapi"

// XAPIVersionHeader is the header every xAPI request must carry and every answer states.
const XAPIVersionHeader = "X-Experience-API-Version"

// xapiConsistentHeader says up to when stored statements are all readable.
const xapiConsistentHeader = "X-Experience-API-Consistent-Through"

// isXAPI reports whether a request is for the xAPI surface.
func isXAPI(r *http.Request) bool {
	return r.URL.Path == xapiBase || strings.HasPrefix(r.URL.Path, xapiBase+"/")
}

// xapiHeaders states the xAPI version and consistency on every answer of the xAPI
// surface, errors included (a refused token, an unknown route, a database outage): it
// runs before anything can refuse the request.
func (s *Server) xapiHeaders(c *gin.Context) {
	if isXAPI(c.Request) {
		h := c.Writer.Header()
		h.Set(XAPIVersionHeader, xapi.AnswerVersion(c.GetHeader(XAPIVersionHeader)))
		h.Set(xapiConsistentHeader, s.svc.ConsistentThrough().UTC().Format(time.RFC3339Nano))
	}
	c.Next()
}

// xapiVersionRequired refuses an xAPI request without a version this LRS speaks
// (Communication 3.3); the About resource answers whatever the version.
func xapiVersionRequired(c *gin.Context) {
	if c.FullPath() != xapiBase+"/about" && !xapi.VersionSupported(c.GetHeader(XAPIVersionHeader)) {
		problem.Error(c, models.Invalid(models.FieldError{Field: XAPIVersionHeader,
			Message: "header is required: 1.0.x or 2.0.x (this LRS speaks " + strings.Join(xapi.Versions, " and ") + ")"}))
		return
	}
	c.Next()
}

// alternateKey marks a request whose alternate syntax was refused; the xAPI middleware
// answers 400 with the reason, once the request has its id.
const alternateKey = "xapi_alternate_refused"

// alternateHeaders are the headers a form of the alternate request syntax may carry.
var alternateHeaders = []string{"Authorization", XAPIVersionHeader, "Content-Type", "If-Match", "If-None-Match"}

// xapiAlternateSyntax turns a request in xAPI 1.0's alternate syntax (Communication 1.3:
// a POST with ?method=M and a form holding the headers, the parameters and the content)
// into the request it stands for, and has the router serve that instead. It runs first,
// before authentication reads the Authorization the form may carry. xAPI 2.0 dropped the
// syntax: a 2.0 request using it is refused, as is a malformed one.
func (s *Server) xapiAlternateSyntax(c *gin.Context) {
	r := c.Request
	method := r.URL.Query().Get("method")
	if !isXAPI(r) || r.Method != http.MethodPost || !r.URL.Query().Has("method") {
		c.Next()
		return
	}
	rewritten, reason := alternateRequest(r, method, s.cfg.XAPIBodyLimit)
	if reason != "" {
		c.Set(alternateKey, reason)
		c.Next()
		return
	}
	c.Request = rewritten
	c.Abort()
	s.router.HandleContext(c)
}

// alternateRequest builds the request an alternate-syntax request stands for, or says why
// it cannot.
func alternateRequest(r *http.Request, method string, limit int64) (*http.Request, string) {
	switch {
	case strings.HasPrefix(r.Header.Get(XAPIVersionHeader), "2."):
		return nil, "xAPI 2.0 has no alternate request syntax: send the method, headers and parameters as they are"
	case len(r.URL.Query()) != 1:
		return nil, "an alternate-syntax request has no query parameter but method: send the others in the form"
	case mediaTypeOf(r.Header.Get("Content-Type")) != "application/x-www-form-urlencoded":
		return nil, "an alternate-syntax request is a form: Content-Type application/x-www-form-urlencoded"
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		return nil, "method must be GET, HEAD, PUT, POST or DELETE"
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		return nil, "the form is unreadable or too large"
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, "the form is not URL-encoded"
	}
	if strings.HasPrefix(form.Get(XAPIVersionHeader), "2.") {
		return nil, "xAPI 2.0 has no alternate request syntax: send the method, headers and parameters as they are"
	}
	out := r.Clone(r.Context())
	out.Method = method
	// The request's own Content-Type is the form's; the content's is a form field.
	out.Header.Del("Content-Type")
	for _, h := range alternateHeaders {
		if v, ok := form[h]; ok {
			out.Header.Set(h, v[0])
			delete(form, h)
		}
	}
	content := form.Get("content")
	delete(form, "content")
	delete(form, "Content-Length")
	out.URL.RawQuery = form.Encode()
	out.Body = io.NopCloser(strings.NewReader(content))
	out.ContentLength = int64(len(content))
	out.Header.Set("Content-Length", strconv.Itoa(len(content)))
	if out.Header.Get("Content-Type") == "" && content != "" {
		out.Header.Set("Content-Type", "application/json")
	}
	return out, ""
}

// xapiAlternateRefused answers a refused alternate-syntax request with its reason.
func xapiAlternateRefused(c *gin.Context) {
	if reason, ok := c.Get(alternateKey); ok {
		problem.Error(c, models.Invalid(models.FieldError{Field: "method", Message: reason.(string)}))
		return
	}
	c.Next()
}

func mediaTypeOf(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// xapiVersion is the request's xAPI version.
func xapiVersion(c *gin.Context) string { return c.GetHeader(XAPIVersionHeader) }
