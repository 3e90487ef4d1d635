// Command odstiming times the import of NHS ODS extracts into the migrated database
// DATABASE_URL names, as the API applies them (service.ImportOrganisations, without HTTP), and the
// floor under it: COPY of the same file's rows, as they are, into a table of 27 text
// columns. scripts/ods-timing.sh runs it on a throwaway cluster.
//
//	go run ./scripts/odstiming [-etr etr.csv] epraccur.csv
//
// It imports the trust extract first, when given (the usual order), then the GP
// practice extract twice: a first import and a re-import, which changes nothing.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
	"cyberskills/repository"
	"cyberskills/service"
)

func main() {
	etr := flag.String("etr", "", "an NHS trusts extract to import first")
	flag.Parse()
	if flag.NArg() != 1 || os.Getenv("DATABASE_URL") == "" {
		fmt.Fprintln(os.Stderr, "usage: DATABASE_URL=... go run ./scripts/odstiming [-etr etr.csv] epraccur.csv")
		os.Exit(2)
	}
	if err := run(context.Background(), *etr, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "odstiming:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, etr, practices string) error {
	db, err := repository.Open(ctx, repository.Config{URL: os.Getenv("DATABASE_URL"), MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, models.SystemClock{}, service.Config{})
	if etr != "" {
		if err := timeImport(ctx, svc, etr, models.ExtractTrusts, "trust extract"); err != nil {
			return err
		}
	}
	for _, what := range []string{"GP practice extract, first import", "GP practice extract, re-import"} {
		if err := timeImport(ctx, svc, practices, models.ExtractPractices, what); err != nil {
			return err
		}
	}
	return timeCopyFloor(ctx, db.DB, practices)
}

func timeImport(ctx context.Context, svc *service.Service, path string, x models.ODSExtract, what string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	res, err := svc.ImportOrganisations(ctx, f, models.OrganisationImportOptions{Extract: x})
	if err != nil {
		return err
	}
	fmt.Printf("%-36s %6.2f s  inserted %d, updated %d, unchanged %d, skipped %d\n",
		what, time.Since(start).Seconds(), res.Inserted, res.Updated, res.Unchanged, res.Skipped)
	return nil
}

// timeCopyFloor copies the file's rows into a temporary table of text columns: reading
// the file and the COPY, with no parsing into organisations, checks or merge.
func timeCopyFloor(ctx context.Context, db *sqlx.DB, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cols := make([]string, 27)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d", i+1)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE ods_raw (`+strings.Join(cols, " text, ")+` text)`); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("ods_raw", cols...))
	if err != nil {
		return err
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = 27
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		vals := make([]any, len(rec))
		for i, v := range rec {
			vals[i] = v
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return err
		}
		n++
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Printf("%-36s %6.2f s  %d rows\n", "floor: COPY of the same rows", time.Since(start).Seconds(), n)
	return nil
}
