package repository

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// Writes of single organisations. Each runs in a transaction that reads the stored
// organisation in the caller's scope with a row lock, records the type and sector the
// write sets as a person's (models.TrackHand), applies the hr rules of
// models.CheckOrganisationWrite, resolves the parent in the caller's scope, checks the
// tree's typing where the write places or retypes the organisation (checkTyping), and
// writes. checkWrite makes those checks, in that order, for every write.
// The closure table and the derived region and ICB follow by trigger (migration 0001).

// CreateOrganisation adds an organisation. A code that exists already is a conflict,
// wherever it is: codes are unique across the NHS.
func (db *DB) CreateOrganisation(ctx context.Context, s models.Scope, o models.Organisation) (models.Organisation, error) {
	var out *models.Organisation
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		models.TrackHand(nil, &o)
		parent, err := checkWrite(ctx, tx, s, nil, o)
		if err != nil {
			return err
		}
		if _, err := insertOrganisation(ctx, tx, o, parent.id, false); err != nil {
			return err
		}
		out, err = getOrganisation(ctx, tx, s, o.Code, false)
		return err
	})
	if err != nil {
		return models.Organisation{}, err
	}
	return *out, nil
}

// PutOrganisation creates or replaces the organisation o.Code and reports whether it was
// created. Writing what is stored already changes nothing, not even updated_at. A code
// that exists outside the caller's scope is not found, as if it did not exist.
func (db *DB) PutOrganisation(ctx context.Context, s models.Scope, o models.Organisation) (models.Organisation, bool, error) {
	var out *models.Organisation
	created := false
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		before, err := getOrganisation(ctx, tx, s, o.Code, true)
		if err != nil {
			return err
		}
		if before == nil {
			var exists bool
			if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM organisations WHERE code = $1)`, o.Code); err != nil {
				return err
			}
			if exists {
				return orgNotFound(o.Code) // outside the scope
			}
		}
		models.TrackHand(before, &o)
		parent, err := checkWrite(ctx, tx, s, before, o)
		if err != nil {
			return err
		}
		if before == nil {
			ok, err := insertOrganisation(ctx, tx, o, parent.id, true)
			if err != nil {
				return err
			}
			if !ok {
				return orgNotFound(o.Code) // created meanwhile by someone else
			}
			created = true
		} else if err := updateOrganisation(ctx, tx, before.ID, o, parent.id); err != nil {
			return err
		}
		out, err = getOrganisation(ctx, tx, s, o.Code, false)
		return err
	})
	if err != nil {
		return models.Organisation{}, false, err
	}
	return *out, created, nil
}

// PatchOrganisation changes the fields that p names.
func (db *DB) PatchOrganisation(ctx context.Context, s models.Scope, code string, p models.OrganisationPatch, today models.Date) (models.Organisation, error) {
	var out *models.Organisation
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		before, err := getOrganisation(ctx, tx, s, code, true)
		if err != nil {
			return err
		}
		if before == nil {
			return orgNotFound(code)
		}
		after, err := p.Apply(*before, today)
		if err != nil {
			return err
		}
		parent, err := checkWrite(ctx, tx, s, before, after)
		if err != nil {
			return err
		}
		if err := updateOrganisation(ctx, tx, before.ID, after, parent.id); err != nil {
			return err
		}
		out, err = getOrganisation(ctx, tx, s, code, false)
		return err
	})
	if err != nil {
		return models.Organisation{}, err
	}
	return *out, nil
}

// DeleteOrganisation removes an organisation that has no children and that nothing
// refers to. Tables that refer to organisations do so ON DELETE RESTRICT; the violation
// becomes a conflict that says what is in the way.
func (db *DB) DeleteOrganisation(ctx context.Context, s models.Scope, code string) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		before, err := getOrganisation(ctx, tx, s, code, true)
		if err != nil {
			return err
		}
		if before == nil {
			return orgNotFound(code)
		}
		if err := models.CheckOrganisationDelete(s, *before); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM organisations WHERE id = $1`, before.ID)
		return deleteError(code, err)
	})
}

func deleteError(code string, err error) error {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "23503" {
		return translate(err)
	}
	if pqErr.Table == "organisations" {
		return models.Errorf(models.ECONFLICT, "organisation %q has child organisations: move or delete them first", code)
	}
	return models.Errorf(models.ECONFLICT, "organisation %q is still referred to by %s: remove or reassign them first",
		code, referrerName(pqErr.Table))
}

// referrerName says in words what a referring table holds.
func referrerName(table string) string {
	switch table {
	case "api_tokens":
		return "API tokens"
	case "audit_log":
		return "audit entries"
	}
	return strings.ReplaceAll(table, "_", " ")
}

// parentRef is a resolved parent: its id and type; no id and no type for the top of the
// tree.
type parentRef struct {
	id  *int64
	typ models.OrgType
}

