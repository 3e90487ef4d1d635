package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
)

// printedSecret is the secret `token create` printed: the last line of its output, where
// scripts read it.
func printedSecret(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// TestTokenCreateCommand mints a token from the command line against a fresh database,
// uses it, and revokes it.
func TestTokenCreateCommand(t *testing.T) {
	db, url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"token", "create", "--role", "admin", "--name", "first admin", "--expires", "90d"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("token create: %v\n%s", err, out.String())
	}
	secret := printedSecret(out.String())
	if !strings.HasPrefix(secret, "csk_") || strings.Contains(secret, " ") {
		t.Fatalf("last line %q is not the bare secret", secret)
	}
	p, err := db.Authenticate(context.Background(), secret, clocktest.Now())
	if err != nil || p.Role != "admin" {
		t.Fatalf("the printed secret does not authenticate: %+v, %v", p, err)
	}
	out.Reset()
	if err := run([]string{"token", "revoke", "1"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	if _, err := db.Authenticate(context.Background(), secret, clocktest.Now()); err == nil {
		t.Fatal("revoked token still authenticates")
	}
	if err := run([]string{"token", "create", "--role", "hr", "--name", "x"}, clocktest.Clock{}, &out, &out); err == nil || !strings.Contains(err.Error(), "organisation") {
		t.Fatalf("hr token without organisation: %v", err)
	}
}

// TestTrainerTokenIsLRSCredentials: a trainer token minted on the command line comes
// with its LRS key for HTTP Basic; the secret stays the last line, as scripts read it.
func TestTrainerTokenIsLRSCredentials(t *testing.T) {
	db, url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"token", "create", "--role", "trainer", "--name", "Moodle", "--provider", "acme"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("token create: %v\n%s", err, out.String())
	}
	secret := printedSecret(out.String())
	p, err := db.Authenticate(context.Background(), secret, clocktest.Now())
	if err != nil || p.Role != "trainer" || !strings.Contains(out.String(), "HTTP Basic: key "+models.LRSKey(p.TokenID)+",") {
		t.Fatalf("output %q: %+v, %v", out.String(), p, err)
	}
}

// TestTokenCreateOnAFreshDatabase mints the first admin token before the server has ever
// run: the command migrates the database and loads the defaults itself.
func TestTokenCreateOnAFreshDatabase(t *testing.T) {
	db, url := pgtest.NewEmptyURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"token", "create", "--role", "admin", "--name", "first admin"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("token create on an empty database: %v\n%s", err, out.String())
	}
	if p, err := db.Authenticate(context.Background(), printedSecret(out.String()), clocktest.Now()); err != nil || p.Role != "admin" {
		t.Fatalf("the printed secret does not authenticate: %+v, %v", p, err)
	}
}

func TestMigrateStatusCommand(t *testing.T) {
	_, url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"migrate", "status"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0001_organisations") || strings.Contains(out.String(), "pending") {
		t.Fatalf("status:\n%s", out.String())
	}
}

// TestPrepareDatabaseLoadsDefaults starts from an empty database: without migrations the
// defaults cannot load and serve stops; with them the default framework appears, and
// starting again (with or without migrations) changes nothing.
func TestPrepareDatabaseLoadsDefaults(t *testing.T) {
	t.Parallel()
	db := pgtest.NewEmpty(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := prepareDatabase(ctx, db, false, log); err == nil || !strings.Contains(err.Error(), "migrate up") {
		t.Fatalf("an unmigrated schema with --no-migrate: %v", err)
	}
	for _, migrate := range []bool{true, true, false} {
		if err := prepareDatabase(ctx, db, migrate, log); err != nil {
			t.Fatalf("prepare (migrate %v): %v", migrate, err)
		}
	}
	var skills, versions int
	if err := db.GetContext(ctx, &skills, `SELECT count(*) FROM skills s JOIN frameworks f ON f.id = s.framework_id
		WHERE f.code = 'cyber' AND f.is_default`); err != nil {
		t.Fatal(err)
	}
	// The default framework and the NICE Framework, each loaded once.
	if err := db.GetContext(ctx, &versions, `SELECT count(*) FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id
		WHERE f.code = 'cyber'`); err != nil {
		t.Fatal(err)
	}
	var nice int
	if err := db.GetContext(ctx, &nice, `SELECT count(*) FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id
		WHERE f.code = 'nice' AND NOT f.is_default`); err != nil || nice != 1 {
		t.Fatalf("%d versions of the NICE Framework (%v), want 1", nice, err)
	}
	if skills != 17 || versions != 1 {
		t.Fatalf("%d default skills in %d versions, want 17 in 1", skills, versions)
	}
}

// TestImportOrganisationsCommand imports the GP practice extract from the command line,
// on a database that has never been migrated, taking the extract from the file's name,
// then again: nothing changes. A bad flag or a missing file says so.
func TestImportOrganisationsCommand(t *testing.T) {
	db, url := pgtest.NewEmptyURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"import", "organisations", "testdata/ods/epraccur-slice.csv"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	var res models.OrganisationImportResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Extract != models.ExtractPractices || res.Inserted != 19+7+5+3 {
		t.Fatalf("answer %s: %v", out.String(), err)
	}
	var parent string
	if err := db.GetContext(context.Background(), &parent, `SELECT p.code FROM organisations o JOIN organisations p ON p.id = o.parent_id WHERE o.code = 'G83001'`); err != nil || parent != "72Q" {
		t.Fatalf("G83001 under %q: %v", parent, err)
	}
	out.Reset()
	if err := run([]string{"import", "organisations", "--retire", "missing", "testdata/ods/epraccur-slice.csv"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Unchanged != 19+7+5+3 || res.Inserted+res.Updated+res.Retired != 0 {
		t.Fatalf("re-import answer %s: %v", out.String(), err)
	}
	for _, args := range [][]string{
		{"import", "organisations"},
		{"import", "staff", "x.csv"},
		{"import", "organisations", "--retire", "all", "testdata/ods/etr.csv"},
		{"import", "organisations", "--extract", "ecsu", "testdata/ods/etr.csv"},
		{"import", "organisations", "testdata/ods/missing.csv"},
	} {
		if err := run(args, clocktest.Clock{}, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	// A bad row is named with its line and field.
	err := run([]string{"import", "organisations", "--extract", "etr", "testdata/organisations/example.csv"}, clocktest.Clock{}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("our CSV as etr: %v", err)
	}
}

func TestExtractNamed(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]models.ODSExtract{
		"epraccur.csv": models.ExtractPractices, "/data/ETR.CSV": models.ExtractTrusts, "eccgsite-2024.csv": models.ExtractSubICBSites,
		"eccg_synthetic.csv": models.ExtractSubICBs, "example.csv": "", "epraccurx.csv": "",
	} {
		if got := extractNamed(path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}
