package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type orgRow struct {
	ID           int64      `db:"id"`
	Code         string     `db:"code"`
	Name         string     `db:"name"`
	Type         string     `db:"type"`
	Parent       *string    `db:"parent"`
	Sector       *string    `db:"sector"`
	SizeBand     *string    `db:"size_band"`
	Headcount    *int       `db:"headcount"`
	Address      *string    `db:"address"`
	Postcode     *string    `db:"postcode"`
	OpenDate     *time.Time `db:"open_date"`
	CloseDate    *time.Time `db:"close_date"`
	Active       bool       `db:"active"`
	Region       *string    `db:"region"`
	ICB          *string    `db:"icb"`
	XAPIHomePage *string    `db:"xapi_home_page"`
	TypeByHand   bool       `db:"type_by_hand"`
	SectorByHand bool       `db:"sector_by_hand"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
}

func (r orgRow) organisation() models.Organisation {
	return models.Organisation{
		ID: r.ID, Code: r.Code, Name: r.Name, Type: models.OrgType(r.Type), Parent: deref(r.Parent),
		Sector: models.Sector(deref(r.Sector)), SizeBand: models.SizeBand(deref(r.SizeBand)), Headcount: r.Headcount,
		Address: deref(r.Address), Postcode: deref(r.Postcode),
		OpenDate: models.DatePtr(r.OpenDate), CloseDate: models.DatePtr(r.CloseDate), Active: r.Active,
		Region: deref(r.Region), ICB: deref(r.ICB), XAPIHomePage: deref(r.XAPIHomePage),
		SetByHand: handFields(r.TypeByHand, r.SectorByHand), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// handFields lists the fields a person set, from their stored flags.
func handFields(typ, sector bool) []models.HandField {
	var out []models.HandField
	if typ {
		out = append(out, models.HandType)
	}
	if sector {
		out = append(out, models.HandSector)
	}
	return out
}

// orgSelect reads organisations as o with the codes of their parent, region and ICB.
const orgSelect = `SELECT o.id, o.code, o.name, o.type, p.code AS parent, o.sector, o.size_band, o.headcount,
	o.address, o.postcode, o.open_date, o.close_date, o.active, r.code AS region, i.code AS icb,
	o.xapi_home_page, o.type_by_hand, o.sector_by_hand, o.created_at, o.updated_at
	FROM organisations o
	LEFT JOIN organisations p ON p.id = o.parent_id
	LEFT JOIN organisations r ON r.id = o.region_id
	LEFT JOIN organisations i ON i.id = o.icb_id`

// GetOrganisation returns the organisation with code, if it lies in scope.
func (db *DB) GetOrganisation(ctx context.Context, s models.Scope, code string) (models.Organisation, error) {
	o, err := getOrganisation(ctx, db, s, code, false)
	if err == nil && o == nil {
		return models.Organisation{}, orgNotFound(code)
	}
	if err != nil {
		return models.Organisation{}, err
	}
	return *o, nil
}

func orgNotFound(code string) error {
	return models.Errorf(models.ENOTFOUND, "organisation %q not found", code)
}

// getOrganisation reads one organisation in scope, nil when there is none; lock takes a
// row lock for a read-modify-write.
func getOrganisation(ctx context.Context, q sqlx.QueryerContext, s models.Scope, code string, lock bool) (*models.Organisation, error) {
	var w filter
	w.add("o.code = ?", code)
	w.scope("o.id", s)
	query := orgSelect + w.where()
	if lock {
		query += " FOR UPDATE OF o"
	}
	var rows []orgRow
	if err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.DOLLAR, query), w.args...); err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	o := rows[0].organisation()
	return &o, nil
}

// ListOrganisations lists the organisations in scope by code, by keyset on code.
func (db *DB) ListOrganisations(ctx context.Context, s models.Scope, f models.OrganisationFilter, page models.Page) ([]models.Organisation, string, error) {
	var w filter
	w.scope("o.id", s)
	if f.Type != "" {
		w.add("o.type = ?", string(f.Type))
	}
	if f.Parent != "" {
		w.add("o.parent_id = (SELECT id FROM organisations WHERE code = ?)", f.Parent)
	}
	if f.Region != "" {
		w.add("o.region_id = (SELECT id FROM organisations WHERE code = ?)", f.Region)
	}
	if f.Sector != "" {
		w.add("o.sector = ?", string(f.Sector))
	}
	if f.Query != "" {
		pattern := likePattern(f.Query)
		w.add("(o.name ILIKE ? OR o.code ILIKE ?)", pattern, pattern)
	}
	if f.Active != nil {
		w.add("o.active = ?", *f.Active)
	}
	return selectPage(ctx, db, orgSelect, &w, ascending("o.code"), page, always(orgRow.organisation),
		func(o models.Organisation) string { return o.Code })
}
