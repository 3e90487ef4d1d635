package api

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// evidenceColumns are the columns of an evidence file.
var evidenceColumns = []string{"external_id", "skill", "framework", "level", "source", "assessed_at", "expires_at", "assessor", "note", "evidence_url"}

// importEvidence godoc
// @Summary      Bulk import evidence
// @Description  A CSV file with a header row (columns external_id, skill, level, source, assessed_at, expires_at, assessor, note, evidence_url, framework; the first four are required) or NDJSON with the same fields. Each row appends a record for a person of the organisation. Times are RFC 3339 or dates. Validated row by row: by default one bad row means nothing is imported (400 with each bad row's line and reason); mode=partial imports the good rows. Loaded through COPY; each record names its import job (origin.import_job). Every import is a job (GET /api/v1/jobs/{id}); with Prefer: respond-async it answers 202 once the file is received and runs in the background. Send an Idempotency-Key header to make a retry safe (a retried asynchronous import returns the same job).
// @ID           importEvidence
// @Tags         evidence
// @Accept       text/csv,application/x-ndjson,application/jsonl
// @Produce      json
// @Param        code             path      string  true   "Organisation code"
// @Param        mode             query     string  false  "all (default) or partial"  Enums(all,partial)
// @Param        body             body      string  true   "CSV (text/csv) or NDJSON (application/x-ndjson)"
// @Param        Prefer   header    string  false  "respond-async: receive the whole file, answer 202 and import it as a job (GET its Location for progress and the report)"
// @Success      200              {object}  models.ImportReport
// @Success      202      {object}  models.Job  "With Prefer: respond-async, the file was received and its job started; the job ends with the answer this request would have had"
// @Header       202      {string}  Location  "The job: /api/v1/jobs/{id}"
// @Header       202      {string}  Preference-Applied  "respond-async"
// @Failure      400              {object}  problem.Problem  "Bad rows (details holds the report), bad header"
// @Failure      403              {object}  problem.Problem
// @Failure      404              {object}  problem.Problem  "No such organisation in your scope"
// @Failure      410              {object}  problem.Problem  "Every bad row names an erased person (details holds the report); nothing was imported"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/evidence/import [post]
func (s *Server) importEvidence(c *gin.Context) (reply, error) {
	q := queryParams(c)
	mode := models.ImportMode(q.oneOf("mode", "all", "all", "partial"))
	if err := q.err(); err != nil {
		return reply{}, err
	}
	if err := requireMediaType(c, importMediaTypes...); err != nil {
		return reply{}, err
	}
	mt, org, p := mediaType(c), organisationOf(c), principal(c)
	at := now(c) // rows are judged against the request's instant, as a single write is, however long the job waits
	return s.runImport(c, models.JobEvidenceImport, &org, func(ctx context.Context, body io.Reader) (reply, error) {
		rows, err := newRecordReader(mt, body, evidenceColumns, "external_id", "skill", "level", "source")
		if err != nil {
			return reply{}, err
		}
		report, err := s.svc.ImportEvidence(ctx, p, org, mode, at, func() (models.EvidenceImportRow, error) {
			line, rec, problems, err := rows.next()
			if err != nil {
				return models.EvidenceImportRow{}, err
			}
			ev, more := evidenceFromRecord(rec, at)
			return models.EvidenceImportRow{Line: line, ExternalID: rec["external_id"], Evidence: ev, Problems: append(problems, more...)}, nil
		})
		return ok(report), err
	})
}

// evidenceFromRecord reads a record from a file row with every problem found.
func evidenceFromRecord(rec record, now time.Time) (models.NewEvidence, []models.FieldError) {
	if rec == nil {
		return models.NewEvidence{}, nil
	}
	var v models.Validator
	ev := models.NewEvidence{
		Skill: rec["skill"], Framework: rec["framework"], Source: models.Source(rec["source"]),
		Assessor: rec["assessor"], Note: rec["note"], EvidenceURL: rec["evidence_url"],
	}
	v.Check(rec["external_id"] != "", "external_id", "is required")
	if l, err := strconv.Atoi(rec["level"]); err == nil {
		ev.Level = &l
	}
	ev.AssessedAt = timeField(&v, rec, "assessed_at")
	ev.ExpiresAt = timeField(&v, rec, "expires_at")
	ev.CheckInto(&v, "", now)
	return ev, v.Fields()
}

// timeField is a row's optional time column: a date or an RFC 3339 time.
func timeField(v *models.Validator, rec record, name string) *time.Time {
	return optionalField(v, rec, name, models.ParseTimeOrDate, models.TimeOrDateMessage)
}
