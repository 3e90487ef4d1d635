// Command cyberskills serves the cyberskills API and administers its database.
//
//	cyberskills serve [--no-migrate]       migrate, load the default data, serve HTTP
//	cyberskills migrate up|down|status     manage the schema
//	cyberskills token create|revoke ...    mint or revoke API tokens
//	cyberskills import staff|evidence|organisations FILE  upload a file to a server as a job,
//	                                       or load organisations straight into the database
//	cyberskills demo                       load the demo dataset through the API, print its tokens
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
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"cyberskills/api"
	"cyberskills/models"
	"cyberskills/repository"
	"cyberskills/service"
)

func main() {
	if err := run(os.Args[1:], serverClock(), os.Stdout, os.Stderr); err != nil {
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
  import staff|evidence|organisations --server URL [--token TOKEN] [--org CODE] [options] FILE
                           upload a file to a server and follow its import job, with a progress bar
  import organisations [--extract etr|epraccur|eccg|eccgsite] [--format csv|ods] [--retire missing] FILE
                           without --server: import organisations (our CSV or an NHS ODS extract)
                           straight into DATABASE_URL's database, as an admin would; the extract is
                           taken from the file's name when it is one (epraccur.csv)
  demo                     load a small, realistic dataset into DATABASE_URL's database through the
                           API (once), and print the tokens it minted and where to look
  (cyberskills import prints every flag)
`

// run runs one command. clock is the service's one clock, which every command and the
// server judge time by; main passes the system clock, tests a fixed one.
func run(args []string, clock models.Clock, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "help", "-h", "--help": // before the configuration, which may be what is wrong
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "token", "import", "demo":
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
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
	case "import":
		return importFile(ctx, cfg, clock, args[1:], stdout, stderr)
	case "demo":
		return demoCommand(ctx, cfg, clock, args[1:], stdout)
	default:
		return token(ctx, cfg, clock, args[1:], stdout)
	}
}

// serve wires the service: configuration -> clock -> database -> migrations -> rules ->
// background work -> router -> server, and serves until ctx ends.
func serve(ctx context.Context, cfg config, clock models.Clock, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.logFormat = logFormatFor(cfg.logFormat, isTerminal(stderr))
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
	servePprof(ctx, cfg.pprofAddr, log)

	svc := service.New(db, clock, cfg.jobRules())
	// Jobs this server's previous run left, and those of servers that have gone, failed
	// with nothing applied: their imports' transactions never committed.
	if n, err := svc.FailAbandonedJobs(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Warn("import jobs left unfinished by a stopped server are marked failed; nothing of theirs was applied", "count", n)
	}
	defer svc.StopJobs(cfg.http.ShutdownTimeout) // after the server has drained, before the database closes
	srv := api.NewServer(svc, log, cfg.http)
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
	// Always followed: besides lapsing cached figures, the announcements tell the leader
	// when the national assurance figures are due for computation.
	go func() {
		if err := db.FollowStatistics(ctx, cfg.db.URL, log, svc.FiguresChanged); err != nil {
			log.Error("listening for statistics changes failed; cached figures last their lifetime and the assurance figures are computed daily", "error", err.Error())
		}
	}()
	if cfg.replicaURL != "" {
		replica, err := repository.OpenReplica(ctx, cfg.db, cfg.replicaURL, db, cfg.replica)
		if err != nil {
			return err
		}
		defer replica.Close()
		go replica.Run(ctx)
		svc.ReadFrom(replica)
		srv.ObserveReplica(replica)
	}

	// The background work runs on one server of those sharing the database: the leader.
	// It stops, and leadership is given up, before the database is closed.
	leadership, err := repository.NewLeadership(cfg.db, cfg.leadership, log)
	if err != nil {
		return err
	}
	srv.ObserveLeadership(leadership.Leading)
	led := make(chan struct{})
	defer func() { <-led }()
	ctx, stopLeading := context.WithCancel(ctx)
	defer stopLeading()
	go func() {
		defer close(led)
		leadership.Run(ctx, func(ctx context.Context) { runBackground(ctx, db, svc, clock, cfg, log, srv) })
	}()

	hasAdmin, err := db.HasAdminToken(ctx, clock.Now())
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, func(addr net.Addr) { announce(log, addr, hasAdmin) })
}
