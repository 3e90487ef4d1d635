package repository

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// Frameworks are not tenant data: every role reads them and only admins write them, so
// their queries take no scope.

type frameworkSummaryRow struct {
	Code        string         `db:"code"`
	Name        string         `db:"name"`
	Version     int            `db:"version"`
	Publisher   string         `db:"publisher"`
	Licence     string         `db:"licence"`
	Description string         `db:"description"`
	IsDefault   bool           `db:"is_default"`
	Skills      int            `db:"skills"`
	Tiers       pq.StringArray `db:"tiers"`
	PublishedAt time.Time      `db:"published_at"`
	CreatedAt   time.Time      `db:"created_at"`
}

// ListFrameworks lists frameworks by code, with their current version.
func (db *DB) ListFrameworks(ctx context.Context, page models.Page) ([]models.FrameworkSummary, string, error) {
	page = page.Normalize()
	var after string
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	var rows []frameworkSummaryRow
	err := db.SelectContext(ctx, &rows, `
		SELECT f.code, f.name, f.version, f.publisher, f.licence, f.description, f.is_default, f.created_at,
		       v.published_at,
		       (SELECT count(*) FROM skills s WHERE s.framework_id = f.id AND s.status = 'active') AS skills,
		       ARRAY(SELECT t.code FROM framework_tiers t WHERE t.framework_id = f.id ORDER BY t.position) AS tiers
		FROM frameworks f
		JOIN framework_versions v ON v.framework_id = f.id AND v.version = f.version
		WHERE f.code > $1
		ORDER BY f.code
		LIMIT $2`, after, page.Limit+1)
	if err != nil {
		return nil, "", translate(err)
	}
	out := make([]models.FrameworkSummary, len(rows))
	for i, r := range rows {
		out[i] = models.FrameworkSummary{Code: r.Code, Name: r.Name, Version: r.Version, Publisher: r.Publisher,
			Licence: r.Licence, Description: r.Description, IsDefault: r.IsDefault, Skills: r.Skills, Tiers: append([]string{}, r.Tiers...),
			PublishedAt: r.PublishedAt, CreatedAt: r.CreatedAt}
	}
	return paginate(out, page.Limit, func(f models.FrameworkSummary) any { return f.Code })
}

// GetFramework returns a framework document as published in version, or the current
// version when version is 0, with the time it was published.
func (db *DB) GetFramework(ctx context.Context, code string, version int) (models.Framework, time.Time, error) {
	var row struct {
		Document    []byte    `db:"document"`
		PublishedAt time.Time `db:"published_at"`
	}
	err := db.GetContext(ctx, &row, `
		SELECT v.document, v.published_at
		FROM frameworks f
		JOIN framework_versions v ON v.framework_id = f.id AND v.version = CASE WHEN $2 > 0 THEN $2 ELSE f.version END
		WHERE f.code = $1`, code, version)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return models.Framework{}, time.Time{}, db.frameworkNotFound(ctx, code, version)
		}
		return models.Framework{}, time.Time{}, translate(err)
	}
	f, err := decodeDocument(row.Document)
	return f, row.PublishedAt, err
}

// frameworkNotFound says whether the framework or only the version is missing.
func (db *DB) frameworkNotFound(ctx context.Context, code string, version int) error {
	var current int
	if err := db.GetContext(ctx, &current, `SELECT version FROM frameworks WHERE code = $1`, code); err != nil {
		return notFoundAs(err, models.Errorf(models.ENOTFOUND, "framework %q not found", code))
	}
	return models.Errorf(models.ENOTFOUND, "framework %q has no version %d; the current version is %d", code, version, current)
}

// frameworkID finds a framework by code.
func frameworkID(ctx context.Context, q sqlx.QueryerContext, code string) (int64, error) {
	var id int64
	if err := sqlx.GetContext(ctx, q, &id, `SELECT id FROM frameworks WHERE code = $1`, code); err != nil {
		return 0, notFoundAs(err, models.Errorf(models.ENOTFOUND, "framework %q not found", code))
	}
	return id, nil
}

// loadVersion reads one published document.
func loadVersion(ctx context.Context, q sqlx.QueryerContext, frameworkID int64, version int) (models.Framework, error) {
	var doc []byte
	if err := sqlx.GetContext(ctx, q, &doc, `SELECT document FROM framework_versions WHERE framework_id = $1 AND version = $2`,
		frameworkID, version); err != nil {
		return models.Framework{}, translate(err)
	}
	return decodeDocument(doc)
}

func decodeDocument(b []byte) (models.Framework, error) {
	var f models.Framework
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("decoding a stored framework document: %w", err)
	}
	f.Normalize()
	return f, nil
}
