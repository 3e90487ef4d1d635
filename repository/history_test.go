package repository_test

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
)

// historyWorld drives a random sequence of writes over ten simulated days ending at the
// test clock: staff with start and end dates (some still to come), moves, role changes,
// leavers, evidence of every source (backdated, some expiring within the days), retractions
// and requirement changes, flushing now and then as the server does. It returns the
// moments worth asking about: every start, end, assessment, expiry and retraction, a
// moment either side of each, and now.
func historyWorld(t *testing.T, db *repository.DB, seed int64) (map[string]int64, []time.Time, time.Time) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	all := models.ScopeAll()
	orgs, orgID := twoTrusts(t, db)
	skills := defaultSkills(t, db, 5)
	randomRole := randomRoles(rng, skills, 3)
	roles := []string{"analyst", "engineer"}
	for _, r := range roles {
		if _, err := putRole(db, models.RoleOwner{Scope: all}, randomRole(r)); err != nil {
			t.Fatal(err)
		}
	}
	end := clocktest.Now()
	now := end.AddDate(0, 0, -10)
	var moments []time.Time
	day := func(offset int) *models.Date {
		d := models.DateOf(now.AddDate(0, 0, offset))
		moments = append(moments, d.Time())
		return &d
	}
	type person struct{ org, id string }
	var people []person
	var evidenceIDs []int64
	addPerson := func() {
		p := person{orgs[rng.Intn(len(orgs))], fmt.Sprintf("E%03d", len(people))}
		s := models.Staff{ExternalID: p.id, Role: roles[rng.Intn(len(roles))], FTE: 1, Status: models.StaffActive}
		switch rng.Intn(5) {
		case 3:
			s.Status = models.StaffLeaver // recorded as a leaver, with no end date
		case 0:
			s.StartDate = day(-rng.Intn(5))
		case 1:
			s.StartDate = day(1 + rng.Intn(5)) // still to come
		case 2:
			s.EndDate = day(1 + rng.Intn(8))
		}
		if _, err := db.CreateStaff(ctx, all, orgID[p.org], s); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	for i := 0; i < 10; i++ {
		addPerson()
	}
	sources := []models.Source{models.SourceSelf, models.SourceSelf, models.SourceManager, models.SourceCertification, models.SourceTraining}
	for step := 0; step < 120; step++ {
		now = now.Add(2 * time.Hour)
		p := &people[rng.Intn(len(people))]
		var err error
		switch op := rng.Intn(10); {
		case op <= 4: // evidence, backdated up to three days, some expiring within days
			level := rng.Intn(5)
			assessed := now.Add(-time.Duration(rng.Intn(72)) * time.Hour)
			e := models.NewEvidence{Skill: skills[rng.Intn(len(skills))], Level: &level, Source: sources[rng.Intn(len(sources))], AssessedAt: &assessed}
			if rng.Intn(2) == 0 {
				exp := assessed.Add(time.Duration(1+rng.Intn(96)) * time.Hour)
				e.ExpiresAt = &exp
				moments = append(moments, exp)
			}
			moments = append(moments, assessed)
			var rec models.Evidence
			if rec, err = db.AddEvidence(ctx, all, p.org, p.id, e, 0, now); err == nil {
				evidenceIDs = append(evidenceIDs, rec.ID)
			}
		case op == 5 && len(evidenceIDs) > 0: // retraction
			var org, ext string
			target := evidenceIDs[rng.Intn(len(evidenceIDs))]
			if e := db.QueryRowContext(ctx, `SELECT o.code, s.external_id FROM evidence e JOIN staff s ON s.id = e.staff_id
				JOIN organisations o ON o.id = s.organisation_id WHERE e.id = $1`, target).Scan(&org, &ext); e != nil {
				t.Fatal(e)
			}
			moments = append(moments, now)
			if _, err = db.AddEvidence(ctx, all, org, ext, models.NewEvidence{Source: models.SourceManager, Retracts: target}, 0, now); models.ErrorCode(err) == models.ECONFLICT {
				err = nil // already retracted
			}
		case op == 6: // move, or a new role
			cur, e := db.GetStaff(ctx, all, orgID[p.org], p.id)
			if e != nil {
				t.Fatal(e)
			}
			cur.Role, cur.Organisation = roles[rng.Intn(len(roles))], orgs[rng.Intn(len(orgs))]
			if _, err = db.ReplaceStaff(ctx, all, orgID[p.org], p.id, cur); err == nil {
				p.org = cur.Organisation
			}
		case op == 7: // a leaver, or back again with a new end date
			cur, e := db.GetStaff(ctx, all, orgID[p.org], p.id)
			if e != nil {
				t.Fatal(e)
			}
			moments = append(moments, models.DateOf(now).Time(), models.DateOf(now).Time().AddDate(0, 0, 1))
			if cur.Status == models.StaffActive {
				if _, err = db.MarkLeaver(ctx, all, orgID[p.org], p.id, false, now); models.ErrorCode(err) == models.EINVALID {
					err = nil // not started yet: a leaver's end date may not come before their start
				}
			} else {
				cur.Status, cur.EndDate, cur.Organisation = models.StaffActive, day(6+rng.Intn(4)), "" // after any start date
				_, err = db.ReplaceStaff(ctx, all, orgID[p.org], p.id, cur)
			}
		case op == 8: // the requirements of a role change
			_, err = putRole(db, models.RoleOwner{Scope: all}, randomRole(roles[rng.Intn(len(roles))]))
		default:
			addPerson()
		}
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if step%7 == 0 {
			if _, err := db.Flush(ctx, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	var around []time.Time
	for _, m := range moments {
		if m.Before(end) {
			around = append(around, m, m.Add(-time.Microsecond), m.Add(time.Second))
		}
	}
	sort.Slice(around, func(i, j int) bool { return around[i].Before(around[j]) })
	return orgID, around, end
}

// Reports as of past dates and on every basis, read from the maintained history, equal
// the same reports computed from every person's evidence (the way before the history), at
// every moment a figure can change and either side of it: starts and end dates, leavers,
// backdated evidence, expiry, retractions, moves and requirement changes; for an
// organisation alone and rolled up over its subtree.
func TestHistoryReportsEqualRecomputationFromEvidence(t *testing.T) {
	db, ctx := testDB(t)
	orgID, moments, now := historyWorld(t, db, 20261206)
	bases := []models.Basis{models.BasisVerified, models.BasisSelf, models.BasisAny}
	compared, nonEmpty := 0, 0
	check := func(q models.GapQuery, what string) {
		t.Helper()
		got, err := db.SkillGaps(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.SkillGapsRecomputed(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		compared++
		if len(want) > 0 {
			nonEmpty++
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nhistory    %+v\nrecomputed %+v", what, got, want)
		}
	}
	for i, at := range moments {
		if i%2 == 1 && i%3 != 0 {
			continue // a sample: every moment's neighbours are asked about somewhere
		}
		for _, b := range bases {
			for _, org := range []string{"T1", "T2"} {
				at := at
				check(models.GapQuery{OrgID: orgID[org], Scope: models.ScopeAll(), Basis: b, At: &at, IncludeDescendants: org == "T2", Now: now},
					fmt.Sprintf("%s as of %s on %s", org, at.Format(time.RFC3339Nano), b))
			}
		}
	}
	// The present on another basis: the staff whose status disagrees with their dates (a
	// start still to come, a leaver marked today) are corrected for.
	for _, b := range bases[1:] {
		for _, org := range []string{"T1", "T2"} {
			check(models.GapQuery{OrgID: orgID[org], Scope: models.ScopeAll(), Basis: b, IncludeDescendants: org == "T2", Now: now},
				fmt.Sprintf("%s now on %s", org, b))
		}
	}
	if compared < 100 || nonEmpty < compared/2 {
		t.Fatalf("compared %d reports, %d with lines: the sequence does not exercise the history", compared, nonEmpty)
	}
}

// The history maintained write by write equals the history rebuilt from scratch.
func TestHistoryMaintainedEqualsRebuilt(t *testing.T) {
	db, ctx := testDB(t)
	_, _, now := historyWorld(t, db, 7)
	if _, err := db.Flush(ctx, now); err != nil {
		t.Fatal(err)
	}
	const changes = `SELECT organisation_id, basis, grain, at, skill_id, demand, supply, demand_essential, supply_essential,
		required_essential, required_desirable, depth_essential, depth_desirable, held_1, held_2, held_3, held_4
		FROM %s WHERE (demand, supply, demand_essential, supply_essential, required_essential, required_desirable,
		depth_essential, depth_desirable, held_1, held_2, held_3, held_4) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`
	mustExec(t, db, `CREATE TABLE maintained_history AS SELECT * FROM workforce_history;
		CREATE TABLE maintained_changes AS `+fmt.Sprintf(changes, "org_skill_changes"))
	mustExec(t, db, `SELECT history_rebuild()`)
	for _, pair := range [][2]string{
		{"maintained_history", "SELECT * FROM workforce_history"},
		{"maintained_changes", fmt.Sprintf(changes, "org_skill_changes")},
	} {
		var diff []string
		if err := db.SelectContext(ctx, &diff, fmt.Sprintf(`
			SELECT 'maintained ' || m::text FROM ((SELECT * FROM %[1]s) EXCEPT (%[2]s)) m
			UNION ALL SELECT 'rebuilt ' || r::text FROM ((%[2]s) EXCEPT (SELECT * FROM %[1]s)) r`, pair[0], pair[1])); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.GetContext(ctx, &n, `SELECT count(*) FROM `+pair[0]); err != nil || n == 0 {
			t.Fatalf("%s: %d rows (%v)", pair[0], n, err)
		}
		if len(diff) > 0 {
			t.Errorf("%s differs from a rebuild:\n%v", pair[0], diff)
		}
	}
}
