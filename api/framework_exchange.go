package api

import (
	"bytes"
	"io"
	"math"
	"strconv"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/exchange"
	"cyberskills/service"
)

// exportFramework godoc
// @Summary      Export a framework as CSV or CASE
// @Description  format=csv: a header row, one row per area (record=area) and one per skill, with level_N descriptor columns; it imports back unchanged. format=case: a 1EdTech CASE 1.1 CFPackage: areas and skills as CFItems placed by isChildOf (one per place in the tree), replacedBy for supersession, the framework's other associations, and the scale and level descriptors as a CFRubric. A framework imported from CASE is written back as its package said (identifiers, item types, statements, education levels, sequence numbers, adoption status...) except where it has changed since; what this service authored gets stable name-based UUIDs.
// @ID           exportFramework
// @Tags         frameworks
// @Produce      text/csv
// @Produce      json
// @Param        code     path      string  true   "Framework code"
// @Param        format   query     string  false  "csv (default) or case"  Enums(csv,case)
// @Param        version  query     int     false  "A published version (default: the current one)"
// @Success      200      {object}  exchange.CFPackage  "The CASE package; with format=csv, the CSV file"
// @Header       200      {string}  Content-Disposition  "attachment; filename=\"CODE-vN.csv\" (or CODE-vN.case.json)"
// @Failure      400      {object}  problem.Problem     "Bad format or version"
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem     "No such framework or version"
// @Security     BearerAuth
// @x-csv-header  "area,code,name,tier,description(,level_[0-9]+)*,status,superseded_by,references,record(,other_areas)?(,statement_type)?"
// @Router       /api/v1/frameworks/{code}/export [get]
func (s *Server) exportFramework(c *gin.Context) (reply, error) {
	q := queryParams(c)
	format := q.oneOf("format", "csv", "csv", "case")
	version := q.intRange("version", 0, 1, math.MaxInt32)
	if err := q.err(); err != nil {
		return reply{}, err
	}
	f, published, err := s.svc.Framework(c.Request.Context(), c.Param("code"), version)
	if err != nil {
		return reply{}, err
	}
	name := f.Code + "-v" + strconv.Itoa(f.Version)
	if format == "case" {
		c.Header("Content-Disposition", `attachment; filename="`+name+`.case.json"`)
		return ok(exchange.CASEPackage(f, published)), nil
	}
	var buf bytes.Buffer
	if err := exchange.WriteFrameworkCSV(&buf, f); err != nil {
		return reply{}, err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return ok(download{contentType: "text/csv; charset=utf-8", data: buf.Bytes()}), nil
}

// importFramework godoc
// @Summary      Import a framework from CSV or CASE
// @Description  Content-Type text/csv: the CSV form that export writes (header row; one row per skill; optional area rows); code is required, and name too for a new framework; the scale is the framework's current one, or the default 0-4 scale for a new framework; areas named but not defined keep their current definition. Content-Type application/json: a CASE 1.0 or 1.1 CFPackage as authoring tools write it (references as LinkURI objects or bare URIs, numbers as numbers or numeric strings, educationLevel or educationalLevel, optional fields missing); the code comes from the parameter or the package's cyberskills extension. Items with children are areas, other items skills; an item may sit in several places of the tree; every association other than the tree and supersession is kept; whatever the package says beyond the framework's fields (identifiers, item types, adoption status, education levels, list enumerations...) is kept and exported again. An unknown code creates the framework, a known one publishes its next version (skills left out become deprecated). Everything is checked first and nothing is applied on any error: the problem lists every bad row (rows[N], N the spreadsheet row, header = 1) or item (CFItems[N], from 0) with the reason.
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
// @Param        default_tier  query     string  false  "Tier for skills whose row or item gives none: one of the framework's tiers (the default framework's are basic, incident_response, advanced)"
// @Param        body          body      string  true   "The CSV file or the CASE CFPackage"
// @Success      200           {object}  models.ImportResult  "Unchanged"
// @Success      201           {object}  models.ImportResult  "Created or published"
// @Header       201           {string}  Location  "The published version: /api/v1/frameworks/{code}?version=N"
// @Failure      400           {object}  problem.Problem  "The file has problems; every one is listed and nothing was imported"
// @Failure      403           {object}  problem.Problem
// @Failure      415           {object}  problem.Problem  "Neither text/csv nor application/json"
// @Security     BearerAuth
// @Router       /api/v1/frameworks/import [post]
func (s *Server) importFramework(c *gin.Context) (reply, error) {
	if err := requireMediaType(c, "text/csv", "application/json"); err != nil {
		return reply{}, err
	}
	q := queryParams(c)
	in := service.FrameworkImport{Code: q.str("code"), DefaultTier: models.Tier(q.str("default_tier")),
		Meta: models.Framework{Name: q.str("name"), Publisher: q.str("publisher"), Licence: q.str("licence"), Description: q.str("description")}}
	q.v.Check(in.DefaultTier == "" || models.ValidCode(string(in.DefaultTier)), "default_tier", "must be the code of one of the framework's tiers")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return reply{}, jsonError(err)
	}
	if mediaType(c) == "text/csv" {
		in.CSV = body
	} else {
		pkg, err := exchange.DecodeCASEPackage(body)
		if err != nil {
			return reply{}, err
		}
		in.CASE = &pkg
	}
	res, err := s.svc.ImportFramework(c.Request.Context(), in)
	if err != nil {
		return reply{}, err
	}
	return publishedReply(c, res, res.ImportResult()), nil
}
