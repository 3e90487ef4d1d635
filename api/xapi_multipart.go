package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/models/xapi"
)

// readStatements reads the statements of a PUT or POST (Communication 1.5): an
// application/json body, or a multipart/mixed one whose first part is the statements
// (application/json) and whose other parts are attachments' data, each named by its
// digest (X-Experience-API-Hash) and sent binary. Any other body is 400, as the
// specification asks of a request whose content does not match its type.
func readStatements(c *gin.Context) ([]byte, map[string]xapi.AttachmentData, error) {
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch {
	case err == nil && mt == "application/json":
		body, err := io.ReadAll(c.Request.Body)
		return body, nil, bodyError(err)
	case err == nil && mt == "multipart/mixed":
		return readMultipart(c.Request.Body, params["boundary"])
	}
	return nil, nil, models.Invalid(models.FieldError{Field: "Content-Type",
		Message: "must be application/json, or multipart/mixed with attachments' data"})
}

// bodyError is the error of reading a body: over the size limit is 413.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return models.Errorf(problem.ETOOLARGE, "the body is over the limit of %d bytes", tooLarge.Limit)
	}
	if err != nil {
		return models.Errorf(models.EINVALID, "the body could not be read")
	}
	return nil
}

func readMultipart(body io.Reader, boundary string) ([]byte, map[string]xapi.AttachmentData, error) {
	invalid := func(msg string) error {
		return models.Invalid(models.FieldError{Field: "body", Message: msg})
	}
	if boundary == "" {
		return nil, nil, models.Invalid(models.FieldError{Field: "Content-Type", Message: "multipart/mixed needs a boundary"})
	}
	r := multipart.NewReader(body, boundary)
	var statements []byte
	sent := map[string]xapi.AttachmentData{}
	for i := 0; ; i++ {
		part, err := r.NextRawPart()
		if err == io.EOF && i > 0 {
			return statements, sent, nil
		}
		if err != nil {
			if e := bodyError(err); models.ErrorCode(e) == problem.ETOOLARGE {
				return nil, nil, e
			}
			return nil, nil, invalid("is not multipart/mixed with this boundary")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, bodyError(err)
		}
		ct := mediaTypeOf(part.Header.Get("Content-Type"))
		if i == 0 {
			if ct != "application/json" {
				return nil, nil, invalid("the first part must be the statements, application/json")
			}
			statements = data
			continue
		}
		a, msg := attachmentPart(part.Header, data)
		if msg != "" {
			return nil, nil, invalid(msg)
		}
		sent[a.SHA2] = a
	}
}

// attachmentPart reads a part after the first: an attachment's data.
func attachmentPart(h textproto.MIMEHeader, data []byte) (xapi.AttachmentData, string) {
	sha := strings.ToLower(strings.TrimSpace(h.Get("X-Experience-API-Hash")))
	switch {
	case sha == "":
		return xapi.AttachmentData{}, "every part after the first needs an X-Experience-API-Hash header: the sha2 of its attachment"
	case !strings.EqualFold(strings.TrimSpace(h.Get("Content-Transfer-Encoding")), "binary"):
		return xapi.AttachmentData{}, "every part after the first needs Content-Transfer-Encoding: binary"
	case !xapi.DigestMatches(sha, data):
		return xapi.AttachmentData{}, "a part's data does not have the digest its X-Experience-API-Hash states"
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return xapi.AttachmentData{SHA2: sha, ContentType: ct, Data: data}, ""
}

// withAttachments answers body as multipart/mixed: the JSON first, then the data of the
// statements' attachments that the LRS holds (Communication 2.1.3, attachments=true).
func (s *Server) withAttachments(c *gin.Context, body any, stmts []xapi.Stored) (reply, error) {
	atts, err := s.svc.Attachments(c.Request.Context(), principal(c), stmts)
	if err != nil {
		return reply{}, err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	first, _ := w.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	if err := json.NewEncoder(first).Encode(body); err != nil {
		return reply{}, err
	}
	for _, a := range atts {
		part, _ := w.CreatePart(textproto.MIMEHeader{"Content-Type": {a.ContentType},
			"Content-Transfer-Encoding": {"binary"}, "X-Experience-API-Hash": {a.SHA2}})
		part.Write(a.Data)
	}
	w.Close()
	return ok(download{contentType: "multipart/mixed; boundary=" + w.Boundary(), data: buf.Bytes()}), nil
}
