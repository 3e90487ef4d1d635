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

const importUsage = `usage: cyberskills import staff|evidence|organisations [flags] FILE

  To a server, over the API (the file is uploaded, then imported as a job whose progress is shown):
    --server URL       the server (or CYBERSKILLS_SERVER), e.g. http://localhost:8080
    --token TOKEN      a bearer token (or CYBERSKILLS_TOKEN, which keeps it out of the process list)
    --org CODE         staff and evidence: the organisation the file is for
    --mode partial     staff and evidence: import the good rows and report the rest
    --leavers mark     staff: the file is the full list; active staff not in it become leavers
  Organisations straight into the database (DATABASE_URL set, no --server), as an admin would:
    --extract etr|epraccur|eccg|eccgsite   the NHS ODS extract (else taken from the file's name, or detected)
    --format csv|ods   our CSV or an ODS extract (detected when left out)
    --retire missing   close the organisations of the extract's kind that it no longer lists
  (the organisation flags work over the API too)`

// importOptions are an import command's flags.
type importOptions struct {
	kind                              string
	server, token, org, mode, leavers string
	extract, format, retire           string
	path                              string
}

// importFile imports a file of staff, evidence or organisations. With a server it
// uploads the file to the API and follows the import's job (remoteImport); without one,
// organisations go straight into the database with only DATABASE_URL set, the way to a
// first import before the server has run or any token exists.
func importFile(ctx context.Context, cfg config, clock models.Clock, args []string, stdout, stderr io.Writer) error {
	o, err := parseImport(args)
	if err != nil {
		return err
	}
	if o.server != "" {
		return remoteImport(ctx, o, stdout, stderr)
	}
	if o.kind != "organisations" {
		return fmt.Errorf("import %s goes through the API: give --server URL (or CYBERSKILLS_SERVER) and a token\n%s", o.kind, importUsage)
	}
	return localOrganisationImport(ctx, cfg, clock, o, stdout)
}

// parseImport reads the command's kind, flags and file, and checks they go together.
func parseImport(args []string) (importOptions, error) {
	if len(args) == 0 || (args[0] != "staff" && args[0] != "evidence" && args[0] != "organisations") {
		return importOptions{}, errors.New(importUsage)
	}
	o := importOptions{kind: args[0]}
	fs := flag.NewFlagSet("import "+o.kind, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.server, "server", os.Getenv("CYBERSKILLS_SERVER"), "")
	fs.StringVar(&o.token, "token", os.Getenv("CYBERSKILLS_TOKEN"), "")
	fs.StringVar(&o.org, "org", "", "")
	fs.StringVar(&o.mode, "mode", "", "")
	fs.StringVar(&o.leavers, "leavers", "", "")
	fs.StringVar(&o.extract, "extract", "", "")
	fs.StringVar(&o.format, "format", "", "")
	fs.StringVar(&o.retire, "retire", "", "")
	var err error
	if o.path, err = parseWithFile(fs, args[1:]); err != nil {
		return o, err
	}
	staffOrEvidence := o.kind != "organisations"
	for _, c := range []struct {
		ok   bool
		what string
	}{
		{!staffOrEvidence || o.org != "", "--org CODE is required: the organisation the file is for"},
		{staffOrEvidence || o.org == "", "--org is for staff and evidence files"},
		{o.mode == "" || (staffOrEvidence && (o.mode == "all" || o.mode == "partial")), "--mode is all or partial, for staff and evidence"},
		{o.leavers == "" || (o.kind == "staff" && (o.leavers == "keep" || o.leavers == "mark")), "--leavers is keep or mark, for staff"},
		{o.retire == "" || (!staffOrEvidence && o.retire == "missing"), "--retire: the only choice is missing, for organisations"},
		{(o.extract == "" && o.format == "") || !staffOrEvidence, "--extract and --format are for organisations"},
	} {
		if !c.ok {
			return o, errors.New(c.what)
		}
	}
	if !staffOrEvidence && o.extract == "" && o.format != string(models.FormatCSV) {
		o.extract = string(extractNamed(o.path))
	}
	return o, nil
}

// localOrganisationImport brings the database up to date, as serve would, applies the
// file exactly as POST /api/v1/organisations/import does (all or nothing), and prints the
// answer.
func localOrganisationImport(ctx context.Context, cfg config, clock models.Clock, o importOptions, stdout io.Writer) error {
	opts := models.OrganisationImportOptions{Format: models.ImportFormat(o.format), Extract: models.ODSExtract(o.extract),
		RetireMissing: o.retire == "missing"}
	f, err := os.Open(o.path)
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
