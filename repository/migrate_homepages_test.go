package repository_test

import (
	"fmt"
	"testing"
)

// TestHomePagesMigration: migration 0017 writes stored xAPI home pages in their normal
// form; home pages that have none, or that share one, are cleared and listed in
// xapi_home_pages_cleared (the migration cannot tell the LMS's real organisation from one
// that claimed its URL); afterwards a home page not in normal form cannot be stored.
func TestHomePagesMigration(t *testing.T) {
	db, ctx := testDB(t)
	m := rolledBackBefore(t, ctx, db, 17)
	db.MustExecContext(ctx, `INSERT INTO organisations (code, name, type, xapi_home_page) VALUES
		('A', 'A', 'trust', 'HTTPS://LMS.example:443/orgs/%41/'),
		('T01', 'T01', 'trust', 'https://lms.example/orgs/T01'),
		('TX', 'TX', 'trust', 'https://lms.example/orgs/T01/'),
		('TY', 'TY', 'trust', 'https://LMS.EXAMPLE/orgs/T01'),
		('Q', 'Q', 'trust', 'https://lms.example/orgs?code=Q'),
		('N', 'N', 'trust', NULL)`)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var pages []struct {
		Code string  `db:"code"`
		Page *string `db:"xapi_home_page"`
	}
	if err := db.SelectContext(ctx, &pages, `SELECT code, xapi_home_page FROM organisations ORDER BY code`); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range pages {
		if p.Page != nil {
			got[p.Code] = *p.Page
		}
	}
	if fmt.Sprint(got) != "map[A:https://lms.example/orgs/A]" {
		t.Fatalf("home pages after the migration: %v", got)
	}
	var cleared []string
	if err := db.SelectContext(ctx, &cleared, `SELECT code || ' ' || home_page || ': ' || reason FROM xapi_home_pages_cleared ORDER BY code`); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Q https://lms.example/orgs?code=Q: not an http(s) URL without user information, query or fragment",
		"T01 https://lms.example/orgs/T01: the same URL as the home page of T01, TX, TY",
		"TX https://lms.example/orgs/T01/: the same URL as the home page of T01, TX, TY",
		"TY https://LMS.EXAMPLE/orgs/T01: the same URL as the home page of T01, TX, TY",
	}
	if fmt.Sprint(cleared) != fmt.Sprint(want) {
		t.Fatalf("cleared:\n%v\nwant\n%v", cleared, want)
	}
	if _, err := db.ExecContext(ctx, `UPDATE organisations SET xapi_home_page = 'https://lms.example/orgs/T01/' WHERE code = 'T01'`); err == nil {
		t.Fatal("a home page not in normal form was stored")
	}
}
