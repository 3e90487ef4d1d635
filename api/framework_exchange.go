package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// ImportResult says what an import did.
type ImportResult struct {
	Code    string `json:"code" example:"cyber"`
	Version int    `json:"version" example:"2"`
	// Outcome is created (a new framework), published (a new version) or unchanged (the
	// file says the same as the current version; nothing was written).
	Outcome string `json:"outcome" enums:"created,published,unchanged" example:"published"`
	Skills  int    `json:"skills" example:"17"`
	Areas   int    `json:"areas" example:"12"`
	// Deprecated lists skills this version retired, including those the file left out.
	Deprecated []string `json:"deprecated,omitempty" example:"backup-recovery"`
}

// exportFramework godoc
// @Summary      Export a framework as CSV or CASE
// @Description  format=csv: a header row, one row per area (record=area) and one per skill, with level_N descriptor columns; it imports back unchanged. format=case: a 1EdTech CASE 1.1 CFPackage with stable name-based UUIDs, areas and skills as CFItems joined by isChildOf, replacedBy for supersession, and the scale and level descriptors as a CFRubric.
// @ID           exportFramework
// @Tags         frameworks
// @Produce      text/csv
// @Produce      json
// @Param        code     path      string  true   "Framework code"
// @Param        format   query     string  false  "csv (default) or case"  Enums(csv,case)
// @Param        version  query     int     false  "A published version (default: the current one)"
// @Success      200      {object}  models.CFPackage  "The CASE package; with format=csv, the CSV file"
// @Failure      400      {object}  problem.Problem   "Bad format or version"
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem   "No such framework or version"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/{code}/export [get]
func (s *Server) exportFramework(c *gin.Context) {
	q := queryParams(c)
	format := q.oneOf("format", "csv", "csv", "case")
	version := q.intRange("version", 0, 1, math.MaxInt32)
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	f, published, err := s.db.GetFramework(c.Request.Context(), c.Param("code"), version)
	if err != nil {
		fail(c, err)
		return
	}
	name := f.Code + "-v" + strconv.Itoa(f.Version)
	if format == "case" {
		c.Header("Content-Disposition", `attachment; filename="`+name+`.case.json"`)
		c.JSON(http.StatusOK, models.CASEPackage(f, published))
		return
	}
	var buf bytes.Buffer
	if err := models.WriteFrameworkCSV(&buf, f); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// importFramework godoc
// @Summary      Import a framework from CSV or CASE
// @Description  Content-Type text/csv: the CSV form that export writes (header row; one row per skill; optional area rows); code is required, and name too for a new framework; the scale is the framework's current one, or the default 0-4 scale for a new framework; areas named but not defined keep their current definition. Content-Type application/json: a CASE 1.1 CFPackage; the code comes from the parameter or the package's cyberskills extension. An unknown code creates the framework, a known one publishes its next version (skills left out become deprecated). Everything is checked first and nothing is applied on any error: the problem lists every bad row (rows[N], N the spreadsheet row, header = 1) or item (CFItems[N], from 0) with the reason.
// @ID           importFramework
// @Tags         frameworks
// @Accept       text/csv
// @Accept       json
// @Produce      json
// @Param        code          query     string  false  "Framework code (required for CSV)"
// @Param        name          query     string  false  "CSV: the framework's name (required for a new framework)"
// @Param        publisher     query     string  false  "CSV: the publisher (default: the current one)"
// @Param        licence       query     string  false  "CSV: the licence (default: the current one)"
// @Param        description   query     string  false  "CSV: the description (default: the current one)"
// @Param        default_tier  query     string  false  "Tier for skills whose row or item gives none"  Enums(basic,incident_response,advanced)
// @Param        body          body      string  true   "The CSV file or the CASE CFPackage"
// @Success      200           {object}  ImportResult  "Unchanged"
// @Success      201           {object}  ImportResult  "Created or published"
// @Failure      400           {object}  problem.Problem  "The file has problems; every one is listed and nothing was imported"
// @Failure      403           {object}  problem.Problem
// @Failure      415           {object}  problem.Problem  "Neither text/csv nor application/json"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/import [post]
func (s *Server) importFramework(c *gin.Context) {
	if err := requireMediaType(c, "text/csv", "application/json"); err != nil {
		fail(c, err)
		return
	}
	q := queryParams(c)
	code, tier := q.str("code"), models.Tier(q.oneOf("default_tier", "", "basic", "incident_response", "advanced"))
	meta := models.Framework{Name: q.str("name"), Publisher: q.str("publisher"), Licence: q.str("licence"), Description: q.str("description")}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, jsonError(err))
		return
	}
	var build func(*models.Framework) (models.Framework, error)
	if mediaType(c) == "text/csv" {
		build = csvImport(code, meta, tier, body)
	} else if build, code, err = caseImport(code, tier, body); err != nil {
		fail(c, err)
		return
	}
	if code == "" {
		fail(c, models.Invalid(models.FieldError{Field: "code", Message: "is required: give ?code= (a CASE package may carry it in its cyberskills extension)"}))
		return
	}
	res, err := s.db.ImportFramework(c.Request.Context(), code, build)
	out := ImportResult{Code: res.Framework.Code, Version: res.Framework.Version, Outcome: res.Outcome,
		Skills: len(res.Framework.Skills), Areas: len(res.Framework.Areas), Deprecated: res.Deprecated}
	respond(c, publishStatus(c, res), out, err)
}

// csvImport builds the next document from a CSV file over the current version, with the
// metadata the parameters give.
func csvImport(code string, meta models.Framework, tier models.Tier, body []byte) func(*models.Framework) (models.Framework, error) {
	return func(current *models.Framework) (models.Framework, error) {
		base := models.Framework{Code: code, Scale: models.DefaultScale()}
		if current != nil {
			base = *current
		}
		base.Name = cmp.Or(meta.Name, base.Name)
		base.Publisher = cmp.Or(meta.Publisher, base.Publisher)
		base.Licence = cmp.Or(meta.Licence, base.Licence)
		base.Description = cmp.Or(meta.Description, base.Description)
		return models.ParseFrameworkCSV(bytes.NewReader(body), base, tier)
	}
}

// caseImport decodes a CASE package (leniently: other tools add fields of their own) and
// finds the framework code.
func caseImport(code string, tier models.Tier, body []byte) (func(*models.Framework) (models.Framework, error), string, error) {
	var pkg models.CFPackage
	if err := json.Unmarshal(body, &pkg); err != nil {
		return nil, "", jsonError(err)
	}
	if code == "" {
		code = models.CASEFrameworkCode(pkg)
	}
	return func(current *models.Framework) (models.Framework, error) {
		base := models.Framework{Code: code, Scale: models.DefaultScale()}
		if current != nil {
			base.Scale = current.Scale
		}
		return models.ParseCASEPackage(pkg, base, tier)
	}, code, nil
}
