// Command cyberskills serves the cyberskills API and administers its database.
//
//	cyberskills serve [--no-migrate]       migrate, load the default data, serve HTTP
//	cyberskills migrate up|down|status     manage the schema
//	cyberskills token create|revoke ...    mint or revoke API tokens
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cyberskills/api"
	"cyberskills/migrations"
	"cyberskills/models"
	"cyberskills/repository"
)

func main() {
	if err := run(os.Args[1:], models.SystemClock{}, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cyberskills:", err)
		os.Exit(1)
	}
}

const usage = `usage: cyberskills <command> [arguments]

commands:
  serve [--no-migrate]     apply pending migrations, load the default data, serve the API
  migrate up|down|status   apply, roll back one, or list migrations
  token create --role ROLE --name NAME [--org CODE] [--provider NAME] [--expires 90d]
                           mint an API token; the secret is the last line of output
  token revoke ID          revoke a token
`

// run runs one command. clock is the service's one clock, which every command and the
// server judge time by; main passes the system clock, tests a fixed one.
func run(args []string, clock models.Clock, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, clock, args[1:], stderr)
	case "migrate":
		return migrate(ctx, cfg, args[1:], stdout)
	case "token":
		return token(ctx, cfg, clock, args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(ctx context.Context, cfg config, clock models.Clock, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	log.Info("configuration", cfg.logAttrs()...)

	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepareDatabase(ctx, db, !*noMigrate, log); err != nil {
		return err
	}
	go db.RunSweeper(ctx, clock, cfg.sweepInterval, func(n int, err error) {
		if err != nil {
			log.Error("sweep failed", "error", err.Error())
		} else if n > 0 {
			log.Info("sweep refreshed expired levels", "rows", n)
		}
	})
	go db.RunFlusher(ctx, clock, cfg.refreshInterval, func(err error) { log.Error("applying queued changes to the gap counts failed", "error", err.Error()) })
	cfg.http.Clock = clock
	srv := api.NewServer(db, log, cfg.http)
	audit := repository.NewAuditBuffer(db, log, 100*time.Millisecond, 500)
	defer audit.Close() // after the server has drained: the last requests' entries are written
	srv.RecordAuditWith(audit)
	if cfg.tokenCacheTTL > 0 {
		tokens := repository.NewTokenCache(db, cfg.tokenCacheTTL)
		go func() {
			if err := tokens.Listen(ctx, cfg.db.URL, log); err != nil {
				log.Error("listening for token changes failed; every request is authenticated in the database", "error", err.Error())
			}
		}()
		srv.AuthenticateWith(tokens)
	}
	return srv.ListenAndServe(ctx, func(addr net.Addr) {
		log.Info("listening", "addr", addr.String(), "docs", "/docs/", "openapi", "/openapi.json")
	})
}

func migrate(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: cyberskills migrate up|down|status")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := repository.NewMigrator(db.DB, migrations.FS)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	case "down":
		mig, err := m.Down(ctx)
		if err != nil {
			return err
		}
		if mig == nil {
			fmt.Fprintln(stdout, "no migration to roll back")
			return nil
		}
		fmt.Fprintf(stdout, "rolled back %04d_%s\n", mig.Version, mig.Name)
	case "status":
		ms, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, mig := range ms {
			state := "pending"
			if mig.AppliedAt != nil {
				state = "applied " + mig.AppliedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%04d_%-40s %s\n", mig.Version, mig.Name, state)
		}
	default:
		return fmt.Errorf("unknown migrate command %q: use up, down or status", args[0])
	}
	return nil
}

func token(ctx context.Context, cfg config, clock models.Clock, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: cyberskills token create|revoke ...")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		role := fs.String("role", "", "admin, hr, trainer or analyst")
		name := fs.String("name", "", "what the token is for")
		org := fs.String("org", "", "organisation code (hr tokens)")
		provider := fs.String("provider", "", "training provider (trainer tokens)")
		expires := fs.String("expires", "", "lifetime such as 90d or 12h; never expires when empty")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		life, err := models.ParseLifetime(*expires)
		if err != nil {
			return err
		}
		// The first admin token is minted before the server has ever run: bring the
		// database up to date first, as serve would.
		if err := prepareDatabase(ctx, db, true, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			return err
		}
		tok, secret, err := db.CreateToken(ctx, models.NewToken{
			Name: *name, Role: models.Role(*role), OrgCode: *org, Provider: *provider, ExpiresIn: life,
		}, clock.Now())
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "token %d (%s, %s) created; store the secret now, it is not shown again:\n%s\n", tok.ID, tok.Name, tok.Role, secret)
	case "revoke":
		if len(args) != 2 {
			return errors.New("usage: cyberskills token revoke ID")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("token id %q is not a number", args[1])
		}
		tok, err := db.RevokeToken(ctx, id, clock.Now())
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "token %d (%s) revoked\n", tok.ID, tok.Name)
	default:
		return fmt.Errorf("unknown token command %q: use create or revoke", args[0])
	}
	return nil
}

