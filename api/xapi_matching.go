package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// listStatementOutcomes godoc
// @Summary      What became of your xAPI statements
// @Description  Every statement stored under /xapi is matched to a person and a course as a second step; this lists the outcome of each, newest first: conferred (it earned the course's evidence), matched (a person and a course, but it earns nothing: a failure, or not what the course's completion_rule asks), unmatched (it could earn evidence but names no person or course known here; reason says which, and it is matched again when the person, a person mapping or the course appears), ignored (its verb earns nothing, or it voids another statement) or voided. Nothing here says more about a person than the statement did. A trainer reads its own provider's; an admin every provider's, or one's with provider.
// @ID           listStatementOutcomes
// @Tags         xapi
// @Produce      json
// @Param        status    query     string  false  "Only this status"  Enums(conferred,matched,unmatched,ignored,voided)
// @Param        since     query     string  false  "Stored after this instant (RFC 3339 or a date)"
// @Param        provider  query     string  false  "An admin's filter: one provider's"
// @Param        cursor    query     string  false  "Cursor from the previous page"
// @Param        limit     query     int     false  "Page size (1-1000, default 50)"
// @Success      200       {object}  Page[xapi.Outcome]
// @Failure      400       {object}  problem.Problem
// @Failure      403       {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/xapi/outcomes [get]
func (s *Server) listStatementOutcomes(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := xapi.OutcomeFilter{Status: q.oneOf("status", "", xapi.Statuses...), Since: q.time("since")}
	provider, page := q.str("provider"), q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.StatementOutcomes(c.Request.Context(), principal(c), provider, f, page)
	return pageOf(items, next), err
}

// mappingColumns are the columns of a person mappings file.
var mappingColumns = []string{"home_page", "account_name", "mbox", "mbox_sha1sum", "organisation", "external_id"}

// importPersonMappings godoc
// @Summary      Load person mappings
// @Description  Your provider's own table from the identifiers your LMS puts in statements to people: a CSV file with a header row (columns home_page, account_name, mbox, mbox_sha1sum, organisation, external_id) or NDJSON with the same fields. Each row gives exactly one identifier (home_page with account_name: an LMS account; mbox: an e-mail address, with or without mailto:, which matches its mbox_sha1sum too; or mbox_sha1sum) and the person's organisation code and external id. A mapping decides who a statement of yours is about before home pages and staff e-mail addresses do; it applies to your statements only. Mapping an identifier again moves it to the new person. The person need not exist yet: statements about them match once they do. By default one bad row (an unknown organisation, an identifier twice, a malformed value) means nothing is loaded (400 listing each); mode=partial loads the good rows. An admin names the provider.
// @ID           importPersonMappings
// @Tags         xapi
// @Accept       text/csv,application/x-ndjson,application/jsonl
// @Produce      json
// @Param        mode      query     string  false  "all (default) or partial"  Enums(all,partial)
// @Param        provider  query     string  false  "The provider (admins only; a trainer's is its own)"
// @Param        body      body      string  true   "CSV (text/csv) or NDJSON (application/x-ndjson)"
// @Success      200       {object}  models.ImportReport
// @Failure      400       {object}  problem.Problem  "Bad rows (details holds the report), bad header"
// @Failure      403       {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/xapi/people/import [post]
func (s *Server) importPersonMappings(c *gin.Context) (reply, error) {
	q := queryParams(c)
	mode := models.ImportMode(q.oneOf("mode", "all", "all", "partial"))
	provider := q.str("provider")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	// Not a job (GET /api/v1/jobs is scoped by organisation, and a provider's mappings
	// span organisations): a mappings file is loaded while the request waits.
	if err := requireMediaType(c, importMediaTypes...); err != nil {
		return reply{}, err
	}
	rows, err := newRecordReader(mediaType(c), c.Request.Body, mappingColumns, "organisation", "external_id")
	if err != nil {
		return reply{}, err
	}
	report, err := s.svc.ImportPersonMappings(c.Request.Context(), principal(c), provider, mode, func() (xapi.MappingRow, error) {
		line, rec, problems, err := rows.next()
		if err != nil {
			return xapi.MappingRow{}, err
		}
		if rec == nil {
			return xapi.MappingRow{Line: line, Problems: problems}, nil
		}
		row := xapi.ReadMapping(line, rec["home_page"], rec["account_name"], rec["mbox"], rec["mbox_sha1sum"], rec["organisation"], rec["external_id"])
		row.Problems = append(problems, row.Problems...)
		return row, nil
	})
	return ok(report), err
}

// listPersonMappings godoc
// @Summary      List person mappings
// @Description  Your provider's person mappings, newest first, optionally of one organisation. An admin reads every provider's, or one's with provider.
// @ID           listPersonMappings
// @Tags         xapi
// @Produce      json
// @Param        organisation  query     string  false  "Only mappings to this organisation's people"
// @Param        provider      query     string  false  "An admin's filter: one provider's"
// @Param        cursor        query     string  false  "Cursor from the previous page"
// @Param        limit         query     int     false  "Page size (1-1000, default 50)"
// @Success      200           {object}  Page[xapi.PersonMapping]
// @Failure      400           {object}  problem.Problem
// @Failure      403           {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/xapi/people [get]
func (s *Server) listPersonMappings(c *gin.Context) (reply, error) {
	q := queryParams(c)
	organisation, provider, page := q.str("organisation"), q.str("provider"), q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.PersonMappings(c.Request.Context(), principal(c), provider, organisation, page)
	return pageOf(items, next), err
}

// deletePersonMapping godoc
// @Summary      Remove a person mapping
// @Description  Removes one of your provider's mappings. Statements it matched keep their person and evidence; statements still unmatched are no longer matched by it.
// @ID           deletePersonMapping
// @Tags         xapi
// @Param        id  path  int  true  "The mapping's id"
// @Success      204
// @Failure      403  {object}  problem.Problem
// @Failure      404  {object}  problem.Problem  "No such mapping of yours"
// @Security     BearerAuth
// @Router       /api/v1/xapi/people/{id} [delete]
func (s *Server) deletePersonMapping(c *gin.Context) (reply, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return reply{}, err
	}
	return noContent(), s.svc.DeletePersonMapping(c.Request.Context(), principal(c), id)
}
