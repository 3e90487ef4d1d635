package repository

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// readDefaults decodes a shipped file of defaults/.
func readDefaults(file string, into any) error {
	b, err := defaultsFS.ReadFile(file)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// followFile makes a table of shipped defaults hold exactly the rows of shipped (a
// query of the file's rows, given as $1, in the order of columns), which nothing but the
// file writes: a release that changes a default changes it everywhere, and an unchanged
// file changes nothing. table and columns are fixed names, never input. It reports
// whether the table changed; the caller holds the table's lock.
func followFile(ctx context.Context, tx *sqlx.Tx, table, columns, shipped string, arg any) (bool, error) {
	var differs bool
	if err := tx.GetContext(ctx, &differs, `SELECT EXISTS (
		(SELECT `+columns+` FROM `+table+` EXCEPT `+shipped+`)
		UNION ALL
		(`+shipped+` EXCEPT SELECT `+columns+` FROM `+table+`))`, arg); err != nil || !differs {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
		return false, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+columns+`) `+shipped, arg)
	return err == nil, err
}
