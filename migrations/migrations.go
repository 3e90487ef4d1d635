// Package migrations holds the schema, embedded in the binary so that a deployed server
// can migrate its own database.
//
// Numbered changes are NNNN_name.up.sql and NNNN_name.down.sql; a landed file is never
// edited, a change is a new number. Functions whose definition changes over time live in
// repeatable/*.sql, each in one file, written with CREATE OR REPLACE: they are applied,
// in name order, after the numbered changes whenever their content differs from what the
// database last applied. A function's first definition stays in the migration that
// created it (its triggers need it there); once it changes, its live definition is its
// repeatable file, and the older bodies in the migrations are history.
package migrations

import "embed"

// FS holds every migration file and the repeatable files.
//
//go:embed *.sql repeatable/*.sql
var FS embed.FS
