//go:build bench

// Command bench drives a running cyberskills server with named scenarios and prints
// throughput, p50/p99 latency, server memory and, for reads, the ratio to running the
// same SQL directly through pgbench (the floor). scripts/bench.sh starts everything.
//
//	go run ./scripts/bench --url http://127.0.0.1:8080 --pid 1234 --duration 10s
//
// DATABASE_URL names the server's database.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "the server's base URL")
	pid := flag.Int("pid", 0, "the server's process id, to sample its memory")
	duration := flag.Duration("duration", 10*time.Second, "how long each load scenario runs")
	workers := flag.Uint64("workers", 8, "concurrent connections for read scenarios")
	pgbench := flag.String("pgbench", "pgbench", "the pgbench binary, for the SQL floor")
	only := flag.String("only", "", "comma-separated scenario names to run (default all)")
	importRows := flag.Int("import-staff", 100_000, "rows of the staff import scenario")
	evidenceRows := flag.Int("import-evidence", 1_000_000, "rows of the evidence import scenario")
	explain := flag.Bool("explain", false, "print the read scenarios' query plans (EXPLAIN ANALYZE) instead of loading")
	flag.Parse()
	if err := run(*url, *pid, *duration, *workers, *pgbench, *only, *importRows, *evidenceRows, *explain); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(url string, pid int, duration time.Duration, workers uint64, pgbench, only string, staffRows, evidenceRows int, explain bool) error {
	ctx := context.Background()
	dbURL := os.Getenv("DATABASE_URL")
	db, err := repository.Open(ctx, repository.Config{URL: dbURL, MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour})
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := newFixture(ctx, db)
	if err != nil {
		return err
	}
	// Work a previous run left behind (its imports queued for the gap counts, tables for
	// autovacuum to visit, dirty buffers to write) would otherwise run while this one
	// measures; do it first.
	start := time.Now()
	if n, err := db.Flush(ctx, time.Now()); err != nil {
		return err
	} else if n > 0 {
		fmt.Printf("applied %d queued changes left by an earlier run in %s\n", n, time.Since(start).Round(time.Millisecond))
	}
	start = time.Now()
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		fmt.Println("checkpoint skipped:", err) // needs a superuser or pg_checkpoint
	}
	fmt.Printf("vacuumed and checkpointed in %s\n", time.Since(start).Round(time.Millisecond))
	serverPID = pid
	mem := newRSSSampler(pid)
	defer mem.stop()
	b := &bench{ctx: ctx, db: db, dbURL: dbURL, url: strings.TrimRight(url, "/"), f: f, duration: duration,
		workers: workers, pgbench: pgbench, staffRows: staffRows, evidenceRows: evidenceRows}
	fmt.Printf("dataset: %d organisations, %d staff, %d evidence records; largest trust %s (%d staff)\n\n",
		f.organisations, f.staff, f.evidence, f.largestTrust, f.largestTrustStaff)
	var results []result
	var failed []string // scenarios that could not prepare their requests
	for _, sc := range b.scenarios() {
		if only != "" && !strings.Contains(","+only+",", ","+sc.name+",") {
			continue
		}
		if explain {
			if sc.query != nil {
				if err := b.explain(sc.name, sc.query); err != nil {
					fmt.Printf("== %s failed: %v\n\n", sc.name, err)
					failed = append(failed, sc.name)
				}
			}
			continue
		}
		mem.reset()
		var r result
		if sc.query != nil {
			q, err := sc.query()
			if err != nil {
				failed = append(failed, sc.name)
				r.Note = "failed: " + err.Error()
			} else {
				r = b.read(sc.name, q)
			}
		} else {
			r = sc.run()
		}
		r.Name = sc.name
		r.MaxRSSKiB = mem.max()
		results = append(results, r)
		printResult(r)
	}
	if !explain {
		fmt.Println()
		printTable(results)
	}
	if len(failed) > 0 {
		return fmt.Errorf("failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

func printResult(r result) {
	fmt.Printf("%-24s done: %s\n", r.Name, summary(r))
}

func summary(r result) string {
	s := ""
	if r.Rows > 0 {
		s = fmt.Sprintf("%d rows, %.0f rows/s", r.Rows, r.RowsPerSec)
	} else {
		s = fmt.Sprintf("%.0f req/s, p50 %s, p99 %s, %.1f%% ok", r.Throughput, ms(r.P50), ms(r.P99), 100*r.Success)
	}
	if r.PacedRate > 0 {
		s += fmt.Sprintf("; offered %d req/s, served %.0f/s, p50 %s, p99 %s", r.PacedRate, r.PacedThroughput, ms(r.PacedP50), ms(r.PacedP99))
	}
	if r.CPU != (cpuSplit{}) {
		s += fmt.Sprintf("; cores busy at full speed: %s", r.CPU)
		if r.PacedCPU != (cpuSplit{}) {
			s += fmt.Sprintf(", at the fixed rate: %s", r.PacedCPU)
		}
	}
	if r.FloorP50 > 0 {
		s += fmt.Sprintf(", SQL floor p50 %s (x%.1f)", ms(r.FloorP50), float64(r.P50)/float64(r.FloorP50))
	}
	if r.Note != "" {
		s += "; " + r.Note
	}
	return s
}

func printTable(results []result) {
	fmt.Printf("| scenario | requests | throughput | p50 | p99 | ok | paced: offered (served) p50 / p99 | rows/s | SQL floor p50 | API/floor | max RSS |\n")
	fmt.Printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		rows, paced, floorP50, ratio := "", "", "", ""
		if r.PacedRate > 0 {
			paced = fmt.Sprintf("%d/s (%.0f): %s / %s", r.PacedRate, r.PacedThroughput, ms(r.PacedP50), ms(r.PacedP99))
		}
		if r.Rows > 0 {
			rows = fmt.Sprintf("%.0f", r.RowsPerSec)
		}
		if r.FloorP50 > 0 {
			floorP50, ratio = ms(r.FloorP50), fmt.Sprintf("%.1f", float64(r.P50)/float64(r.FloorP50))
		}
		fmt.Printf("| %s | %d | %.0f/s | %s | %s | %.1f%% | %s | %s | %s | %s | %d MB |\n", r.Name, r.Requests, r.Throughput,
			ms(r.P50), ms(r.P99), 100*r.Success, paced, rows, floorP50, ratio, r.MaxRSSKiB/1024)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// mint creates a token for the benchmark directly in the database.
func mint(ctx context.Context, db *repository.DB, role models.Role, provider string) (string, error) {
	_, secret, err := db.CreateToken(ctx, models.NewToken{Name: "bench " + string(role), Role: role, Provider: provider, ExpiresIn: 24 * time.Hour}, time.Now())
	return secret, err
}
