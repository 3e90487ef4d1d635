package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// importOrganisations godoc
// @Summary      Import organisations from CSV
// @Description  Upserts a whole file of organisations in one transaction, or nothing at all: every row is validated first (including the tree's typing, as the tree will be once the file is applied), and any bad row rejects the file with a 400 listing each bad row by line (errors as "line N", details.rows with line, code, field and message). Two formats: our CSV with a header row (columns code, name, type, parent, sector, size_band, headcount, address, postcode, open_date, close_date, xapi_home_page; code, name and type required; a column left out leaves that field alone on existing organisations), and the NHS ODS extract format (headerless; etr.csv and files of its layout), which creates the regions and ICBs that the trusts name. The format is detected from the first row unless given. Importing the same file twice changes nothing the second time.
// @ID           importOrganisations
// @Tags         organisations
// @Accept       text/csv
// @Produce      json
// @Param        format  query     string  false  "csv (our format, with a header row) or ods (NHS ODS extract); detected when left out"  Enums(csv,ods)
// @Param        body    body      string  true   "The CSV file"
// @Success      200     {object}  models.OrganisationImportResult
// @Failure      400     {object}  problem.Problem  "Bad rows (each listed with its line), an empty file or an unknown format"
// @Failure      403     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/import [post]
func (s *Server) importOrganisations(c *gin.Context) (reply, error) {
	if err := requireMediaType(c, "text/csv"); err != nil {
		return reply{}, err
	}
	q := queryParams(c)
	format := models.ImportFormat(q.oneOf("format", "", string(models.FormatCSV), string(models.FormatODS)))
	if err := q.err(); err != nil {
		return reply{}, err
	}
	res, err := s.svc.ImportOrganisations(c.Request.Context(), c.Request.Body, format)
	return ok(res), bodyReadError(err)
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
