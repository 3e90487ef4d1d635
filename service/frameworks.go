package service

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/exchange"
)

// Frameworks lists every framework with its current version, by code.
func (s *Service) Frameworks(ctx context.Context, page models.Page) ([]models.FrameworkSummary, string, error) {
	return s.db.ListFrameworks(ctx, page)
}

// Framework is a framework document: its current version when version is 0, else that
// version as it was published, with the time it was published.
func (s *Service) Framework(ctx context.Context, code string, version int) (models.Framework, time.Time, error) {
	return s.db.GetFramework(ctx, code, version)
}

// CreateFramework publishes a new framework as version 1; an existing code is a conflict.
func (s *Service) CreateFramework(ctx context.Context, f models.Framework) (models.PublishResult, error) {
	return s.db.CreateFramework(ctx, f)
}

// PublishFramework publishes f as the next version of the existing framework f.Code;
// when f says the same as the current version nothing is published.
func (s *Service) PublishFramework(ctx context.Context, f models.Framework) (models.PublishResult, error) {
	return s.db.PublishFramework(ctx, f)
}

// Skills lists the skills of a framework's current version in document order.
func (s *Service) Skills(ctx context.Context, framework string, f models.SkillFilter, page models.Page) ([]models.SkillEntry, string, error) {
	return s.db.ListSkills(ctx, framework, f, page)
}

// Skill is one skill of a framework's current version.
func (s *Service) Skill(ctx context.Context, framework, code string) (models.SkillEntry, error) {
	return s.db.GetSkill(ctx, framework, code)
}

// Mappings lists a framework's skills that map to the default framework's.
func (s *Service) Mappings(ctx context.Context, framework string, page models.Page) ([]models.SkillMapping, string, error) {
	return s.db.ListMappings(ctx, framework, page)
}

// ReplaceMappings makes m the framework's whole mapping to the default framework.
func (s *Service) ReplaceMappings(ctx context.Context, framework string, m models.SkillMappings) (models.MappingResult, error) {
	if err := m.Validate(); err != nil {
		return models.MappingResult{}, err
	}
	return s.db.ReplaceMappings(ctx, framework, m)
}

// FrameworkImport is a framework file to import: a CSV file, or a decoded CASE package.
type FrameworkImport struct {
	Code string // the framework; a CASE package may name it in its cyberskills extension
	CSV  []byte
	CASE *exchange.CFPackage // when not nil, the package imported instead of CSV
	// Meta holds the name, publisher, licence and description a CSV import sets; those
	// left empty keep the current version's.
	Meta        models.Framework
	DefaultTier models.Tier // for skills whose row or item gives none
}

// ImportFramework creates the framework the file describes when its code is new, or
// publishes it as the next version (skills left out become deprecated). The document is
// built inside the transaction that publishes, from the version it replaces.
func (s *Service) ImportFramework(ctx context.Context, in FrameworkImport) (models.PublishResult, error) {
	code := in.Code
	if in.CASE != nil && code == "" {
		code = exchange.CASEFrameworkCode(*in.CASE)
	}
	if code == "" {
		return models.PublishResult{}, models.Invalid(models.FieldError{Field: "code",
			Message: "is required: give ?code= (a CASE package may carry it in its cyberskills extension)"})
	}
	return s.db.ImportFramework(ctx, code, func(current *models.Framework) (models.Framework, error) {
		if current != nil && current.Tiers != nil && in.DefaultTier != "" &&
			!slices.Contains(models.TierCodes(current.Tiers), string(in.DefaultTier)) {
			return models.Framework{}, models.Invalid(models.FieldError{Field: "default_tier",
				Message: "must be one of the framework's tiers: " + strings.Join(models.TierCodes(current.Tiers), ", ")})
		}
		return in.next(code, current)
	})
}

// next is the document the import makes of the framework's current version (nil for a
// new framework, which takes the default scale). A CASE package keeps only the current
// scale, and the current tiers when it names none; a CSV file keeps everything it does
// not give, metadata and what the framework keeps of a CASE package included.
func (in FrameworkImport) next(code string, current *models.Framework) (models.Framework, error) {
	base := models.Framework{Code: code, Scale: models.DefaultScale()}
	if in.CASE != nil {
		if current != nil {
			base.Scale, base.Tiers = current.Scale, current.Tiers
		}
		return exchange.ParseCASEPackage(*in.CASE, base, in.DefaultTier)
	}
	if current != nil {
		base = *current
	}
	base.Name = cmp.Or(in.Meta.Name, base.Name)
	base.Publisher = cmp.Or(in.Meta.Publisher, base.Publisher)
	base.Licence = cmp.Or(in.Meta.Licence, base.Licence)
	base.Description = cmp.Or(in.Meta.Description, base.Description)
	return exchange.ParseFrameworkCSV(bytes.NewReader(in.CSV), base, in.DefaultTier)
}
