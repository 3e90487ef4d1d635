package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"cyberskills/models"
)

// remoteImport uploads a file to a server's import route, asking for a job (Prefer:
// respond-async), then follows the job until it ends, showing its progress on stderr,
// and prints its answer (the report) on stdout. An answer that is a problem is the
// command's error. The upload carries an Idempotency-Key, so that when the connection
// fails or the server is briefly unavailable the upload is sent again without starting
// a second job.
func remoteImport(ctx context.Context, o importOptions, stdout, stderr io.Writer) error {
	if o.token == "" {
		return errors.New("a token is needed: --token TOKEN or CYBERSKILLS_TOKEN")
	}
	target, err := importURL(o)
	if err != nil {
		return err
	}
	c := &apiClient{base: strings.TrimRight(o.server, "/"), token: o.token, http: &http.Client{}}
	view := newProgressView(stderr, isTerminal(stderr))
	loc, err := c.upload(ctx, target, o.path, view)
	if err != nil {
		return err
	}
	job, err := c.follow(ctx, loc, view)
	if err != nil {
		return err
	}
	return printResult(job, stdout)
}

// importURL is the import route of the file's kind, with its options.
func importURL(o importOptions) (string, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	var path string
	switch o.kind {
	case "staff", "evidence":
		path = "/api/v1/organisations/" + url.PathEscape(o.org) + "/" + o.kind + "/import"
		set("mode", o.mode)
		set("leavers", o.leavers)
	default:
		path = "/api/v1/organisations/import"
		set("format", o.format)
		set("extract", o.extract)
		set("retire", o.retire)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path, nil
}

// mediaTypeOf is the media type a file is sent as: NDJSON by its extension, else CSV.
func mediaTypeOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ndjson", ".jsonl", ".json":
		return "application/x-ndjson"
	}
	return "text/csv"
}

// apiClient calls a cyberskills server with a token.
type apiClient struct {
	base, token string
	http        *http.Client
}

// uploadAttempts is how many times an upload is sent when the connection fails or the
// server answers 503 or 429: the same Idempotency-Key makes a second sending the first's.
const uploadAttempts = 3

// upload sends the file and returns the job's address.
func (c *apiClient) upload(ctx context.Context, target, path string, view *progressView) (string, error) {
	key := make([]byte, 16)
	rand.Read(key)
	idempotencyKey := "cli-" + hex.EncodeToString(key)
	var last error
	for attempt := 1; attempt <= uploadAttempts; attempt++ {
		loc, wait, err := c.uploadOnce(ctx, target, path, idempotencyKey, view)
		if err == nil || wait < 0 {
			return loc, err
		}
		last = err
		view.note(fmt.Sprintf("%v; sending again in %s", err, wait))
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait):
		}
	}
	return "", last
}

// uploadOnce sends the file once. wait says when to try again after a failure worth
// another try, and is negative when the failure is final.
func (c *apiClient) uploadOnce(ctx context.Context, target, path, key string, view *progressView) (loc string, wait time.Duration, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", -1, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", -1, err
	}
	body := &uploadReader{r: f, total: info.Size(), view: view}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+target, body)
	if err != nil {
		return "", -1, err
	}
	req.ContentLength = info.Size()
	req.Header.Set("Content-Type", mediaTypeOf(path))
	req.Header.Set("Prefer", "respond-async")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", -1, ctx.Err()
		}
		return "", time.Second, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	switch {
	case resp.StatusCode == http.StatusAccepted && resp.Header.Get("Location") != "":
		return resp.Header.Get("Location"), 0, nil
	case resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests:
		return "", retryAfter(resp.Header.Get("Retry-After")), problemError(resp.StatusCode, raw)
	}
	return "", -1, problemError(resp.StatusCode, raw)
}

// retryAfter reads a Retry-After in seconds, within reason.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 2 * time.Second
	}
	return time.Duration(min(n, 30)) * time.Second
}

// pollEvery is how often a job is asked for its progress.
const pollEvery = 250 * time.Millisecond

// follow asks for the job at loc until it has ended, showing its progress.
func (c *apiClient) follow(ctx context.Context, loc string, view *progressView) (models.Job, error) {
	for {
		job, err := c.job(ctx, loc)
		if err != nil {
			return models.Job{}, err
		}
		view.job(job)
		if job.State.Finished() {
			view.finish()
			return job, nil
		}
		select {
		case <-ctx.Done():
			return job, fmt.Errorf("stopped following job %d, which goes on at %s: %w", job.ID, c.base+loc, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// job reads a job, trying again a few times while the server is briefly unavailable.
func (c *apiClient) job(ctx context.Context, loc string) (models.Job, error) {
	var last error
	for attempt := 0; attempt < 10; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		req, err := http.NewRequestWithContext(rctx, http.MethodGet, c.base+loc, nil)
		if err != nil {
			cancel()
			return models.Job{}, err
		}
		resp, err := c.do(req)
		if err != nil {
			cancel()
			if last = err; ctx.Err() != nil {
				return models.Job{}, ctx.Err()
			}
			time.Sleep(time.Second)
			continue
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		cancel()
		if resp.StatusCode == http.StatusOK {
			var job models.Job
			return job, json.Unmarshal(raw, &job)
		}
		if last = problemError(resp.StatusCode, raw); resp.StatusCode != http.StatusServiceUnavailable {
			return models.Job{}, last
		}
		time.Sleep(retryAfter(resp.Header.Get("Retry-After")))
	}
	return models.Job{}, last
}

func (c *apiClient) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	return c.http.Do(req)
}

// printResult prints a finished job's answer; an answer that is a problem is the error.
func printResult(job models.Job, stdout io.Writer) error {
	if job.Result == nil {
		if job.ResultErased {
			return fmt.Errorf("job %d %s; its answer named a person since erased and is no longer kept", job.ID, job.State)
		}
		return fmt.Errorf("job %d %s without an answer", job.ID, job.State)
	}
	if job.Result.Status >= 400 {
		return problemError(job.Result.Status, job.Result.Body)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, job.Result.Body, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := stdout.Write(out.Bytes())
	return err
}

// problemError is an error answer as the command says it: the problem's detail and the
// fields it names (the first twenty).
func problemError(status int, body []byte) error {
	var p struct {
		Detail string              `json:"detail"`
		Errors []models.FieldError `json:"errors"`
	}
	if json.Unmarshal(body, &p) != nil || p.Detail == "" {
		return fmt.Errorf("the server answered %d %s", status, http.StatusText(status))
	}
	msg := fmt.Sprintf("%s (%d)", p.Detail, status)
	for i, f := range p.Errors {
		if i == 20 {
			msg += fmt.Sprintf("\n  and %d more", len(p.Errors)-20)
			break
		}
		msg += "\n  " + f.Field + ": " + f.Message
	}
	return errors.New(msg)
}

// uploadReader shows the upload's progress as the file is read for sending.
type uploadReader struct {
	r           io.Reader
	sent, total int64
	view        *progressView
}

func (u *uploadReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	u.sent += int64(n)
	u.view.upload(u.sent, u.total)
	return n, err
}
