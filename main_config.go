package main

import (
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"cyberskills/api"
	"cyberskills/api/dashboard"
	"cyberskills/models"
	"cyberskills/repository"
	"cyberskills/service"
)

// config is everything the environment configures.
type config struct {
	db        repository.Config
	http      api.Config
	rules     service.Config
	logLevel  slog.Level
	logFormat string
	// sweepInterval is how often evidence expiry and leavers' end dates are applied.
	sweepInterval time.Duration
	// refreshInterval is how often queued writes are applied to the gap counts.
	refreshInterval time.Duration
	// tokenCacheTTL is how long an authenticated token is answered from memory.
	tokenCacheTTL time.Duration
	// pprofAddr is where Go's profiler listens ("": nowhere).
	pprofAddr string
	// leadership is how fast the background work moves between servers.
	leadership repository.LeadershipConfig
	// replicaURL names a streaming standby for the reads that tolerate lag ("": none).
	replicaURL string
	replica    repository.ReplicaConfig
}

func loadConfig() (config, error) {
	e := envReader{}
	cfg := config{
		db: repository.Config{
			URL:              os.Getenv("DATABASE_URL"),
			MaxOpenConns:     e.int("DB_MAX_OPEN_CONNS", 20),
			ConnMaxLifetime:  e.duration("DB_CONN_MAX_LIFETIME", 30*time.Minute),
			ConnMaxIdleTime:  e.duration("DB_CONN_MAX_IDLE_TIME", 5*time.Minute),
			StatementTimeout: e.duration("DB_STATEMENT_TIMEOUT", 10*time.Second),
			ConnectTimeout:   e.duration("DB_CONNECT_TIMEOUT", 5*time.Second),
			KeepAlive:        e.duration("DB_KEEPALIVE", 15*time.Second),
			TCPUserTimeout:   e.duration("DB_TCP_USER_TIMEOUT", 30*time.Second),
		},
		http: api.Config{
			ListenAddr:      e.str("LISTEN_ADDR", ":8080"),
			RequestTimeout:  e.duration("REQUEST_TIMEOUT", 15*time.Second),
			ImportTimeout:   e.duration("IMPORT_TIMEOUT", 10*time.Minute),
			ShutdownTimeout: e.duration("SHUTDOWN_TIMEOUT", 20*time.Second),
			BodyLimit:       e.int64("BODY_LIMIT", 1<<20),
			ImportBodyLimit: e.int64("IMPORT_BODY_LIMIT", 512<<20),
			XAPIBodyLimit:   e.int64("XAPI_BODY_LIMIT", 16<<20),
			RateLimit:       e.float("RATE_LIMIT", 50),
			RateBurst:       e.int("RATE_BURST", 100),
			Dashboard: dashboard.Config{
				Sessions: models.SessionPolicy{
					Idle:     e.duration("DASHBOARD_SESSION_IDLE", models.DefaultSessionPolicy.Idle),
					Lifetime: e.duration("DASHBOARD_SESSION_LIFETIME", models.DefaultSessionPolicy.Lifetime),
				},
				SecureCookie: e.str("DASHBOARD_SECURE_COOKIE", "auto"),
			},
		},
		rules: service.Config{
			DefaultPassRate: e.float("DEFAULT_PASS_RATE", 0.8),
			StatisticsTTL:   e.duration("STATISTICS_CACHE", 500*time.Millisecond),
			// A national computation of the assurance figures takes half a minute to a minute for
			// the NHS's 2.3 million staff: a few minutes between them keeps the leader's
			// database load a fraction of a core while the figures stay that fresh.
			AssuranceRefreshInterval: e.duration("ASSURANCE_REFRESH_INTERVAL", 5*time.Minute),
			AssuranceTimeout:         e.duration("ASSURANCE_STATISTICS_TIMEOUT", 10*time.Minute),
		},
		logFormat:       e.str("LOG_FORMAT", ""), // "": text at a terminal, JSON otherwise (logFormatFor)
		sweepInterval:   e.duration("SWEEP_INTERVAL", time.Minute),
		refreshInterval: e.duration("REFRESH_INTERVAL", 250*time.Millisecond),
		tokenCacheTTL:   e.duration("TOKEN_CACHE", 30*time.Second),
		pprofAddr:       e.str("PPROF_ADDR", ""),
		leadership: repository.LeadershipConfig{
			Poll:  e.duration("LEADER_POLL", time.Second),
			Lease: e.duration("LEADER_LEASE", 5*time.Second),
		},
		replicaURL: os.Getenv("DATABASE_REPLICA_URL"),
		replica: repository.ReplicaConfig{
			MaxLag: e.duration("REPLICA_MAX_LAG", 5*time.Second),
			Check:  e.duration("REPLICA_CHECK_INTERVAL", 500*time.Millisecond),
		},
	}
	// A background task's lock is held on the same terms as leadership: a silent holder
	// loses it after the lease.
	cfg.db.TaskLease = cfg.leadership.Lease
	// Idle connections are kept up to the pool's size: a smaller idle limit closes the
	// connections a burst opened as soon as they are returned, and the next burst pays
	// for new PostgreSQL backends (measured: four times the p99 of the evidence write at
	// 1,000 requests a second). DB_CONN_MAX_IDLE_TIME shrinks the pool when it is quiet.
	cfg.db.MaxIdleConns = e.int("DB_MAX_IDLE_CONNS", cfg.db.MaxOpenConns)
	if err := cfg.logLevel.UnmarshalText([]byte(e.str("LOG_LEVEL", "info"))); err != nil {
		e.errs = append(e.errs, "LOG_LEVEL must be debug, info, warn or error")
	}
	if cfg.rules.DefaultPassRate > 1 {
		e.errs = append(e.errs, "DEFAULT_PASS_RATE must be between 0 and 1")
	}
	if cfg.leadership.Poll <= 0 || cfg.leadership.Lease < 3*cfg.leadership.Poll {
		e.errs = append(e.errs, "LEADER_POLL must be positive and LEADER_LEASE at least three times LEADER_POLL")
	}
	if cfg.replica.Check <= 0 {
		e.errs = append(e.errs, "REPLICA_CHECK_INTERVAL must be positive")
	}
	if s := cfg.http.Dashboard; s.SecureCookie != "auto" && s.SecureCookie != "always" {
		e.errs = append(e.errs, "DASHBOARD_SECURE_COOKIE must be auto or always")
	}
	if s := cfg.http.Dashboard.Sessions; s.Idle <= 0 || s.Lifetime <= 0 {
		e.errs = append(e.errs, "DASHBOARD_SESSION_IDLE and DASHBOARD_SESSION_LIFETIME must be positive durations")
	}
	if cfg.logFormat != "" && cfg.logFormat != "json" && cfg.logFormat != "text" {
		e.errs = append(e.errs, "LOG_FORMAT must be json or text")
	}
	if len(e.errs) > 0 {
		return cfg, errors.New("configuration: " + strings.Join(e.errs, "; "))
	}
	return cfg, nil
}