// resolveParent finds the parent code in scope. An hr caller can only place
// organisations inside its own subtree; a parent outside it looks exactly like one that
// does not exist.
func resolveParent(ctx context.Context, tx *sqlx.Tx, s models.Scope, code string) (parentRef, error) {
	if code == "" {
		return parentRef{}, nil
	}
	var w filter
	w.add("o.code = ?", code)
	w.scope("o.id", s)
	var found []struct {
		ID   int64  `db:"id"`
		Type string `db:"type"`
	}
	if err := tx.SelectContext(ctx, &found, tx.Rebind(`SELECT o.id, o.type FROM organisations o`+w.where()), w.args...); err != nil {
		return parentRef{}, translate(err)
	}
	if len(found) == 0 {
		return parentRef{}, models.Invalid(models.FieldError{Field: "parent", Message: "no organisation has this code"})
	}
	return parentRef{id: &found[0].ID, typ: models.OrgType(found[0].Type)}, nil
}

// checkWrite applies what every write of an organisation passes before it is written:
// the hr rules of models.CheckOrganisationWrite, the parent resolved (parentFor) and the
// tree's typing (checkTyping). It returns the parent; before is nil for a new organisation.
func checkWrite(ctx context.Context, tx *sqlx.Tx, s models.Scope, before *models.Organisation, after models.Organisation) (parentRef, error) {
	if err := models.CheckOrganisationWrite(s, before, after); err != nil {
		return parentRef{}, err
	}
	parent, err := parentFor(ctx, tx, s, before, after)
	if err != nil {
		return parentRef{}, err
	}
	return parent, checkTyping(ctx, tx, before, after, parent)
}

// checkTyping applies the tree's typing (models.AllowedUnder) to what a write changes:
// where it places an organisation (created, moved or retyped), and, when it retypes one,
// the children it has. Organisations placed before the typing existed stay where they
// are until a write moves or retypes them.
func checkTyping(ctx context.Context, tx *sqlx.Tx, before *models.Organisation, after models.Organisation, parent parentRef) error {
	if before != nil && before.Parent == after.Parent && before.Type == after.Type {
		return nil
	}
	if err := models.CheckPlacement(after, parent.typ); err != nil {
		return err
	}
	if before == nil || before.Type == after.Type {
		return nil
	}
	var children []struct {
		Code string `db:"code"`
		Type string `db:"type"`
	}
	if err := tx.SelectContext(ctx, &children, `SELECT code, type FROM organisations WHERE parent_id = $1`, before.ID); err != nil {
		return translate(err)
	}
	byCode := make(map[string]models.OrgType, len(children))
	for _, c := range children {
		byCode[c.Code] = models.OrgType(c.Type)
	}
	return models.CheckChildren(after.Type, byCode)
}

// parentFor resolves the parent of an organisation being written. A parent that does
// not change needs no permission: an hr token's own organisation keeps its parent,
// which lies outside the token's subtree.
func parentFor(ctx context.Context, tx *sqlx.Tx, s models.Scope, before *models.Organisation, after models.Organisation) (parentRef, error) {
	if before != nil && before.Parent == after.Parent {
		s = models.ScopeAll()
	}
	return resolveParent(ctx, tx, s, after.Parent)
}

// orgValues are the stored columns of o in the order of the statements below.
func orgValues(o models.Organisation, parentID *int64) []any {
	return []any{o.Name, string(o.Type), parentID, nullString(string(o.Sector)), nullString(string(o.SizeBand)),
		o.Headcount, nullString(o.Address), nullString(o.Postcode), dateParam(o.OpenDate), dateParam(o.CloseDate),
		o.Active, nullString(o.XAPIHomePage), o.ByHand(models.HandType), o.ByHand(models.HandSector)}
}

// insertOrganisation inserts o; with ifAbsent it reports false instead of failing when
// the code exists.
func insertOrganisation(ctx context.Context, tx *sqlx.Tx, o models.Organisation, parentID *int64, ifAbsent bool) (bool, error) {
	q := `INSERT INTO organisations (code, name, type, parent_id, sector, size_band, headcount, address, postcode,
		open_date, close_date, active, xapi_home_page, type_by_hand, sector_by_hand)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`
	if ifAbsent {
		q += ` ON CONFLICT (code) DO NOTHING`
	}
	res, err := tx.ExecContext(ctx, q, append([]any{o.Code}, orgValues(o, parentID)...)...)
	if err != nil {
		return false, writeError(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// updateOrganisation writes o over the organisation id, and leaves the row (and its
// updated_at) alone when nothing differs.
func updateOrganisation(ctx context.Context, tx *sqlx.Tx, id int64, o models.Organisation, parentID *int64) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE organisations SET name = $2, type = $3, parent_id = $4, sector = $5, size_band = $6, headcount = $7,
			address = $8, postcode = $9, open_date = $10, close_date = $11, active = $12, xapi_home_page = $13,
			type_by_hand = $14, sector_by_hand = $15, updated_at = now()
		WHERE id = $1
		  AND (name, type, parent_id, sector, size_band, headcount, address, postcode, open_date, close_date, active,
		       xapi_home_page, type_by_hand, sector_by_hand)
		      IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12, $13, $14, $15)`,
		append([]any{id}, orgValues(o, parentID)...)...)
	return writeError(err)
}

// writeError explains the tree's own refusal: the trigger of migration 0001 raises
// organisations_parent_check when a move would put an organisation under itself.
func writeError(err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Constraint == "organisations_parent_check" {
		return models.Invalid(models.FieldError{Field: "parent", Message: "would place the organisation under itself or one of its own descendants"})
	}
	return translate(err)
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func dateParam(d *models.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}
