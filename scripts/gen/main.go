// Command gen builds a deterministic synthetic dataset at a chosen scale, through the
// project's own organisation import and PostgreSQL COPY, for benchmarks and demos.
//
//	DATABASE_URL=... go run ./scripts/gen --scale small|medium|nhs [--seed 1] [--now 2027-03-15T12:00:00Z] [--snapshots 6]
//
// --now dates the dataset as of an instant other than the machine's time (a server on a
// fixed clock, as the browser tests run it); --snapshots also takes the monthly
// statistics snapshots of that many past months, for the trends (--snapshots-only: of
// the data already there, generating nothing).
//
// nhs: the 7 NHS England regions, the ICBs and trusts of testdata/ods/etr.csv, an IT
// department in every open trust, synthetic GP practices and other bodies up to 21,000
// organisations, 1.4 million staff with a long-tailed size distribution (a few trusts
// over 10,000 staff) and realistic role mixes, over 12 million evidence records
// (annual awareness training from completions, certificates that expire, manager
// assessments, self-assessments) and the completions behind the training.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"cyberskills/migrations"
	"cyberskills/repository"
)

// scale sizes a dataset.
type scale struct {
	name          string
	regions       []string // NHS England region codes whose trusts are included; nil: all
	organisations int      // total organisations to reach with practices and other bodies
	practiceShare float64  // of the synthetic organisations, the share that are GP practices
	staff         int      // total staff to reach
}

var scales = map[string]scale{
	"small":  {name: "small", regions: []string{"Y56", "Y58"}, organisations: 500, practiceShare: 0.4, staff: 20_000},
	"medium": {name: "medium", organisations: 5_000, practiceShare: 0.4, staff: 140_000},
	"nhs":    {name: "nhs", organisations: 21_000, practiceShare: 0.31, staff: 1_400_000},
}

func main() {
	scaleName := flag.String("scale", "small", "small, medium or nhs")
	seed := flag.Uint64("seed", 1, "random seed: the same seed builds the same dataset")
	ods := flag.String("ods", "testdata/ods/etr.csv", "the NHS ODS trusts extract")
	reset := flag.Bool("reset", false, "empty the database's workforce data first")
	nowFlag := flag.String("now", "", "the instant the dataset is generated as of (RFC 3339); default: the machine's time")
	snapshots := flag.Int("snapshots", 0, "also take the monthly statistics snapshots of this many past months")
	snapshotsOnly := flag.Bool("snapshots-only", false, "generate nothing: only take the snapshots, of the data already there")
	flag.Parse()
	now := time.Now().UTC()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen: --now must be an RFC 3339 instant such as 2027-03-15T12:00:00Z")
			os.Exit(2)
		}
		now = t.UTC()
	}
	sc, ok := scales[*scaleName]
	if !ok {
		fmt.Fprintln(os.Stderr, "gen: --scale must be small, medium or nhs")
		os.Exit(2)
	}
	if err := run(sc, *seed, *ods, *reset, now, *snapshots, *snapshotsOnly); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(sc scale, seed uint64, odsPath string, reset bool, now time.Time, snapshots int, snapshotsOnly bool) error {
	ctx := context.Background()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return fmt.Errorf("DATABASE_URL is not set")
	}
	db, err := repository.Open(ctx, repository.Config{URL: url, MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	step := func(format string, args ...any) {
		fmt.Printf("[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	if _, err := repository.MigrateUp(ctx, db.DB, migrations.FS); err != nil {
		return err
	}
	if err := db.LoadDefaults(ctx); err != nil {
		return err
	}
	g := newGenerator(db, sc, seed, now, step)
	if snapshotsOnly {
		return g.snapshots(ctx, snapshots)
	}
	if err := g.prepare(ctx, reset); err != nil {
		return err
	}
	if err := g.organisations(ctx, odsPath); err != nil {
		return err
	}
	if err := g.workforce(ctx); err != nil {
		return err
	}
	if snapshots > 0 {
		if err := g.snapshots(ctx, snapshots); err != nil {
			return err
		}
	}
	step("done: %s", g.summary(ctx))
	return nil
}
