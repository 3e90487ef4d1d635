package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/middleware"
	"cyberskills/models"
)

// Page is the one envelope of every list: a page of items and the cursor of the next
// page, absent on the last one.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty" example:"eyJpZCI6MTJ9"`
}

// principal is the authenticated caller of a request.
func principal(c *gin.Context) models.Principal { return middleware.PrincipalOf(c) }

// now is the request's instant on the service's clock: every rule of the request judges by it.
func now(c *gin.Context) time.Time { return middleware.Now(c) }

// params reads and validates query parameters, collecting every problem.
type params struct {
	c *gin.Context
	v models.Validator
}

func queryParams(c *gin.Context) *params { return &params{c: c} }

func (p *params) str(name string) string { return strings.TrimSpace(p.c.Query(name)) }

// pastTime reads an optional date or time that must not be in the future: the reports
// answer as of the past, and the projection says what lies ahead.
func (p *params) pastTime(name string) *time.Time {
	t := p.time(name)
	if t != nil && t.After(now(p.c)) {
		p.v.Add(name, "must not be in the future; see the projection for what lies ahead")
	}
	return t
}

// refuse names the given parameters as errors when present: options of a sibling route
// that this one would otherwise silently ignore.
func (p *params) refuse(why string, names ...string) {
	for _, n := range names {
		if _, present := p.c.GetQuery(n); present {
			p.v.Add(n, why)
		}
	}
}

func (p *params) page() models.Page {
	return models.Page{After: p.str("cursor"), Limit: p.intRange("limit", models.DefaultPageSize, 1, models.MaxPageSize)}
}

func (p *params) intRange(name string, def, lo, hi int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.v.Add(name, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return def
	}
	return n
}

// float reads an optional non-negative number.
func (p *params) float(name string) *float64 {
	s := p.str(name)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		p.v.Add(name, "must be a number, 0 or more")
		return nil
	}
	return &f
}

func (p *params) int64(name string) int64 {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		p.v.Add(name, "must be a positive whole number")
		return 0
	}
	return n
}

func (p *params) boolean(name string, def bool) bool {
	s := p.str(name)
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.v.Add(name, "must be true or false")
		return def
	}
	return b
}

// time reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC), in the range of every
// date and time.
func (p *params) time(name string) *time.Time {
	s := p.str(name)
	if s == "" {
		return nil
	}
	t, err := models.ParseTimeOrDate(s)
	if err != nil {
		p.v.Add(name, models.TimeOrDateMessage)
		return nil
	}
	return &t
}

// oneOf reads a value that must be one of allowed, or def when absent.
func (p *params) oneOf(name, def string, allowed ...string) string {
	s := p.str(name)
	if s == "" {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.v.Add(name, "must be one of "+strings.Join(allowed, ", "))
	return def
}

func (p *params) err() error { return p.v.Err() }

// pathID reads a positive integer path parameter; anything else cannot name an object.
func pathID(c *gin.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n < 1 {
		return 0, models.Errorf(models.ENOTFOUND, "%s %q not found", name, c.Param(name))
	}
	return n, nil
}
