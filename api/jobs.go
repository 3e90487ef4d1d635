package api

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// jobPath is a job's address.
func jobPath(id int64) string { return apiPrefix + "/jobs/" + strconv.FormatInt(id, 10) }

// jobView is a job as the API shows it: a job its server abandoned answers as a request
// to a server that stopped would have, with a problem that says nothing was imported.
func jobView(j models.Job) models.Job {
	if j.State == models.JobFailed && j.Failure == models.JobAbandoned && j.Result == nil {
		p := problem.Of(context.Background(), discardLog, models.Errorf(models.EUNAVAILABLE, "the server running this job stopped before "+
			"the import finished; nothing was imported: send the file again"), jobPath(j.ID), j.RequestID)
		body, _ := json.Marshal(p)
		j.Result = &models.JobResult{Status: p.Status, ContentType: problem.ContentType, Body: body}
	}
	return j
}

// getJob godoc
// @Summary      An import job
// @Description  A bulk import (staff, evidence, organisations) as it runs or ran: its state (queued, running, succeeded: applied; failed: nothing applied) and phase (queued, reading, checking, applying, done: applied, the answer being recorded), bytes and rows read, rows checked and applied, the rate rows are read at and an estimate of the reading time left, and, once finished, its result: the status and body the import's synchronous request would have answered (the report, or the problem). A job whose server stopped before it finished failed with nothing applied (failure abandoned; result a 503 problem). Results are kept a week. Jobs are scoped like the data they write: an hr token sees its organisation's jobs and those below; organisation imports are administrators'.
// @ID           getJob
// @Tags         jobs
// @Produce      json
// @Param        id   path      int  true  "Job id"
// @Success      200  {object}  models.Job
// @Failure      403  {object}  problem.Problem
// @Failure      404  {object}  problem.Problem  "No such job in your scope"
// @Security     BearerAuth
// @Router       /api/v1/jobs/{id} [get]
func (s *Server) getJob(c *gin.Context) (reply, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return reply{}, err
	}
	job, err := s.svc.Job(c.Request.Context(), principal(c), id)
	return ok(jobView(job)), err
}

// listJobs godoc
// @Summary      List import jobs
// @Description  The import jobs in your scope, newest first, synchronous imports included (each import runs as a job, which its evidence names).
// @ID           listJobs
// @Tags         jobs
// @Produce      json
// @Param        state   query     string  false  "Only jobs in this state"  Enums(queued,running,succeeded,failed)
// @Param        kind    query     string  false  "Only jobs of this kind"  Enums(staff_import,evidence_import,organisation_import)
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.Job]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/jobs [get]
func (s *Server) listJobs(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.JobFilter{
		State: models.JobState(q.oneOf("state", "", "queued", "running", "succeeded", "failed")),
		Kind:  models.JobKind(q.oneOf("kind", "", string(models.JobStaffImport), string(models.JobEvidenceImport), string(models.JobOrganisationImport))),
	}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Jobs(c.Request.Context(), principal(c), f, page)
	for i := range items {
		items[i] = jobView(items[i])
	}
	return pageOf(items, next), err
}
