package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"cyberskills/models"
	"cyberskills/service"
)

const importUsage = "usage: cyberskills import organisations [--extract etr|epraccur|eccg|eccgsite] [--format csv|ods] [--retire missing] FILE"

// importFile loads a file of organisations (our CSV format or an NHS ODS extract) into
// the database with only DATABASE_URL set: the way to a first import, before the
// server has run or any token exists. It brings the database up to date first, as
// serve would, applies the file exactly as POST /api/v1/organisations/import does (all
// or nothing), and prints the answer.
func importFile(ctx context.Context, cfg config, clock models.Clock, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "organisations" {
		return errors.New(importUsage)
	}
	fs := flag.NewFlagSet("import organisations", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	extract := fs.String("extract", "", "the NHS ODS extract; by default taken from the file's name (epraccur.csv), else detected")
	format := fs.String("format", "", "csv (our format) or ods; detected when left out")
	retire := fs.String("retire", "", "missing: close the organisations of the extract's kind that it no longer lists")
	path, err := parseWithFile(fs, args[1:])
	if err != nil {
		return err
	}
	opts := models.OrganisationImportOptions{Format: models.ImportFormat(*format), Extract: models.ODSExtract(*extract)}
	if opts.Extract == "" && opts.Format != models.FormatCSV {
		opts.Extract = extractNamed(path)
	}
	switch *retire {
	case "":
	case "missing":
		opts.RetireMissing = true
	default:
		return fmt.Errorf("--retire %q: the only choice is missing", *retire)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepareDatabase(ctx, db, true, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return err
	}
	res, err := service.New(db, clock, cfg.rules).ImportOrganisations(ctx, f, opts)
	if err != nil {
		return describe(err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// parseWithFile reads the flags and the one file they are about, flags before or after it.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("%w\n%s", err, importUsage)
	}
	if fs.NArg() == 0 {
		return "", errors.New(importUsage)
	}
	path := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", fmt.Errorf("%w\n%s", err, importUsage)
	}
	if fs.NArg() > 0 {
		return "", errors.New(importUsage)
	}
	return path, nil
}

// extractNamed is the ODS extract a file's name gives (etr.csv, epraccur-2024.csv), or
// "" when the name is no extract's.
func extractNamed(path string) models.ODSExtract {
	name := strings.ToLower(filepath.Base(path))
	if i := strings.IndexAny(name, ".-_ "); i >= 0 {
		name = name[:i]
	}
	if x := models.ODSExtract(name); x.Valid() {
		return x
	}
	return ""
}
