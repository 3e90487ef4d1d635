package repository

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// CreateFramework publishes a new framework as version 1; an existing code is a conflict.
func (db *DB) CreateFramework(ctx context.Context, f models.Framework) (models.PublishResult, error) {
	return db.publish(ctx, f.Code, mustCreate, false, given(f))
}

// PublishFramework publishes f as the next version of the existing framework f.Code.
// When f says the same as the current version nothing is written (models.FrameworkUnchanged).
func (db *DB) PublishFramework(ctx context.Context, f models.Framework) (models.PublishResult, error) {
	return db.publish(ctx, f.Code, mustExist, false, given(f))
}

// ImportFramework publishes the document build makes from the framework's current version
// (nil when code is new): a new framework when code is unknown, else its next version.
// build runs inside the transaction that publishes, so the version it reads is the
// version it replaces.
func (db *DB) ImportFramework(ctx context.Context, code string, build func(current *models.Framework) (models.Framework, error)) (models.PublishResult, error) {
	return db.publish(ctx, code, createOrPublish, false, build)
}

type publishMode int

const (
	mustCreate publishMode = iota
	mustExist
	createOrPublish
)

// given builds the next version from a document as it stands; the caller's copy is not
// normalised behind its back.
func given(doc models.Framework) func(*models.Framework) (models.Framework, error) {
	return func(*models.Framework) (models.Framework, error) {
		f := doc.Clone()
		if err := f.Validate(); err != nil {
			return f, err
		}
		return f, nil
	}
}

// publish is the one write path of frameworks: it locks the framework, builds the next
// document, carries left-out skills over as deprecated, and writes the version and the
// current relational form in one transaction.
func (db *DB) publish(ctx context.Context, code string, mode publishMode, isDefault bool,
	build func(current *models.Framework) (models.Framework, error)) (models.PublishResult, error) {
	var res models.PublishResult
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		res = models.PublishResult{}
		var cur struct {
			ID        int64 `db:"id"`
			Version   int   `db:"version"`
			IsDefault bool  `db:"is_default"`
		}
		err := tx.GetContext(ctx, &cur, `SELECT id, version, is_default FROM frameworks WHERE code = $1 FOR UPDATE`, code)
		exists := err == nil
		switch {
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		case exists && mode == mustCreate:
			return models.Errorf(models.ECONFLICT, "framework %q already exists; PUT /api/v1/frameworks/%s publishes a new version", code, code)
		case !exists && mode == mustExist:
			return models.Errorf(models.ENOTFOUND, "framework %q not found; POST /api/v1/frameworks creates it", code)
		}
		var current *models.Framework
		if exists {
			doc, err := loadVersion(ctx, tx, cur.ID, cur.Version)
			if err != nil {
				return err
			}
			current = &doc
		}
		body, err := build(current)
		if err != nil {
			return err
		}
		if body.Code != code {
			return models.Invalid(models.FieldError{Field: "code", Message: fmt.Sprintf("must be %q, the framework being published", code)})
		}
		if isDefault || cur.IsDefault {
			if err := body.CheckDefaultTiers(); err != nil {
				return err
			}
		}
		next, changed, deprecated := models.NextVersion(current, body)
		if !changed {
			res.Framework, res.Outcome = *current, models.FrameworkUnchanged
			return tx.GetContext(ctx, &res.PublishedAt, `SELECT published_at FROM framework_versions WHERE framework_id = $1 AND version = $2`, cur.ID, cur.Version)
		}
		if err := next.Validate(); err != nil {
			// A valid body over a valid current version merges into a valid document unless
			// the skills carried over push it past the size limit.
			return models.Errorf(models.EINVALID, "the new version, with the skills it carries over as deprecated, is not valid: %v", err)
		}
		id := cur.ID
		res.Outcome = models.FrameworkPublished
		if !exists {
			res.Outcome = models.FrameworkCreated
			if err := tx.GetContext(ctx, &id, `
				INSERT INTO frameworks (code, name, publisher, licence, description, version, is_default)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				next.Code, next.Name, next.Publisher, next.Licence, next.Description, next.Version, isDefault); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `
			UPDATE frameworks SET name = $2, publisher = $3, licence = $4, description = $5, version = $6, updated_at = now()
			WHERE id = $1`, id, next.Name, next.Publisher, next.Licence, next.Description, next.Version); err != nil {
			return err
		}
		if err := writeCurrent(ctx, tx, id, next); err != nil {
			return err
		}
		doc, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &res.PublishedAt, `
			INSERT INTO framework_versions (framework_id, version, document) VALUES ($1, $2, $3) RETURNING published_at`,
			id, next.Version, string(doc)); err != nil {
			return err
		}
		res.EffectiveChanged, err = applySupersession(ctx, tx, id)
		res.Framework, res.Deprecated = next, deprecated
		return err
	})
	return res, err
}
