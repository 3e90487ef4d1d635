package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"cyberskills/api/dashboard"
	"cyberskills/api/middleware"
	"cyberskills/service"
)

// Config holds the HTTP settings of the service.
type Config struct {
	ListenAddr      string
	RequestTimeout  time.Duration // per request, bounding handler and queries
	ImportTimeout   time.Duration // for bulk imports, which legitimately run longer
	ShutdownTimeout time.Duration // how long in-flight requests may drain on shutdown
	BodyLimit       int64         // bytes, for ordinary JSON bodies
	ImportBodyLimit int64         // bytes, for bulk import files
	XAPIBodyLimit   int64         // bytes, for xAPI statements (a batch, with attachments' data)
	RateLimit       float64       // requests per second per token; 0 disables
	RateBurst       int
	Dashboard       dashboard.Config
}

// Server is the HTTP API: its dependencies and configuration.
type Server struct {
	svc      *service.Service
	log      *slog.Logger
	cfg      Config
	registry *prometheus.Registry
	metrics  *middleware.Metrics
	limiter  *middleware.RateLimiter
	router   *gin.Engine
	audit    middleware.AuditRecorder
	auth     middleware.Authenticator
	// background counts the background tasks' runs (see BackgroundRan).
	background *prometheus.CounterVec
	dash       *dashboard.Dashboard
}

// NewServer wires the API over the service. Metrics are registered on a private registry
// so that tests can build many servers in one process.
func NewServer(svc *service.Service, log *slog.Logger, cfg Config) *Server {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(svc.Pool(), "cyberskills"))
	background := newBackgroundRuns()
	reg.MustRegister(background)
	return &Server{svc: svc, log: log, cfg: cfg, registry: reg, metrics: middleware.NewMetrics(reg),
		limiter: middleware.NewRateLimiter(cfg.RateLimit, cfg.RateBurst), audit: svc, auth: svc, background: background}
}

// AuthenticateWith resolves bearer tokens through a (a cache, in production) instead of
// a query per request. Call it before Router.
func (s *Server) AuthenticateWith(a middleware.Authenticator) { s.auth = a }

// forgetTokens empties the token cache, if there is one, so that a revocation made
// through this server holds from its very next request; other servers learn of it from
// the database's notification.
func (s *Server) forgetTokens() {
	if f, ok := s.auth.(interface{ Forget() }); ok {
		f.Forget()
	}
}

// RecordAuditWith sends audit entries to r (a batching buffer, in production) instead of
// writing each one to the database as the request ends. Call it before Router.
func (s *Server) RecordAuditWith(r middleware.AuditRecorder) { s.audit = r }

// ListenAndServe serves until ctx is cancelled, then stops accepting connections and
// drains in-flight requests for up to ShutdownTimeout. ready, when not nil, receives the
// bound address once the listener is open.
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr net.Addr)) error {
	srv := &http.Server{
		Handler:           s.Router(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.cfg.ImportTimeout + 30*time.Second,
		WriteTimeout:      s.cfg.ImportTimeout + 30*time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", s.cfg.ListenAddr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining in-flight requests", "timeout", s.cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
