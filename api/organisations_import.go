package api

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// importOrganisations godoc
// @Summary      Import organisations from CSV or an NHS ODS extract
// @Description  Upserts a whole file of organisations in one transaction, or nothing at all: every row is validated first (including the tree's typing, as the tree will be once the file is applied), and any bad row rejects the file with a 400 listing each bad row by line (errors as "line N", details.rows with line, code, field and message). Two formats: our CSV with a header row (columns code, name, type, parent, sector, size_band, headcount, address, postcode, open_date, close_date, xapi_home_page; code, name and type required; a column left out leaves that field alone on existing organisations; the types and sectors it sets are a person's), and the NHS ODS extracts (headerless, 27 columns): etr (NHS trusts), epraccur (GP practices, under their sub-ICB locations; other prescribing settings are counted in skipped_by_reason and left out), eccg (sub-ICB locations, under their ICBs) and eccgsite (their sites, as departments). An extract creates the regions, ICBs and sub-ICB locations its open rows name, reads Q99 and Y99 as no value and W00 as Wales (no English region), honours the status column (A active; C closed; D dormant and P proposed: inactive), lets closed rows carry old geography without failing, and never overwrites a type or sector a person set (kept_by_hand counts where it differed). With retire=missing, a full extract closes (never deletes) the organisations of its kind that an extract typed and that it no longer lists, reported in retired and retired_codes. The format and extract are detected from the first row unless given. Importing the same file twice changes nothing the second time. Every import is a job (GET /api/v1/jobs/{id}); with Prefer: respond-async it answers 202 once the file is received and runs in the background.
// @ID           importOrganisations
// @Tags         organisations
// @Accept       text/csv
// @Produce      json
// @Param        format   query     string  false  "csv (our format, with a header row) or ods (an NHS ODS extract); detected when left out"  Enums(csv,ods)
// @Param        extract  query     string  false  "Which NHS ODS extract the file is; detected from the first row when left out (eccg must be named when its rows carry no organisation sub-type)"  Enums(etr,epraccur,eccg,eccgsite)
// @Param        retire   query     string  false  "missing: close the organisations of the extract's kind that it does not list (a full extract only); left out, nothing is retired"  Enums(missing)
// @Param        body     body      string  true   "The CSV file"
// @Param        Prefer   header    string  false  "respond-async: receive the whole file, answer 202 and import it as a job (GET its Location for progress and the report)"
// @Success      200      {object}  models.OrganisationImportResult
// @Success      202      {object}  models.Job  "With Prefer: respond-async, the file was received and its job started; the job ends with the answer this request would have had"
// @Header       202      {string}  Location  "The job: /api/v1/jobs/{id}"
// @Header       202      {string}  Preference-Applied  "respond-async"
// @Failure      400      {object}  problem.Problem  "Bad rows (each listed with its line), an empty file, or an unknown format, extract or retire"
// @Failure      403      {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/import [post]
func (s *Server) importOrganisations(c *gin.Context) (reply, error) {
	if err := requireMediaType(c, "text/csv"); err != nil {
		return reply{}, err
	}
	q := queryParams(c)
	opts := models.OrganisationImportOptions{
		Format:        models.ImportFormat(q.oneOf("format", "", string(models.FormatCSV), string(models.FormatODS))),
		Extract:       models.ODSExtract(q.oneOf("extract", "", models.Names(models.ODSExtracts)...)),
		RetireMissing: q.oneOf("retire", "", "missing") == "missing",
	}
	if err := q.err(); err != nil {
		return reply{}, err
	}
	return s.runImport(c, models.JobOrganisationImport, nil, func(ctx context.Context, body io.Reader) (reply, error) {
		res, err := s.svc.ImportOrganisations(ctx, body, opts)
		return ok(res), bodyReadError(err)
	})
}

// bodyReadError explains a failure to read a request body that is not JSON (and passes
// any other error through).
func bodyReadError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return models.Errorf(problem.ETOOLARGE, "the request body exceeds the limit of %d bytes", maxErr.Limit)
	}
	return err
}
