package api

import (
	"context"
	"io"
	"strconv"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// staffColumns are the columns of a staff file.
var staffColumns = []string{"external_id", "role", "display_name", "email", "fte", "status", "start_date", "end_date"}

// importStaff godoc
// @Summary      Bulk import staff
// @Description  A CSV file with a header row (columns external_id, role, display_name, email, fte, status, start_date, end_date; only external_id is required) or NDJSON (one JSON object per line with the same fields). Upserts by external_id. Every row is validated; by default one bad row means nothing is imported (400 listing each bad row with its line and reason); mode=partial imports the good rows and reports the rest. leavers=mark makes it a full sync: active staff absent from the file become leavers. Loaded through COPY: 100,000 rows take seconds. Every import is a job (GET /api/v1/jobs/{id}); with Prefer: respond-async it answers 202 once the file is received and runs in the background.
// @ID           importStaff
// @Tags         staff
// @Accept       text/csv,application/x-ndjson,application/jsonl
// @Produce      json
// @Param        code     path      string  true   "Organisation code"
// @Param        mode     query     string  false  "all (default) or partial"  Enums(all,partial)
// @Param        leavers  query     string  false  "mark: staff absent from the file become leavers"  Enums(keep,mark)
// @Param        body     body      string  true   "CSV (text/csv) or NDJSON (application/x-ndjson)"
// @Param        Prefer   header    string  false  "respond-async: receive the whole file, answer 202 and import it as a job (GET its Location for progress and the report)"
// @Success      200      {object}  models.ImportReport
// @Success      202      {object}  models.Job  "With Prefer: respond-async, the file was received and its job started; the job ends with the answer this request would have had"
// @Header       202      {string}  Location  "The job: /api/v1/jobs/{id}"
// @Header       202      {string}  Preference-Applied  "respond-async"
// @Failure      400      {object}  problem.Problem  "Bad rows (details holds the report), bad header"
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem  "No such organisation in your scope"
// @Failure      410      {object}  problem.Problem  "Every bad row names an erased person (details holds the report); nothing was imported"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/import [post]
func (s *Server) importStaff(c *gin.Context) (reply, error) {
	q := queryParams(c)
	mode := models.ImportMode(q.oneOf("mode", "all", "all", "partial"))
	markLeavers := q.oneOf("leavers", "keep", "keep", "mark") == "mark"
	if err := q.err(); err != nil {
		return reply{}, err
	}
	if err := requireMediaType(c, importMediaTypes...); err != nil {
		return reply{}, err
	}
	mt, org := mediaType(c), organisationOf(c)
	return s.runImport(c, models.JobStaffImport, &org, func(ctx context.Context, body io.Reader) (reply, error) {
		rows, err := newRecordReader(mt, body, staffColumns, "external_id")
		if err != nil {
			return reply{}, err
		}
		report, err := s.svc.ImportStaff(ctx, org, mode, markLeavers, func() (models.StaffImportRow, error) {
			line, rec, problems, err := rows.next()
			if err != nil {
				return models.StaffImportRow{}, err
			}
			st, more := staffFromRecord(rec)
			return models.StaffImportRow{Line: line, Staff: st, Problems: append(problems, more...)}, nil
		})
		return ok(report), err
	})
}

// staffFromRecord reads a person from a file row, with the defaults of the API (full
// time, active) and every problem found.
func staffFromRecord(rec record) (models.Staff, []models.FieldError) {
	var v models.Validator
	st := models.Staff{
		ExternalID: rec["external_id"], Role: rec["role"], DisplayName: rec["display_name"], Email: rec["email"],
		FTE: 1, Status: models.StaffStatus(rec["status"]),
	}
	if st.Status == "" {
		st.Status = models.StaffActive
	}
	if f := rec["fte"]; f != "" {
		if n, err := strconv.ParseFloat(f, 64); err == nil {
			st.FTE = n
		} else {
			v.Add("fte", "must be a number")
		}
	}
	st.StartDate = dateField(&v, rec, "start_date")
	st.EndDate = dateField(&v, rec, "end_date")
	if rec != nil {
		st.CheckInto(&v, "")
	}
	return st, v.Fields()
}

// dateField is a row's optional date column.
func dateField(v *models.Validator, rec record, name string) *models.Date {
	return optionalField(v, rec, name, models.ParseDate, "must be a date like 2026-01-31, "+models.TimeRange)
}
