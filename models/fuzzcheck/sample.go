package fuzzcheck

import "cyberskills/models"

// SampleFramework is a small valid document: two areas in a tree, three skills, one of
// them superseded. The framework formats' fuzz targets start from it, and the tests of
// the framework rules and of those formats check against it.
func SampleFramework() models.Framework {
	return models.Framework{
		Code: "sample", Name: "Sample framework", Publisher: "Tests", Licence: "CC BY 4.0", Description: "For tests.",
		Scale: models.DefaultScale(),
		Areas: []models.SkillArea{
			{Code: "top", Name: "Top area", Description: "The root."},
			{Code: "leaf", Name: "Leaf area", Parent: "top"},
		},
		Skills: []models.Skill{
			{Code: "a", Name: "Skill A", Description: "Old, replaced by B.", Area: "leaf", Tier: models.TierBasic,
				Status: models.SkillDeprecated, SupersededBy: "b"},
			{Code: "b", Name: "Skill B", Area: "leaf", Tier: models.TierBasic,
				Levels:     map[string]string{"1": "Knows B", "4": "Teaches B"},
				References: []models.SkillReference{{Scheme: "NICE", ID: "PD-WRL-003", Label: "Incident Response"}, {Scheme: "CyBOK", ID: "Forensics"}}},
			{Code: "c", Name: "Skill, \"C\"", Description: "Line one\nline two", Tier: models.TierAdvanced},
		},
	}
}
