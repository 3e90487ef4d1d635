package repository_test

import (
	"testing"
)

// TestClosureTableFollowsBulkInserts: new organisations join the closure table once per
// statement (migration 0020). Whatever a statement inserts, many rows under one parent
// or a parent and its child together, the closure table holds exactly the pairs the
// parent links give, with their depths, and every organisation its nearest region and
// ICB.
func TestClosureTableFollowsBulkInserts(t *testing.T) {
	db, ctx := testDB(t)
	for _, q := range []string{
		`INSERT INTO organisations (code, name, type) VALUES ('Y56', 'London', 'region'), ('Y58', 'South West', 'region')`,
		`INSERT INTO organisations (code, name, type, parent_id)
		 SELECT c, c, 'icb', (SELECT id FROM organisations WHERE code = r) FROM (VALUES ('QKK', 'Y56'), ('QVV', 'Y58')) v (c, r)`,
		`INSERT INTO organisations (code, name, type, parent_id)
		 SELECT 'P' || g, 'Practice', 'practice', (SELECT id FROM organisations WHERE code = 'QKK') FROM generate_series(1, 500) g`,
		// A parent and its child in one statement.
		`WITH sub AS (INSERT INTO organisations (code, name, type, parent_id)
		              SELECT '11J', 'Dorset', 'sub_icb', id FROM organisations WHERE code = 'QVV' RETURNING id)
		 INSERT INTO organisations (code, name, type, parent_id) SELECT 'J81002', 'Orchid House', 'practice', id FROM sub`,
		`INSERT INTO organisations (code, name, type, parent_id)
		 SELECT 'J81002-IT', 'IT', 'department', id FROM organisations WHERE code = 'J81002'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var wrong []string
	err := db.SelectContext(ctx, &wrong, `
		WITH RECURSIVE links AS (
			SELECT id AS ancestor_id, id AS descendant_id, 0 AS depth FROM organisations
			UNION ALL
			SELECT o.parent_id, l.descendant_id, l.depth + 1 FROM links l JOIN organisations o ON o.id = l.ancestor_id
			WHERE o.parent_id IS NOT NULL)
		(SELECT 'missing ' || ancestor_id || '>' || descendant_id || '@' || depth FROM
		   (SELECT * FROM links EXCEPT SELECT ancestor_id, descendant_id, depth FROM organisation_tree) m
		 UNION ALL
		 SELECT 'extra ' || ancestor_id || '>' || descendant_id || '@' || depth FROM
		   (SELECT ancestor_id, descendant_id, depth FROM organisation_tree EXCEPT SELECT * FROM links) x)
		UNION ALL
		SELECT 'levels of ' || o.code FROM organisations o
		 WHERE (o.region_id, o.icb_id) IS DISTINCT FROM (
		       (SELECT a.id FROM links l JOIN organisations a ON a.id = l.ancestor_id WHERE l.descendant_id = o.id AND a.type = 'region' ORDER BY l.depth LIMIT 1),
		       (SELECT a.id FROM links l JOIN organisations a ON a.id = l.ancestor_id WHERE l.descendant_id = o.id AND a.type = 'icb' ORDER BY l.depth LIMIT 1))`)
	if err != nil {
		t.Fatal(err)
	}
	if len(wrong) > 0 {
		t.Fatalf("%d wrong: %v", len(wrong), wrong[:min(len(wrong), 10)])
	}
	var it struct {
		Region string `db:"region"`
		ICB    string `db:"icb"`
		Depth  int    `db:"depth"`
	}
	if err := db.GetContext(ctx, &it, `SELECT r.code AS region, i.code AS icb,
		(SELECT max(depth) FROM organisation_tree WHERE descendant_id = o.id) AS depth
		FROM organisations o JOIN organisations r ON r.id = o.region_id JOIN organisations i ON i.id = o.icb_id
		WHERE o.code = 'J81002-IT'`); err != nil || it.Region != "Y58" || it.ICB != "QVV" || it.Depth != 4 {
		t.Fatalf("J81002-IT: %+v, %v", it, err)
	}
}
