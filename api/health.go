package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"cyberskills/models"
)

// The operational routes sit outside the route table, registered as plain gin handlers;
// each is the adapter over a handler of the usual shape.

// HealthStatus is the body of the health endpoints.
type HealthStatus struct {
	Status string `json:"status" example:"ok"`
}

// healthz godoc
// @Summary      Liveness
// @ID           healthz
// @Description  Answers 200 while the process is able to serve HTTP. It does not touch the database, so an orchestrator does not restart the service during a database outage.
// @Tags         operations
// @Produce      json
// @Success      200  {object}  HealthStatus
// @Router       /healthz [get]
func (s *Server) healthz(c *gin.Context) { s.handle(s.liveness)(c) }

func (s *Server) liveness(*gin.Context) (reply, error) { return ok(HealthStatus{Status: "ok"}), nil }

// readyPing is how long /readyz waits for the database: half its one-second promise,
// the rest being headroom for a busy machine.
const readyPing = 500 * time.Millisecond

// readyz godoc
// @Summary      Readiness
// @ID           readyz
// @Description  Answers 200 when the database answers a ping within half a second, 503 (with Retry-After) otherwise, in every case within a second, even when the database accepts connections and then says nothing. It recovers by itself when the database is back.
// @Tags         operations
// @Produce      json
// @Success      200  {object}  HealthStatus
// @Failure      503  {object}  problem.Problem  "The database is unreachable or does not answer"
// @Router       /readyz [get]
func (s *Server) readyz(c *gin.Context) { s.handle(s.readiness)(c) }

func (s *Server) readiness(c *gin.Context) (reply, error) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyPing)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		return reply{}, &models.Error{Code: models.EUNAVAILABLE, Message: "the database does not answer", Err: err}
	}
	return ok(HealthStatus{Status: "ok"}), nil
}

// metrics godoc
// @Summary      Prometheus metrics
// @ID           metrics
// @Description  Requests by route, method and status; latency histogram; database pool statistics; Go runtime; whether this server leads (cyberskills_leader) and the background runs it made (cyberskills_background_runs_total); with a read replica, its state and lag (cyberskills_replica_up, cyberskills_replica_lag_seconds, cyberskills_replica_in_use).
// @Tags         operations
// @Produce      plain
// @Success      200  {string}  string  "Prometheus text exposition format"
// @Router       /metrics [get]
func (s *Server) metricsHandler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
}
