// Package service holds the rules of cyberskills that need data: who may do what to
// which records, gap report assembly, statistics publishing under disclosure control and
// its cache, projections, scenarios and training plans. It calls the repository and
// returns models types; it knows nothing of HTTP. Every rule that depends on the time
// judges by the service's clock.
package service

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

// Config holds the settings of the rules.
type Config struct {
	// DefaultPassRate is a course's pass rate in projections until it has history.
	DefaultPassRate float64
	// StatisticsTTL is how long a national statistic may be served from memory (0: never).
	StatisticsTTL time.Duration
	// Instance names this server among those sharing the database, the same across its
	// restarts (host and listen address): the owner of the jobs it runs. Default: the
	// host and process id.
	Instance string
	// JobHeartbeat is how often a running job writes its progress (default a second).
	JobHeartbeat time.Duration
	// JobSlots is how many background jobs run at once (default 2); others queue.
	JobSlots int
	// AssuranceRefreshInterval is the least time between two computations of the
	// national assurance figures of a type for changes to their data (0: at the next
	// poll after a change).
	AssuranceRefreshInterval time.Duration
	// AssuranceTimeout is the budget of one computation of them (0: none).
	AssuranceTimeout time.Duration
	// JobTimeout bounds a background job, as IMPORT_TIMEOUT bounds an import request (0: none).
	JobTimeout time.Duration
}

// Service is the application: the rules over the database.
type Service struct {
	db      *repository.DB
	clock   models.Clock
	cfg     Config
	figures *figureCache
	// snapshots are statistics snapshots as published for trends.
	snapshots *publishedSnapshots
	// releases are the last published statistics of each organisation type.
	releases *releases
	// replica serves the reads that tolerate lag, when configured (see ReadFrom).
	replica *repository.Replica
	// writes are the statement writes in flight (ConsistentThrough).
	writes statementWrites
	jobs   *jobRunner
	// assurance are the national assurance figures' stored results as this server read
	// them, and the leader's memory of computing them.
	assurance *assuranceResults
}

// New returns the service over db, judging time by clock (the system clock when nil).
func New(db *repository.DB, clock models.Clock, cfg Config) *Service {
	if clock == nil {
		clock = models.SystemClock{}
	}
	return &Service{db: db, clock: clock, cfg: cfg, figures: newFigureCache(cfg.StatisticsTTL), snapshots: newPublishedSnapshots(),
		releases: newReleases(), jobs: newJobRunner(cfg), assurance: newAssuranceResults()}
}

// now is the service's present instant, in UTC.
func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// Clock is the clock the service judges time by.
func (s *Service) Clock() models.Clock { return s.clock }

// Ping reports whether the database answers within ctx.
func (s *Service) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// Pool is the database's connection pool, for its metrics.
func (s *Service) Pool() *sql.DB { return s.db.DB.DB }

// Organisation resolves an organisation's code within the caller's scope: the one lookup
// every organisation route begins with. Outside the scope it does not exist. A training
// provider has no organisation scope: it names organisations by code, as completions do,
// and what it reaches of one (enrolments on its own courses) is limited where it is read.
func (s *Service) Organisation(ctx context.Context, p models.Principal, code string) (models.OrgRef, error) {
	scope := p.Scope()
	if p.Role == models.RoleTrainer {
		scope = models.ScopeAll()
	}
	id, err := s.db.OrganisationID(ctx, scope, code)
	return models.OrgRef{ID: id, Code: code}, err
}

func itoa(n int) string { return strconv.Itoa(n) }