// describe spells out a validation error's fields for the terminal.
func describe(err error) error {
	var e *models.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}

// prepareDatabase applies pending migrations unless told not to, then loads the default
// data that is missing. Defaults load with --no-migrate too: they only add what is absent,
// and a fresh installation must serve the default framework however its schema was
// migrated. A schema that is not migrated yet fails here, before the server listens.
func prepareDatabase(ctx context.Context, db *repository.DB, migrate bool, log *slog.Logger) error {
	if migrate {
		if err := migrateUp(ctx, db, log); err != nil {
			return err
		}
	}
	if err := db.LoadDefaults(ctx); err != nil {
		return fmt.Errorf("%w (is the schema migrated? run `cyberskills migrate up`)", err)
	}
	log.Info("default data loaded")
	return nil
}

func migrateUp(ctx context.Context, db *repository.DB, log *slog.Logger) error {
	m, err := repository.NewMigrator(db.DB, migrations.FS)
	if err != nil {
		return err
	}
	n, err := m.Up(ctx)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "count", n)
	return nil
}

func openDB(ctx context.Context, cfg config) (*repository.DB, error) {
	if cfg.db.URL == "" {
		return nil, errors.New("DATABASE_URL is not set; `make run` starts a private PostgreSQL for you")
	}
	return repository.Open(ctx, cfg.db)
}

// config is everything the environment configures.
type config struct {
	db        repository.Config
	http      api.Config
	logLevel  slog.Level
	logFormat string
	// sweepInterval is how often evidence expiry and leavers' end dates are applied.
	sweepInterval time.Duration
	// refreshInterval is how often queued writes are applied to the gap counts.
	refreshInterval time.Duration
	// tokenCacheTTL is how long an authenticated token is answered from memory.
	tokenCacheTTL time.Duration
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
			RateLimit:       e.float("RATE_LIMIT", 50),
			RateBurst:       e.int("RATE_BURST", 100),
			DefaultPassRate: e.float("DEFAULT_PASS_RATE", 0.8),
			StatisticsTTL:   e.duration("STATISTICS_CACHE", 500*time.Millisecond),
		},
		logFormat:       e.str("LOG_FORMAT", "json"),
		sweepInterval:   e.duration("SWEEP_INTERVAL", time.Minute),
		refreshInterval: e.duration("REFRESH_INTERVAL", 250*time.Millisecond),
		tokenCacheTTL:   e.duration("TOKEN_CACHE", 30*time.Second),
	}
	// Idle connections are kept up to the pool's size: a smaller idle limit closes the
	// connections a burst opened as soon as they are returned, and the next burst pays
	// for new PostgreSQL backends (measured: four times the p99 of the evidence write at
	// 1,000 requests a second). DB_CONN_MAX_IDLE_TIME shrinks the pool when it is quiet.
	cfg.db.MaxIdleConns = e.int("DB_MAX_IDLE_CONNS", cfg.db.MaxOpenConns)
	if err := cfg.logLevel.UnmarshalText([]byte(e.str("LOG_LEVEL", "info"))); err != nil {
		e.errs = append(e.errs, "LOG_LEVEL must be debug, info, warn or error")
	}
	if cfg.http.DefaultPassRate > 1 {
		e.errs = append(e.errs, "DEFAULT_PASS_RATE must be between 0 and 1")
	}
	if cfg.logFormat != "json" && cfg.logFormat != "text" {
		e.errs = append(e.errs, "LOG_FORMAT must be json or text")
	}
	if len(e.errs) > 0 {
		return cfg, errors.New("configuration: " + strings.Join(e.errs, "; "))
	}
	return cfg, nil
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
		"body_limit", c.http.BodyLimit, "import_body_limit", c.http.ImportBodyLimit,
		"rate_limit", c.http.RateLimit, "rate_burst", c.http.RateBurst, "default_pass_rate", c.http.DefaultPassRate,
		"statistics_cache", c.http.StatisticsTTL.String(),
		"sweep_interval", c.sweepInterval.String(), "refresh_interval", c.refreshInterval.String(),
		"token_cache", c.tokenCacheTTL.String(),
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
