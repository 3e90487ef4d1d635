package repository_test

import (
	"context"
	"testing"

	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// testDB is a migrated database of the test's own, with the default data, and a context:
// the start of a test that runs in parallel with the others.
func testDB(t *testing.T) (*repository.DB, context.Context) {
	t.Helper()
	t.Parallel()
	return pgtest.New(t), context.Background()
}
