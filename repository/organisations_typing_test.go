package repository_test

import (
	"fmt"
	"testing"
)

// Organisations placed before the tree was typed are listed, by code, for the warning
// the server logs at start; the rest of the tree is not.
func TestMisplacedOrganisations(t *testing.T) {
	db, ctx := testDB(t)
	for _, q := range []string{
		`INSERT INTO organisations (code, name, type) VALUES ('Y56', 'London', 'region'), ('T1', 'Trust', 'trust'), ('LOOSE', 'Unit', 'department')`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'T1-D', 'Unit', 'department', id FROM organisations WHERE code = 'T1'`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'T1-FAKE', 'Fake trust', 'trust', id FROM organisations WHERE code = 'T1'`,
		`INSERT INTO organisations (code, name, type, parent_id) SELECT 'GP1', 'Practice', 'practice', id FROM organisations WHERE code = 'Y56'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	found, total, err := db.MisplacedOrganisations(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(total)
	for _, m := range found {
		got += " | " + m.Code + " " + m.Field + ": " + m.Message
	}
	want := "3 | GP1 parent: a practice cannot sit under Y56, a region; a practice sits under an ICB or a sub-ICB location, or at the top of the tree" +
		" | LOOSE parent: a department cannot sit at the top of the tree; a department sits under a region, an ICB, a sub-ICB location, a trust, a department, a practice or an organisation of type \"other\""
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM organisations WHERE code IN ('T1-FAKE', 'GP1', 'LOOSE')`); err != nil {
		t.Fatal(err)
	}
	if found, total, err := db.MisplacedOrganisations(ctx, 10); err != nil || total != 0 || len(found) != 0 {
		t.Errorf("a typed tree: %v, %d, %v", found, total, err)
	}
}
