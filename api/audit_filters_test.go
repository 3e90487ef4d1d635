package api

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// GET /api/v1/audit narrows by token and by time: from inclusive, to exclusive (RFC 3339
// or a date). The test server records audit entries straight into the database (no
// batching buffer), so each write's entry is there when its request returns.
func TestAuditFilters(t *testing.T) {
	clock := clocktest.NewManual()
	e := newEnvOnClock(t, testConfig(), clock)
	a, aSecret := e.createToken(models.NewToken{Name: "a", Role: models.RoleAdmin})
	b, bSecret := e.createToken(models.NewToken{Name: "b", Role: models.RoleAdmin})

	// Three audited writes, a second apart: a1 by A, b1 by B, a2 by A.
	for _, w := range []struct{ secret, role string }{{aSecret, "audit-a1"}, {bSecret, "audit-b1"}, {aSecret, "audit-a2"}} {
		e.as(w.secret, "PUT", "/api/v1/roles/"+w.role, roleBody("")).expect(201)
		clock.Advance(time.Second)
	}
	// roles lists the roles the entries a query returns were written for, newest first.
	roles := func(query string) []string {
		t.Helper()
		page := getJSON[Page[models.AuditEntry]](e, e.admin(), "/api/v1/audit?"+query)
		out := []string{}
		for _, it := range page.Items {
			out = append(out, it.Target["code"])
		}
		return out
	}
	all := getJSON[Page[models.AuditEntry]](e, e.admin(), "/api/v1/audit")
	if len(all.Items) != 3 || all.Items[0].TokenID != a.ID || all.Items[1].TokenID != b.ID || all.Items[2].TokenID != a.ID {
		t.Fatalf("trail %+v, want a2, b1, a1", all.Items)
	}
	at := func(i int) string { return url.QueryEscape(all.Items[i].At.UTC().Format(time.RFC3339Nano)) }
	a2, b1, a1 := at(0), at(1), at(2)
	day := all.Items[2].At.UTC().Format("2006-01-02")

	cases := []struct {
		query string
		want  []string
	}{
		{"token=" + itoa(a.ID), []string{"audit-a2", "audit-a1"}},
		{"token=" + itoa(b.ID), []string{"audit-b1"}},
		{"from=" + b1, []string{"audit-a2", "audit-b1"}}, // from is inclusive
		{"to=" + b1, []string{"audit-a1"}},               // to is exclusive
		{"from=" + a1 + "&to=" + a2, []string{"audit-b1", "audit-a1"}},
		{"token=" + itoa(a.ID) + "&from=" + b1, []string{"audit-a2"}},
		{"token=" + itoa(b.ID) + "&to=" + b1, []string{}},
		{"from=" + day, []string{"audit-a2", "audit-b1", "audit-a1"}}, // a date is midnight UTC
		{"to=" + day, []string{}},
	}
	for _, tc := range cases {
		if got := roles(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("?%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	// Malformed filters are refused by name, not ignored.
	for _, bad := range []struct{ query, field string }{{"from=yesterday", "from"}, {"to=31/01/2026", "to"}, {"token=abc", "token"}} {
		if p := e.as(e.admin(), "GET", "/api/v1/audit?"+bad.query, nil).problem(400); !p.hasFieldError(bad.field) {
			t.Errorf("?%s: errors %+v, want %s", bad.query, p.Errors, bad.field)
		}
	}
}
