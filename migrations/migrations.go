// Package migrations holds the numbered schema changes, embedded in the binary so that a
// deployed server can migrate its own database. Files are named NNNN_name.up.sql and
// NNNN_name.down.sql; a landed file is never edited, a change is a new number.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
