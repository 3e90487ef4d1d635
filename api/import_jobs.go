package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/service"
)

// importFunc is an import as its handler prepared it (parameters read, organisation
// resolved): what to do with the file, once it is at hand.
type importFunc func(ctx context.Context, body io.Reader) (reply, error)

// runImport runs an import as a job. By default it runs in the request, which streams the
// file through it and answers with its report, as an import always has. With Prefer:
// respond-async, the file is received whole first (spooled to a temporary file), then
// the answer is 202 with the job, whose address is in Location, and the import runs in
// the background: the caller may go away, and follows the job's progress at that address.
//
// Why receive the whole file before answering: an import is one transaction, and a
// transaction held open while a slow client uploads would hold a connection and its locks
// for as long; the idempotency key of the request covers its whole body, which must be
// read for the key to stand for it; and a client that went away mid-upload has sent no
// file, which a job must not import half of. A client sees its own upload's progress.
func (s *Server) runImport(c *gin.Context, kind models.JobKind, org *models.OrgRef, run importFunc) (reply, error) {
	spec := service.JobSpec{Kind: kind, Org: org, RequestID: c.GetString(problem.RequestIDKey)}
	if prefersAsync(c) {
		return s.startImportJob(c, spec, run)
	}
	if n := c.Request.ContentLength; n > 0 {
		spec.BytesTotal = &n
	}
	ctx := c.Request.Context()
	_, jr, err := s.svc.StartJob(ctx, principal(c), spec)
	if err != nil {
		return reply{}, err
	}
	stop := s.svc.Beat(jr)
	r, err := run(models.WithJob(ctx, jr), countingReader{c.Request.Body, jr.Progress})
	stop()
	// The request's own answer logs its problem; the job's copy says nothing more.
	result := jobResult(ctx, discardLog, c.Request.URL.Path, spec.RequestID, r, err)
	if ferr := s.svc.FinishJob(ctx, jr, err == nil, result); ferr != nil {
		s.log.WarnContext(ctx, "recording the end of an import job failed", "job", jr.ID, "error", ferr.Error())
	}
	return r, err
}

// startImportJob receives the file, records the job and starts it in the background.
func (s *Server) startImportJob(c *gin.Context, spec service.JobSpec, run importFunc) (reply, error) {
	file, size, err := spool(c.Request.Body)
	if err != nil {
		return reply{}, readError(err, "")
	}
	spec.Async, spec.BytesTotal = true, &size
	ctx := c.Request.Context()
	job, jr, err := s.svc.StartJob(ctx, principal(c), spec) // its audit entry commits with the job
	if err != nil {
		file.Close()
		return reply{}, err
	}
	path := c.Request.URL.Path
	s.svc.RunJob(ctx, jr, jobAuditEntry(ctx, job.ID), func(ctx context.Context) (*models.JobResult, bool) {
		defer file.Close()
		r, err := run(ctx, countingReader{file, jr.Progress})
		return jobResult(ctx, s.log, path, spec.RequestID, r, err), err == nil
	}, func() { file.Close() })
	c.Header("Location", jobPath(job.ID))
	c.Header("Preference-Applied", "respond-async")
	return reply{http.StatusAccepted, jobView(job)}, nil
}

// jobAuditEntry is the audit entry of a background import's write: the request's, for
// the job. The request's own entry committed with the job, so that the import, which
// commits later, has its own.
func jobAuditEntry(ctx context.Context, jobID int64) *models.AuditEntry {
	req := models.AuditOf(ctx)
	if req == nil {
		return nil
	}
	e := *req
	e.ID, e.Status, e.Target = 0, nil, map[string]string{"job": strconv.FormatInt(jobID, 10)}
	for k, v := range req.Target {
		e.Target[k] = v
	}
	return &e
}

// jobResult is the answer an import gave, or would have given, as a job keeps it: the
// same status and body as the request's.
func jobResult(ctx context.Context, log *slog.Logger, instance, requestID string, r reply, err error) *models.JobResult {
	if err != nil {
		p := problem.Of(ctx, log, err, instance, requestID)
		body, _ := json.Marshal(p)
		return &models.JobResult{Status: p.Status, ContentType: problem.ContentType, Body: body}
	}
	body, merr := json.Marshal(r.body)
	if merr != nil {
		return nil
	}
	return &models.JobResult{Status: r.status, ContentType: "application/json; charset=utf-8", Body: body}
}

// discardLog says nothing.
var discardLog = slog.New(slog.DiscardHandler)

// prefersAsync reports whether the request carries the preference respond-async (RFC
// 7240), among others or alone.
func prefersAsync(c *gin.Context) bool {
	for _, header := range c.Request.Header.Values("Prefer") {
		for _, pref := range strings.Split(header, ",") {
			token, _, _ := strings.Cut(pref, ";")
			token, _, _ = strings.Cut(token, "=")
			if strings.EqualFold(strings.TrimSpace(token), "respond-async") {
				return true
			}
		}
	}
	return false
}

// spooledFile is an upload kept in a temporary file until its job has read it.
type spooledFile struct {
	*os.File
	path string // "" once the name is gone
}

// Close closes the file and removes it if its name is still there.
func (f spooledFile) Close() error {
	err := f.File.Close()
	if f.path != "" {
		os.Remove(f.path)
	}
	return err
}

// spool receives a request body whole into a temporary file (in TMPDIR), and returns it
// ready to read, with its size. Where the system allows, the file's name is removed at
// once: the open file is all there is, and the system frees it when it is closed, even
// if the server dies first.
func spool(body io.Reader) (spooledFile, int64, error) {
	f, err := os.CreateTemp("", "cyberskills-upload-*")
	if err != nil {
		return spooledFile{}, 0, models.Errorf(models.EUNAVAILABLE, "cannot keep the file for its job: %v", err)
	}
	sf := spooledFile{File: f, path: f.Name()}
	if os.Remove(f.Name()) == nil {
		sf.path = ""
	}
	n, err := io.Copy(f, body)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		sf.Close()
		return spooledFile{}, 0, err
	}
	return sf, n, nil
}

// countingReader counts what an import reads of its file into its progress.
type countingReader struct {
	r io.Reader
	p *models.ImportProgress
}

func (cr countingReader) Read(b []byte) (int, error) {
	n, err := cr.r.Read(b)
	cr.p.Read(n)
	return n, err
}
