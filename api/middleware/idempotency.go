package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// IdempotencyStore keeps the first response to each idempotency key of a token.
type IdempotencyStore interface {
	ClaimIdempotencyKey(ctx context.Context, tokenID int64, key string, req models.IdempotentRequest) (bool, models.StoredResponse, error)
	TakeOverIdempotencyKey(ctx context.Context, tokenID int64, key string) error
	CompleteIdempotencyKey(ctx context.Context, tokenID int64, key string, r models.StoredResponse) error
	ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error
}

// IdempotencyKeyHeader names the client's key for a POST.
const IdempotencyKeyHeader = "Idempotency-Key"

var validKey = regexp.MustCompile(`^[\x21-\x7e]{1,255}$`)

// maxStoredBody bounds what is kept for replay; import reports are the largest responses.
const maxStoredBody = 4 << 20

// Idempotency makes a POST carrying an Idempotency-Key safe to retry: the first request
// runs and its response (any status below 500) is stored; a retry with the same key, and
// the same method, path, query string and body, gets that response again (marked
// Idempotent-Replayed: true) without acting twice. A key stands for its whole request:
// sent with another one (another organisation's path, another ?provider=, another body)
// it is a 422 that says what differs, as the IETF httpapi Idempotency-Key draft answers,
// and while the first request is still running it is a 409. abandonAfter is when an
// unfinished first attempt counts as lost.
func Idempotency(store IdempotencyStore, log *slog.Logger, abandonAfter time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(IdempotencyKeyHeader)
		if c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if !validKey.MatchString(key) {
			problem.Error(c, models.Invalid(models.FieldError{Field: IdempotencyKeyHeader, Message: "must be 1-255 visible ASCII characters"}))
			return
		}
		ctx, tokenID, req := c.Request.Context(), PrincipalOf(c).TokenID, idempotentRequest(c)
		claimed, earlier, err := store.ClaimIdempotencyKey(ctx, tokenID, key, req)
		if err != nil {
			problem.Error(c, err)
			return
		}
		if !claimed {
			if earlier.Erased {
				problem.Error(c, models.Errorf(models.EGONE, "the answer to the request with this Idempotency-Key named a person who "+
					"has since been erased: it is no longer kept, and the request is not run again"))
				return
			}
			if why := otherRequest(earlier.IdempotentRequest, req); why != "" {
				problem.Error(c, keyReused(why))
				return
			}
			if !earlier.Completed && earlier.Age < abandonAfter {
				problem.Error(c, models.Errorf(models.ECONFLICT, "a request with this Idempotency-Key is still being processed; retry later"))
				return
			}
			if earlier.Completed {
				replay(c, earlier)
				return
			}
			if err := store.TakeOverIdempotencyKey(ctx, tokenID, key); err != nil {
				problem.Error(c, err)
				return
			}
		}
		h := sha256.New()
		body := &hashingBody{r: c.Request.Body, h: h}
		c.Request.Body = body
		rec := &recordingWriter{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()

		body.drain()
		done, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		release := func() {
			defer cancel()
			if err := store.ReleaseIdempotencyKey(done, tokenID, key); err != nil {
				log.Error("releasing idempotency key failed", "error", err.Error())
			}
		}
		status := rec.Status()
		if status >= 500 || body.broken {
			// The failure may be the database's, which may not answer the release either:
			// the answer does not wait for it, so that it leaves within the budget. A
			// body that could not be read whole (the client went away mid-upload) was no
			// request: its key is free for the upload to be sent again.
			go release()
			return
		}
		if rec.buf.Len() > maxStoredBody {
			release()
			return
		}
		defer cancel()
		if err := store.CompleteIdempotencyKey(done, tokenID, key, models.StoredResponse{
			RequestHash: h.Sum(nil), Status: status, ContentType: rec.Header().Get("Content-Type"), Body: rec.buf.Bytes(),
			Headers: replayedHeaders(rec.Header()),
		}); err != nil {
			log.Error("storing idempotent response failed", "error", err.Error())
		}
	}
}

// idempotentRequest is what the key of c's request stands for.
func idempotentRequest(c *gin.Context) models.IdempotentRequest {
	path, query := sha256.Sum256([]byte(c.Request.URL.EscapedPath())), sha256.Sum256([]byte(c.Request.URL.RawQuery))
	return models.IdempotentRequest{Method: c.Request.Method, Route: c.FullPath(), PathHash: path[:], QueryHash: query[:]}
}

// otherRequest says how req differs from the request that first used the key, or "" when
// it is the same one (its body is compared once the first has finished, in replay).
func otherRequest(first, req models.IdempotentRequest) string {
	switch {
	case first.Method != req.Method || first.Route != req.Route:
		return "another operation (" + first.Method + " " + first.Route + ")"
	case first.PathHash == nil:
		return "a request made before the server kept requests' paths, which cannot be matched to this one"
	case !bytes.Equal(first.PathHash, req.PathHash):
		return "the same operation on another path"
	case !bytes.Equal(first.QueryHash, req.QueryHash):
		return "the same path with another query string"
	}
	return ""
}

// keyReused is the 422 of a key sent with another request than the one it stands for.
func keyReused(why string) error {
	return models.Errorf(problem.EKEYREUSED, "this Idempotency-Key was first used for %s: a key stands for one request; "+
		"send a new key with a new request", why)
}

// replay answers with the stored response when the request is the same one again.
func replay(c *gin.Context, earlier models.StoredResponse) {
	h := sha256.New()
	io.Copy(h, c.Request.Body)
	if !bytes.Equal(earlier.RequestHash, h.Sum(nil)) {
		problem.Error(c, keyReused("the same request with another body"))
		return
	}
	c.Header("Idempotent-Replayed", "true")
	for name, value := range earlier.Headers {
		c.Header(name, value)
	}
	c.Data(earlier.Status, earlier.ContentType, earlier.Body)
	c.Abort()
}

// replayed are the headers that are part of an answer, kept to replay it: a retry of a
// request that started a job gets the same job's address.
var replayed = []string{"Location", "Preference-Applied"}

func replayedHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for _, name := range replayed {
		if v := h.Get(name); v != "" {
			out[name] = v
		}
	}
	return out
}

// hashingBody hashes the request body as the handler reads it, and notes when it could
// not be read whole for a reason other than its size.
type hashingBody struct {
	r      io.ReadCloser
	h      hash.Hash
	broken bool
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.h.Write(p[:n])
	var tooLarge *http.MaxBytesError
	if err != nil && err != io.EOF && !errors.As(err, &tooLarge) {
		b.broken = true
	}
	return n, err
}

func (b *hashingBody) Close() error { return b.r.Close() }

// drain hashes what the handler left unread, so the hash covers the whole body.
func (b *hashingBody) drain() { io.Copy(io.Discard, b) }

// recordingWriter keeps a copy of the response body.
type recordingWriter struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	if w.buf.Len() <= maxStoredBody {
		w.buf.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func (w *recordingWriter) WriteString(s string) (int, error) {
	if w.buf.Len() <= maxStoredBody {
		w.buf.WriteString(s)
	}
	return w.ResponseWriter.WriteString(s)
}
