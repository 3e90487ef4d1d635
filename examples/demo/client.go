package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// client calls the API as an outside system does, with one token, through the router
// itself: the same routes, checks, audit and idempotency as over the network.
type client struct {
	api   http.Handler
	token string
}

// as is the same API with another token.
func (c client) as(token string) client { return client{api: c.api, token: token} }

// json sends body as JSON and decodes a 2xx answer into out (when not nil).
func (c client) json(method, path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if body == nil {
		raw = nil
	}
	return c.send(method, path, "application/json", raw, out)
}

// file sends a file (CSV) and decodes a 2xx answer into out (when not nil).
func (c client) file(path, contentType string, content []byte, out any) error {
	return c.send(http.MethodPost, path, contentType, content, out)
}

func (c client) send(method, path, contentType string, body []byte, out any) error {
	req := httptest.NewRequest(method, "/api/v1"+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	c.api.ServeHTTP(rec, req)
	res := rec.Result()
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(answer)))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer, out)
}
