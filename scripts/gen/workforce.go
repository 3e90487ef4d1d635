package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/lib/pq"
)

// roleMix is the share of each role among an organisation type's staff.
var roleMix = map[string][]struct {
	role  string
	share float64
}{
	"trust":      {{"clinical-staff", 0.68}, {"administrative-staff", 0.31}, {"information-governance-lead", 0.01}},
	"practice":   {{"clinical-staff", 0.6}, {"administrative-staff", 0.4}},
	"other":      {{"administrative-staff", 0.7}, {"clinical-staff", 0.3}},
	"department": {{"service-desk-analyst", 0.38}, {"network-engineer", 0.2}, {"clinical-systems-administrator", 0.2}, {"security-operations-analyst", 0.1}, {"information-governance-lead", 0.03}, {"security-architect", 0.03}, {"penetration-tester", 0.02}, {"digital-forensics-investigator", 0.02}, {"head-of-cyber-security", 0.02}},
}

// sizes draws a long-tailed headcount for every organisation and scales the total to the
// scale's staff: trusts log-normal around a few thousand (some over 10,000), their IT
// departments about 1.2% of the trust, practices a few dozen, other bodies a handful.
func (g *generator) sizes() {
	trustSize := map[string]int{}
	raw := make([]float64, len(g.orgs))
	total := 0.0
	for i, o := range g.orgs {
		switch o.typ {
		case "trust":
			raw[i] = math.Max(300, math.Exp(8.2+0.75*g.rng.NormFloat64()))
		case "practice":
			raw[i] = 8 + math.Exp(2.8+0.5*g.rng.NormFloat64())
		case "other":
			raw[i] = 1 + math.Exp(1.3+0.8*g.rng.NormFloat64())
		}
		total += raw[i]
	}
	factor := float64(g.sc.staff) * 0.988 / total
	for i := range g.orgs {
		g.orgs[i].staff = max(1, int(raw[i]*factor))
		if g.orgs[i].typ == "trust" {
			trustSize[g.orgs[i].code] = g.orgs[i].staff
		}
	}
	for i, o := range g.orgs {
		if o.typ == "department" {
			g.orgs[i].staff = max(6, trustSize[strings.TrimSuffix(o.code, "-IT")]*12/1000)
		}
	}
}

// copyRows streams rows into a table with COPY in a transaction on a connection whose
// triggers are switched off (session_replication_role = replica): the gap aggregates are
// rebuilt once at the end instead of row set by row set.
func (g *generator) copyRows(ctx context.Context, table string, columns []string, each func(emit func(...any) error) error) (int, error) {
	conn, err := g.db.Connx(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica; SET LOCAL statement_timeout = 0`); err != nil {
		return 0, fmt.Errorf("the generator needs a superuser connection (as make run's private database is): %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return 0, err
	}
	n := 0
	err = each(func(v ...any) error {
		n++
		_, err := stmt.ExecContext(ctx, v...)
		return err
	})
	if err != nil {
		return n, err
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return n, err
	}
	if err := stmt.Close(); err != nil {
		return n, err
	}
	return n, tx.Commit()
}

// exec runs set-based statements with triggers off, like copyRows.
func (g *generator) exec(ctx context.Context, statements ...string) error {
	conn, err := g.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica; SET LOCAL statement_timeout = 0`); err != nil {
		return err
	}
	for _, s := range statements {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return tx.Commit()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

type staffRow struct {
	id, org int64
	role    string
}

// staff writes every organisation's people with their roles, start dates, a few leavers
// and a few with an end date in the coming year.
func (g *generator) staff(ctx context.Context) ([]staffRow, error) {
	roleID := map[string]int64{}
	var roles []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
	}
	if err := g.db.SelectContext(ctx, &roles, `SELECT id, code FROM job_roles WHERE organisation_id IS NULL`); err != nil {
		return nil, err
	}
	for _, r := range roles {
		roleID[r.Code] = r.ID
	}
	var out []staffRow
	n, err := g.copyRows(ctx, "staff", []string{"organisation_id", "external_id", "role_id", "fte", "status", "start_date", "end_date"},
		func(emit func(...any) error) error {
			for _, o := range g.orgs {
				mix := roleMix[o.typ]
				for i := 0; i < o.staff; i++ {
					role := pick(mix, float64(i)/float64(o.staff), g.rng.Float64())
					if o.typ == "department" && i == 0 {
						role = "head-of-cyber-security"
					}
					start := g.today.AddDate(-1-g.rng.IntN(20), -g.rng.IntN(12), 0)
					status, end := "active", any(nil)
					switch r := g.rng.Float64(); {
					case r < 0.03:
						start = g.today.AddDate(-3-g.rng.IntN(17), 0, 0)
						status, end = "leaver", g.today.AddDate(0, -1-g.rng.IntN(24), 0).Format("2006-01-02")
					case r < 0.06:
						end = g.today.AddDate(0, 1+g.rng.IntN(11), 0).Format("2006-01-02")
					}
					fte := []float64{1, 1, 1, 0.8, 0.6}[g.rng.IntN(5)]
					if err := emit(o.id, fmt.Sprintf("E%07d", i), roleID[role], fte, status, start.Format("2006-01-02"), end); err != nil {
						return err
					}
					if status == "active" {
						out = append(out, staffRow{org: o.id, role: role})
					}
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// Ids are assigned in COPY order; read them back in that order.
	var ids []int64
	if err := g.db.SelectContext(ctx, &ids, `SELECT id FROM staff WHERE status = 'active' ORDER BY id`); err != nil {
		return nil, err
	}
	if len(ids) != len(out) {
		return nil, fmt.Errorf("read back %d active staff, wrote %d", len(ids), len(out))
	}
	for i := range out {
		out[i].id = ids[i]
	}
	g.step("wrote %d staff (%d active)", n, len(out))
	return out, nil
}

// pick chooses a role: a deterministic spread by position with a little randomness.
func pick(mix []struct {
	role  string
	share float64
}, position, r float64) string {
	x := math.Mod(position+0.05*r, 1)
	acc := 0.0
	for _, m := range mix {
		acc += m.share
		if x < acc {
			return m.role
		}
	}
	return mix[len(mix)-1].role
}
