package api

import (
	"errors"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"cyberskills/repository"
)

// The metrics of what a server does besides answering requests: whether it leads, the
// background work it ran, and the read replica it reads from. main reports them; with
// several servers, each shows its own.

// newBackgroundRuns counts the background tasks' runs by outcome.
func newBackgroundRuns() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cyberskills_background_runs_total",
		Help: "Runs of the background tasks (flush, sweep) on this server, by outcome: ok, busy (another server's run held the task's lock), failed.",
	}, []string{"task", "outcome"})
}

// BackgroundRan records one run of a background task and how it ended.
func (s *Server) BackgroundRan(task string, err error) {
	outcome := "ok"
	switch {
	case errors.Is(err, repository.ErrBusy):
		outcome = "busy"
	case err != nil:
		outcome = "failed"
	}
	s.background.WithLabelValues(task, outcome).Inc()
}

// ObserveLeadership shows whether this server leads (runs the background work).
func (s *Server) ObserveLeadership(leading func() bool) {
	s.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cyberskills_leader",
		Help: "1 while this server holds the leadership lock and runs the background work, else 0.",
	}, func() float64 { return boolGauge(leading()) }))
}

// ObserveReplica shows the read replica's state.
func (s *Server) ObserveReplica(r *repository.Replica) {
	s.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cyberskills_replica_up",
			Help: "1 when the read replica answered its last check, else 0.",
		}, func() float64 { up, _, _ := r.Status(); return boolGauge(up) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cyberskills_replica_lag_seconds",
			Help: "How far the read replica is behind the primary: the age of the newest primary WAL position it has replayed (+Inf before the first check).",
		}, func() float64 { _, lag, _ := r.Status(); return lagSeconds(lag) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cyberskills_replica_in_use",
			Help: "1 while the reads that tolerate lag go to the read replica (it is up and within REPLICA_MAX_LAG), 0 while they go to the primary.",
		}, func() float64 { _, _, inUse := r.Status(); return boolGauge(inUse) }),
	)
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// lagSeconds shows an unknown lag (the largest duration) as +Inf.
func lagSeconds(d time.Duration) float64 {
	if d == repository.UnknownLag {
		return math.Inf(1)
	}
	return d.Seconds()
}
