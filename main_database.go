package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"cyberskills/migrations"
	"cyberskills/models"
	"cyberskills/repository"
)

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
		fmt.Fprintf(stdout, "applied %s\n", models.Count(n, "migration", "migrations"))
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
	report, err := db.LoadDefaultsReport(ctx)
	if err != nil {
		return fmt.Errorf("%w (is the schema migrated? run `cyberskills migrate up`)", err)
	}
	for _, r := range report {
		outcome := "unchanged"
		if r.Loaded {
			outcome = "loaded"
		}
		log.Info("default data", "step", r.Step, "outcome", outcome)
	}
	return reportMisplacedOrganisations(ctx, db, log)
}

// reportMisplacedOrganisations warns about organisations placed before the tree was
// typed where the typing does not allow (a "trust" inside a trust, say): they are left
// where they are, for an administrator to move or retype.
func reportMisplacedOrganisations(ctx context.Context, db *repository.DB, log *slog.Logger) error {
	found, total, err := db.MisplacedOrganisations(ctx, 10)
	if err != nil || total == 0 {
		return err
	}
	examples := make([]string, len(found))
	for i, m := range found {
		examples[i] = m.Code + ": " + m.Message
	}
	log.Warn("organisations sit where the tree's typing does not allow; statistics count every person once whatever the tree, but move or retype them (see README, Organisations)",
		"count", total, "first", examples)
	return nil
}

func migrateUp(ctx context.Context, db *repository.DB, log *slog.Logger) error {
	n, err := repository.MigrateUp(ctx, db.DB, migrations.FS)
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
