package repository_test

import (
	"context"
	"testing"

	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// TestSessionsAreUTCWhateverTheDatabaseDefault: a database whose default time zone is
// Europe/London (a British host's) still gets UTC sessions, so that "a month after" and
// "within 30 days" of an instant, and its date, do not depend on where it runs.
func TestSessionsAreUTCWhateverTheDatabaseDefault(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := pgtest.NewURL(t)
	if _, err := db.ExecContext(ctx, `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Europe/London'); END $$`); err != nil {
		t.Fatal(err)
	}
	fresh, err := repository.Open(ctx, repository.Config{URL: url, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fresh.Close() })
	var zone, date string
	// The date of 2027-06-30T23:30Z is the 30th in UTC, the 1st of July in London; a
	// month after 2027-03-27T23:30Z is 2027-04-27T23:30Z in UTC, but 22:30Z in London,
	// where the month runs from 23:30 GMT to 23:30 BST.
	if err := fresh.QueryRowContext(ctx, `SELECT current_setting('TimeZone'),
		(timestamptz '2027-06-30T23:30:00Z')::date::text`).Scan(&zone, &date); err != nil {
		t.Fatal(err)
	}
	if zone != "UTC" || date != "2027-06-30" {
		t.Fatalf("session time zone %s, the date of 2027-06-30T23:30Z %s; want UTC and 2027-06-30", zone, date)
	}
	var later string
	if err := fresh.QueryRowContext(ctx, `SELECT to_char((timestamptz '2027-03-27T23:30:00Z' + interval '1 month') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')`).Scan(&later); err != nil {
		t.Fatal(err)
	}
	if later != "2027-04-27T23:30" {
		t.Fatalf("a month after 2027-03-27T23:30Z is %s, want 2027-04-27T23:30", later)
	}
}
