package repository

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"cyberskills/models"
)

// DefaultRoleTemplates are the embedded job role templates over the default framework.
func DefaultRoleTemplates() ([]models.JobRole, error) { return embeddedRoles("defaults/roles.json") }

// NICERoleTemplates are the embedded templates of the NICE Framework's work roles.
func NICERoleTemplates() ([]models.JobRole, error) { return embeddedRoles("defaults/nice-roles.json") }

func embeddedRoles(file string) ([]models.JobRole, error) {
	b, err := defaultsFS.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Framework string           `json:"framework"`
		Roles     []models.JobRole `json:"roles"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for i := range doc.Roles {
		doc.Roles[i].Framework = doc.Framework
	}
	return doc.Roles, nil
}

// loadDefaultRoles loads the role templates into an installation that has none, so that
// templates an administrator later changes or deletes stay that way.
func loadDefaultRoles(ctx context.Context, db *DB) (bool, error) {
	return loadTemplates(ctx, db, DefaultRoleTemplates, `SELECT EXISTS (SELECT 1 FROM job_roles WHERE organisation_id IS NULL)`)
}

// loadNICERoles loads the NICE work role templates into an installation that has no
// template over the NICE Framework (an installation from before it was shipped gets
// them on its next start), with the same care for an administrator's later changes.
func loadNICERoles(ctx context.Context, db *DB) (bool, error) {
	return loadTemplates(ctx, db, NICERoleTemplates, `SELECT EXISTS (SELECT 1 FROM job_roles r JOIN frameworks f ON f.id = r.framework_id
		WHERE r.organisation_id IS NULL AND f.code = '`+NICEFrameworkCode+`')`)
}

func loadTemplates(ctx context.Context, db *DB, templates func() ([]models.JobRole, error), anyLoaded string) (bool, error) {
	var any bool
	if err := db.GetContext(ctx, &any, anyLoaded); err != nil || any {
		return false, translate(err)
	}
	roles, err := templates()
	if err != nil {
		return false, err
	}
	owner := models.RoleOwner{Scope: models.ScopeAll()}
	for _, r := range roles {
		if err := r.Validate(); err != nil {
			return false, fmt.Errorf("role %s: %v", r.Code, describeFields(err))
		}
		if _, err := db.CreateRole(ctx, owner, r); err != nil && models.ErrorCode(err) != models.ECONFLICT {
			return false, fmt.Errorf("role %s: %v", r.Code, describeFields(err))
		}
	}
	return true, nil
}

// NICEMapping is the embedded mapping of NICE knowledge and skill statements to the
// default framework's skills.
func NICEMapping() (models.SkillMappings, error) {
	var doc struct {
		Mappings map[string][]string `json:"mappings"` // default framework skill -> NICE statements
	}
	b, err := defaultsFS.ReadFile("defaults/nice-mapping.json")
	if err != nil {
		return models.SkillMappings{}, err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return models.SkillMappings{}, fmt.Errorf("defaults/nice-mapping.json: %w", err)
	}
	index := map[string]int{}
	var out models.SkillMappings
	for _, skill := range slices.Sorted(maps.Keys(doc.Mappings)) {
		for _, statement := range doc.Mappings[skill] {
			i, ok := index[statement]
			if !ok {
				i = len(out.Mappings)
				index[statement] = i
				out.Mappings = append(out.Mappings, models.SkillMapping{Skill: statement})
			}
			out.Mappings[i].MapsTo = append(out.Mappings[i].MapsTo, skill)
		}
	}
	return out, out.Validate()
}

// loadNICEMapping loads the shipped mapping when the NICE Framework has none, so that an
// administrator's own mapping (PUT .../mappings) stays.
func loadNICEMapping(ctx context.Context, db *DB) (bool, error) {
	var any bool
	if err := db.GetContext(ctx, &any, `SELECT EXISTS (SELECT 1 FROM skill_mappings m JOIN skills s ON s.id = m.skill_id
		JOIN frameworks f ON f.id = s.framework_id WHERE f.code = $1)`, NICEFrameworkCode); err != nil || any {
		return false, translate(err)
	}
	m, err := NICEMapping()
	if err != nil {
		return false, err
	}
	res, err := db.ReplaceMappings(ctx, NICEFrameworkCode, m)
	if err != nil {
		return false, fmt.Errorf("%v", describeFields(err))
	}
	return !res.Unchanged, nil
}
