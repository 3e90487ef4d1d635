package models

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// NextVersion builds the document to publish when body replaces current, the framework's
// latest published version (nil for a new framework). Skills are never deleted: a skill
// of current that body leaves out is carried over as deprecated, keeping its content, its
// supersession link, and its area when body still has that area. changed is false when
// the result has the same content as current, in which case nothing should be published.
// deprecated lists the skills that were active in current and are not active any more.
// body must be valid; the result then is too.
func NextVersion(current *Framework, body Framework) (next Framework, changed bool, deprecated []string) {
	next = body.clone()
	next.Version = 1
	if current == nil {
		return next, true, nil
	}
	next.Version = current.Version + 1
	inBody := map[string]bool{}
	for _, s := range next.Skills {
		inBody[s.Code] = true
	}
	areas := map[string]bool{}
	for _, a := range next.Areas {
		areas[a.Code] = true
	}
	described := map[string]bool{}
	for _, n := range DescribedLevels(next.Scale) {
		described[LevelKey(n)] = true
	}
	tiers := map[string]bool{}
	for _, t := range next.Tiers {
		tiers[t.Code] = true
	}
	for _, s := range current.Skills {
		if inBody[s.Code] {
			continue
		}
		c := s.clone()
		c.Status = SkillDeprecated
		if !areas[c.Area] {
			c.Area = ""
		}
		c.OtherAreas = slices.DeleteFunc(c.OtherAreas, func(a string) bool { return !areas[a] || a == c.Area })
		if len(c.OtherAreas) == 0 {
			c.OtherAreas = nil
		}
		if !tiers[string(c.Tier)] {
			c.Tier = ""
		}
		maps.DeleteFunc(c.Levels, func(k, _ string) bool { return !described[k] })
		if len(c.Levels) == 0 {
			c.Levels = nil
		}
		next.Skills = append(next.Skills, c)
	}
	active := map[string]bool{}
	for _, s := range current.Skills {
		active[s.Code] = s.Status == SkillActive
	}
	for _, s := range next.Skills {
		if active[s.Code] && s.Status != SkillActive {
			deprecated = append(deprecated, s.Code)
		}
	}
	return next, !SameContent(*current, next), deprecated
}

// SameContent reports whether two documents say the same thing, whatever their versions.
func SameContent(a, b Framework) bool {
	a.Version, b.Version = 0, 0
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// Clone returns a deep copy of f, so that normalising one does not change the other.
func (f Framework) Clone() Framework { return f.clone() }

func (f Framework) clone() Framework {
	f.Tiers = slices.Clone(f.Tiers)
	f.Scale = slices.Clone(f.Scale)
	if f.Areas != nil {
		areas := make([]SkillArea, len(f.Areas))
		for i, a := range f.Areas {
			a.OtherParents = slices.Clone(a.OtherParents)
			a.Case = a.Case.clone()
			areas[i] = a
		}
		f.Areas = areas
	}
	if f.Skills != nil {
		skills := make([]Skill, len(f.Skills))
		for i, s := range f.Skills {
			skills[i] = s.clone()
		}
		f.Skills = skills
	}
	if f.Associations != nil {
		assocs := make([]Association, len(f.Associations))
		for i, a := range f.Associations {
			a.Case = a.Case.Clone()
			assocs[i] = a
		}
		f.Associations = assocs
	}
	f.Case = f.Case.clone()
	return f
}

func (s Skill) clone() Skill {
	s.Levels = maps.Clone(s.Levels)
	s.References = slices.Clone(s.References)
	s.OtherAreas = slices.Clone(s.OtherAreas)
	s.Case = s.Case.clone()
	return s
}

// PublishResult describes a create, publish or import.
type PublishResult struct {
	Framework   Framework // the current version afterwards
	PublishedAt time.Time
	Outcome     string
	// Deprecated lists the skills this version retired (explicitly or by leaving them out).
	Deprecated []string
	// EffectiveChanged lists the effective skill ids, old and new, of skills whose
	// effective_id this version changed.
	EffectiveChanged []int64
}
