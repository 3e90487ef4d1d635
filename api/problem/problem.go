// Package problem writes RFC 9457 problem details, the one error shape of the API.
package problem

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// ContentType is the media type of every error body.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string `json:"type" example:"https://cyberskills.dev/problems/invalid"`
	Title    string `json:"title" example:"Invalid request"`
	Status   int    `json:"status" example:"400"`
	Detail   string `json:"detail" example:"level: must be between 0 and 4"`
	Instance string `json:"instance" example:"/api/v1/organisations/RJ1/staff"`
	// RequestID ties the problem to the server's logs.
	RequestID string              `json:"request_id,omitempty" example:"0f1e2d3c4b5a69788796a5b4c3d2e1f0"`
	Errors    []models.FieldError `json:"errors,omitempty"`
	// Details carries structured context, e.g. the rejected rows of an import.
	Details any `json:"details,omitempty" swaggertype:"object"`
}

// Codes that only HTTP knows, beside the domain's (models.EINVALID, ...): they describe
// how a request was sent, not what it asked.
const (
	ETOOLARGE    = "too_large"              // the body is over the limit
	EMEDIATYPE   = "unsupported_media_type" // the body's Content-Type is not one the route reads
	ERATELIMITED = "rate_limited"           // the token sent too many requests
	EKEYREUSED   = "idempotency_key_reused" // an Idempotency-Key sent with another request than its first
	EUNSUPPORTED = "not_implemented"        // a resource of a standard (xAPI's documents) this service does not provide
)

// kind describes how one error code is shown.
type kind struct {
	status int
	slug   string
	title  string
}

// kinds maps every models error code to its HTTP status: the single table of the API.
var kinds = map[string]kind{
	models.EINVALID:       {http.StatusBadRequest, "invalid", "Invalid request"},
	models.ENOTFOUND:      {http.StatusNotFound, "not-found", "Not found"},
	models.ECONFLICT:      {http.StatusConflict, "conflict", "Conflict"},
	models.EGONE:          {http.StatusGone, "gone", "Gone"},
	models.EUNAUTHORIZED:  {http.StatusUnauthorized, "unauthorized", "Unauthorized"},
	models.EFORBIDDEN:     {http.StatusForbidden, "forbidden", "Forbidden"},
	models.EUNPROCESSABLE: {http.StatusUnprocessableEntity, "unprocessable", "Unprocessable content"},
	ETOOLARGE:             {http.StatusRequestEntityTooLarge, "too-large", "Request body too large"},
	EMEDIATYPE:            {http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type"},
	ERATELIMITED:          {http.StatusTooManyRequests, "rate-limited", "Too many requests"},
	EUNSUPPORTED:          {http.StatusNotImplemented, "not-implemented", "Not implemented"},
	// The IETF httpapi Idempotency-Key draft's answer to a key reused for another request.
	EKEYREUSED:          {http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency key reused"},
	models.EUNAVAILABLE: {http.StatusServiceUnavailable, "unavailable", "Service unavailable"},
	models.EINTERNAL:    {http.StatusInternalServerError, "internal", "Internal server error"},
}

// extraKinds are problems raised by the HTTP layer itself rather than by the domain.
var extraKinds = map[int]kind{
	http.StatusMethodNotAllowed: {http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed"},
	http.StatusNotAcceptable:    {http.StatusNotAcceptable, "not-acceptable", "Not acceptable"},
}

// TypeBase prefixes every problem type URI.
const TypeBase = "https://cyberskills.dev/problems/"

// RequestIDKey is the gin context key under which the request id is kept.
const RequestIDKey = "request_id"

const loggerKey = "problem_logger"

// retryAfter is the Retry-After of every 503, in seconds. A refused or reset database
// connection is answered in milliseconds, so a client retrying at once would only spin;
// a PostgreSQL restart takes a second or two, so a longer wait would keep callers away
// after it is back.
const retryAfter = "2"

// UseLogger makes the problems of a request log through log, the server's logger,
// rather than the process-wide default.
func UseLogger(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(loggerKey, log)
		c.Next()
	}
}

func logger(c *gin.Context) *slog.Logger {
	if v, ok := c.Get(loggerKey); ok {
		return v.(*slog.Logger)
	}
	return slog.Default()
}

// Error writes err as a problem and aborts the request. Internal errors are logged at
// error level and shown without detail; unavailable ones (the database did not answer)
// at warn level with their cause, which the caller does not see either.
func Error(c *gin.Context, err error) {
	Write(c, Of(c.Request.Context(), logger(c), err, c.Request.URL.Path, c.GetString(RequestIDKey)))
}

// Of is the problem an error makes of a request to instance: the one translation of
// errors into problems, for the answers of requests and of the jobs they start alike.
// Internal and unavailable errors are logged as Error says.
func Of(ctx context.Context, log *slog.Logger, err error, instance, requestID string) Problem {
	code := models.ErrorCode(err)
	k := kinds[code]
	p := Problem{Type: TypeBase + k.slug, Title: k.title, Status: k.status, Detail: models.ErrorMessage(err),
		Instance: instance, RequestID: requestID}
	var e *models.Error
	if errors.As(err, &e) {
		p.Errors = e.Fields
		p.Details = e.Details
	}
	switch code {
	case models.EINTERNAL:
		log.ErrorContext(ctx, "request failed", "request_id", p.RequestID, "error", err.Error())
	case models.EUNAVAILABLE:
		log.WarnContext(ctx, "request failed: service unavailable", "request_id", p.RequestID, "error", err.Error())
	}
	return p
}

// Status writes a problem for an HTTP-level status that has no domain error code.
func Status(c *gin.Context, status int, detail string) {
	k, ok := extraKinds[status]
	if !ok {
		k = kind{status, "http-" + http.StatusText(status), http.StatusText(status)}
		for code, v := range kinds {
			// 422 is the one status two codes share; a bare 422 is the domain's.
			if v.status == status && code != EKEYREUSED {
				k = v
			}
		}
	}
	Write(c, newProblem(c, k, detail))
}

func newProblem(c *gin.Context, k kind, detail string) Problem {
	return Problem{
		Type:      TypeBase + k.slug,
		Title:     k.title,
		Status:    k.status,
		Detail:    detail,
		Instance:  c.Request.URL.Path,
		RequestID: c.GetString(RequestIDKey),
	}
}

// Write sends p with the problem media type and aborts the handler chain. A 503 says
// when to try again.
func Write(c *gin.Context, p Problem) {
	c.Header("Content-Type", ContentType)
	if p.Status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfter)
	}
	c.AbortWithStatusJSON(p.Status, p)
}

// StatusOf is the HTTP status and title the one table gives err, for a surface that
// answers in another form than a problem (the dashboard's pages).
func StatusOf(err error) (int, string) {
	k := kinds[models.ErrorCode(err)]
	if k.status == 0 {
		k = kinds[models.EINTERNAL]
	}
	return k.status, k.title
}
