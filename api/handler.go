package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard"
	"cyberskills/api/problem"
	"cyberskills/models"
)

// handlerFunc is the shape of every handler: it reads the request, calls the service and
// says what to answer, or returns the error. One adapter, Server.handle, writes both, so
// no handler writes a response or a problem itself.
type handlerFunc func(c *gin.Context) (reply, error)

// reply is a handler's answer: a status and a body. A body that is a table goes out as
// CSV when the caller asks for it, as JSON otherwise; a download goes out as it is; no
// body is an empty answer (204).
type reply struct {
	status int
	body   any
}

func ok(body any) reply      { return reply{http.StatusOK, body} }
func created(body any) reply { return reply{http.StatusCreated, body} }
func noContent() reply       { return reply{status: http.StatusNoContent} }

// okOrCreated is 201 for something new, 200 for something replaced or unchanged.
func okOrCreated(isNew bool, body any) reply {
	if isNew {
		return created(body)
	}
	return ok(body)
}

// download is a body sent as it is, with its media type (a file export).
type download struct {
	contentType string
	data        []byte
}

// htmlPage is a page for people sent as it is, under its Content-Security-Policy and the
// dashboard's other security headers (the printable reports).
type htmlPage struct {
	csp  string
	data []byte
}

// handle adapts a handler to gin: the reply, or the problem for the error.
func (s *Server) handle(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, err := h(c)
		if err != nil {
			problem.Error(c, err)
			return
		}
		r.write(c)
	}
}

func (r reply) write(c *gin.Context) {
	switch b := r.body.(type) {
	case nil:
		c.Status(r.status)
	case table:
		if wantsCSV(c) {
			writeCSV(c, r.status, b)
			return
		}
		c.JSON(r.status, b.value)
	case download:
		c.Data(r.status, b.contentType, b.data)
	case htmlPage:
		dashboard.SecurityHeaders(c.Writer.Header(), b.csp)
		c.Data(r.status, "text/html; charset=utf-8", b.data)
	default:
		c.JSON(r.status, b)
	}
}

const orgKey = "organisation"

// resolveOrganisation resolves the organisation a route names by :code, within the
// caller's scope, once, before the handler: outside the scope it does not exist (404).
// Routes flagged org in the route table run it.
func (s *Server) resolveOrganisation(c *gin.Context) {
	ref, err := s.svc.Organisation(c.Request.Context(), principal(c), c.Param("code"))
	if err != nil {
		problem.Error(c, err)
		return
	}
	c.Set(orgKey, ref)
	c.Next()
}

// organisationOf is the organisation resolveOrganisation found for the request.
func organisationOf(c *gin.Context) models.OrgRef {
	return c.MustGet(orgKey).(models.OrgRef)
}

// pageOf is a page of a list: its items, never null, and the cursor of the next page.
func pageOf[T any](items []T, next string) reply {
	if items == nil {
		items = []T{}
	}
	return ok(Page[T]{Items: items, NextCursor: next})
}

// An organisation's lists that a PUT replaces whole (targets, coverage, establishment)
// are read and replaced alike.

// readList answers with what read finds for the route's organisation.
func readList[T any](c *gin.Context, read func(context.Context, models.Principal, models.OrgRef) (T, error)) (reply, error) {
	v, err := read(c.Request.Context(), principal(c), organisationOf(c))
	return ok(v), err
}

// replaceList binds a body of type B and answers with what replace makes of the list
// items takes from it, for the route's organisation.
func replaceList[B, L, T any](c *gin.Context, items func(B) L, replace func(context.Context, models.Principal, models.OrgRef, L) (T, error)) (reply, error) {
	var body B
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	v, err := replace(c.Request.Context(), principal(c), organisationOf(c), items(body))
	return ok(v), err
}