// jobRules are the rules' settings with those of the jobs this server runs: it owns them
// under its host name and listen address, which its next start recognises, and a job has
// the import budget. A server on a port chosen when it starts (":0") has no name its next
// start could recognise, and shares that address with every other such server on the
// host, whose running jobs its start would fail: it keeps the default, host and process.
func (c config) jobRules() service.Config {
	r := c.rules
	if _, port, err := net.SplitHostPort(c.http.ListenAddr); err != nil || port != "0" {
		host, _ := os.Hostname()
		r.Instance = host + " " + c.http.ListenAddr
	}
	r.JobTimeout = c.http.ImportTimeout
	return r
}

// logAttrs describes the configuration for the start-up log line, password masked.
func (c config) logAttrs() []any {
	return []any{
		"database_url", maskURL(c.db.URL),
		"listen_addr", c.http.ListenAddr,
		"log_level", c.logLevel.String(), "log_format", c.logFormat,
		"db_max_open_conns", c.db.MaxOpenConns, "db_max_idle_conns", c.db.MaxIdleConns,
		"db_conn_max_lifetime", c.db.ConnMaxLifetime.String(), "db_conn_max_idle_time", c.db.ConnMaxIdleTime.String(),
		"db_statement_timeout", c.db.StatementTimeout.String(), "db_connect_timeout", c.db.ConnectTimeout.String(),
		"db_keepalive", c.db.KeepAlive.String(), "db_tcp_user_timeout", c.db.TCPUserTimeout.String(),
		"request_timeout", c.http.RequestTimeout.String(), "import_timeout", c.http.ImportTimeout.String(),
		"shutdown_timeout", c.http.ShutdownTimeout.String(),
		"body_limit", c.http.BodyLimit, "import_body_limit", c.http.ImportBodyLimit, "xapi_body_limit", c.http.XAPIBodyLimit,
		"rate_limit", c.http.RateLimit, "rate_burst", c.http.RateBurst, "default_pass_rate", c.rules.DefaultPassRate,
		"statistics_cache", c.rules.StatisticsTTL.String(),
		"assurance_refresh_interval", c.rules.AssuranceRefreshInterval.String(),
		"assurance_statistics_timeout", c.rules.AssuranceTimeout.String(),
		"sweep_interval", c.sweepInterval.String(), "refresh_interval", c.refreshInterval.String(),
		"token_cache", c.tokenCacheTTL.String(), "pprof_addr", c.pprofAddr,
		"leader_poll", c.leadership.Poll.String(), "leader_lease", c.leadership.Lease.String(),
		"database_replica_url", maskURL(c.replicaURL),
		"replica_max_lag", c.replica.MaxLag.String(), "replica_check_interval", c.replica.Check.String(),
		"dashboard_session_idle", c.http.Dashboard.Sessions.Idle.String(),
		"dashboard_session_lifetime", c.http.Dashboard.Sessions.Lifetime.String(),
		"dashboard_secure_cookie", c.http.Dashboard.SecureCookie,
	}
}

func maskURL(raw string) string {
	if !strings.Contains(raw, "://") {
		// key=value form: lib/pq allows spaces around "=" and quoted values, so any
		// mention of a password hides the whole string rather than trying to parse it.
		if strings.Contains(strings.ToLower(raw), "password") {
			return "(set; key=value form with a password, not shown)"
		}
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		// A password with an unescaped "/" or "#" makes the URL unparseable; it would be
		// logged whole.
		return "(set; not a valid URL, not shown)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// envReader reads typed settings, collecting every malformed one.
type envReader struct{ errs []string }

func (e *envReader) str(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func (e *envReader) int(key string, def int) int {
	return int(e.int64(key, int64(def)))
}

func (e *envReader) int64(key string, def int64) int64 {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		e.errs = append(e.errs, key+" must be a whole number")
		return def
	}
	return n
}

func (e *envReader) float(key string, def float64) float64 {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		e.errs = append(e.errs, key+" must be a non-negative number")
		return def
	}
	return f
}

func (e *envReader) duration(key string, def time.Duration) time.Duration {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		e.errs = append(e.errs, key+" must be a duration such as 500ms, 10s or 5m")
		return def
	}
	return d
}
