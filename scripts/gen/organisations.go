package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/exchange"
	"cyberskills/repository"
)

// generator builds one dataset; every random choice comes from its seeded source.
type generator struct {
	db    *repository.DB
	sc    scale
	rng   *rand.Rand
	step  func(format string, args ...any)
	orgs  []org // the organisations that get staff
	now   time.Time
	today time.Time
}

type org struct {
	id       int64
	code     string
	typ      string // trust, department, practice, other
	staff    int
	parentIT bool // an IT department (of a trust)
}

func newGenerator(db *repository.DB, sc scale, seed uint64, now time.Time, step func(string, ...any)) *generator {
	return &generator{db: db, sc: sc, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), step: step,
		now: now, today: now.UTC().Truncate(24 * time.Hour)}
}

// prepare refuses to add to an existing dataset unless asked to start again.
func (g *generator) prepare(ctx context.Context, reset bool) error {
	var staff int
	if err := g.db.GetContext(ctx, &staff, `SELECT count(*) FROM staff`); err != nil {
		return err
	}
	if staff > 0 && !reset {
		return fmt.Errorf("the database already holds %d staff; use --reset to replace the dataset", staff)
	}
	if reset {
		g.step("emptying the database")
		if _, err := g.db.ExecContext(ctx, `TRUNCATE organisations, organisation_tree, workforce_skills, org_skill_stats,
			org_headcount, statistics_snapshots, idempotency_keys, courses, audit_log CASCADE`); err != nil {
			return err
		}
		return g.db.LoadDefaults(ctx)
	}
	return nil
}

// organisations imports the NHS trusts extract through the organisation import, then adds
// an IT department to every open trust and synthetic practices and other bodies under the
// ICBs up to the scale's number of organisations.
func (g *generator) organisations(ctx context.Context, odsPath string) error {
	f, err := os.Open(odsPath)
	if err != nil {
		return fmt.Errorf("the NHS extract: %w (run from the repository root)", err)
	}
	imp, err := exchange.ParseOrganisations(f, models.OrganisationImportOptions{Extract: models.ExtractTrusts}, models.DateOf(g.today))
	f.Close()
	if err != nil {
		return err
	}
	icbRegion := map[string]string{}
	for _, r := range imp.Rows {
		if r.Org.Type == models.OrgICB {
			icbRegion[r.Org.Code] = r.Org.Parent
		}
	}
	imp.Rows = slices.DeleteFunc(imp.Rows, func(r models.ImportRow) bool { return !g.inScale(r.Org, icbRegion) })
	imp.Errors = nil
	res, err := g.db.ImportOrganisations(ctx, imp, false, models.DateOf(g.today))
	if err != nil {
		return fmt.Errorf("importing the NHS extract: %w", err)
	}
	g.step("imported the NHS trusts extract: %d organisations", res.Inserted+res.Updated+res.Unchanged)

	var trusts, icbs []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
	}
	if err := g.db.SelectContext(ctx, &trusts, `SELECT id, code FROM organisations WHERE type = 'trust' AND active ORDER BY code`); err != nil {
		return err
	}
	if err := g.db.SelectContext(ctx, &icbs, `SELECT id, code FROM organisations WHERE type = 'icb' ORDER BY code`); err != nil {
		return err
	}
	var total int
	if err := g.db.GetContext(ctx, &total, `SELECT count(*) FROM organisations`); err != nil {
		return err
	}
	var csv bytes.Buffer
	csv.WriteString("code,name,type,parent,sector\n")
	for _, t := range trusts {
		fmt.Fprintf(&csv, "%s-IT,Digital and IT services,department,%s,\n", t.Code, t.Code)
	}
	synthetic := max(g.sc.organisations-total-len(trusts), 0)
	practices := int(math.Round(float64(synthetic) * g.sc.practiceShare))
	for i := 0; i < synthetic; i++ {
		icb := icbs[g.rng.IntN(len(icbs))].Code
		if i < practices {
			fmt.Fprintf(&csv, "P%05d,Practice %d,practice,%s,primary_care\n", i, i, icb)
		} else {
			sector := []string{"other_public", "private", "voluntary", "community"}[g.rng.IntN(4)]
			fmt.Fprintf(&csv, "X%05d,Provider %d,other,%s,%s\n", i, i, icb, sector)
		}
	}
	synth, err := exchange.ParseOrganisations(&csv, models.OrganisationImportOptions{Format: models.FormatCSV}, models.DateOf(g.today))
	if err != nil {
		return err
	}
	if len(synth.Errors) > 0 {
		return fmt.Errorf("synthetic organisations: %v", synth.Errors[0])
	}
	if _, err := g.db.ImportOrganisations(ctx, synth, false, models.DateOf(g.today)); err != nil {
		return fmt.Errorf("importing synthetic organisations: %w", err)
	}
	var rows []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
		Type string `db:"type"`
	}
	if err := g.db.SelectContext(ctx, &rows, `SELECT id, code, type FROM organisations
		WHERE active AND type IN ('trust', 'department', 'practice', 'other') ORDER BY id`); err != nil {
		return err
	}
	for _, r := range rows {
		g.orgs = append(g.orgs, org{id: r.ID, code: r.Code, typ: r.Type, parentIT: strings.HasSuffix(r.Code, "-IT")})
	}
	g.step("added %d IT departments, %d practices and %d other bodies: %d organisations in all",
		len(trusts), practices, synthetic-practices, total+len(trusts)+synthetic)
	return nil
}

// inScale keeps the extract's rows of the scale's regions (all regions when unset).
func (g *generator) inScale(o models.Organisation, icbRegion map[string]string) bool {
	if g.sc.regions == nil {
		return true
	}
	switch o.Type {
	case models.OrgRegion:
		return slices.Contains(g.sc.regions, o.Code)
	case models.OrgICB:
		return slices.Contains(g.sc.regions, o.Parent)
	}
	return slices.Contains(g.sc.regions, icbRegion[o.Parent])
}
