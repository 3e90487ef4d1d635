package models

// RawGroup is a group of a statistics breakdown before disclosure control.
type RawGroup struct {
	Keys, Labels  []string // one per dimension
	Organisations int
	// Stored snapshots name it so (they keep raw groups as JSON).
	WithGap int `json:"OrganisationsWithGap"`
	Demand  int
	Supply  int
	Held    [MaxLevel + 1]int
}

// Headline is the national picture over a set of organisations.
type Headline struct {
	Organisations           int
	WithBasicGap            int
	WithIncidentResponseGap int
	WithAdvancedGap         int
	Skills                  []SkillShare
}

// SkillShare is how many organisations have a gap in one skill.
type SkillShare struct {
	Skill, Name, Tier string
	WithGap           int
}

// StatisticsDimensions lists the dimensions a breakdown may group by.
func StatisticsDimensions() []string {
	return []string{"region", "icb", "sector", "size_band", "skill", "tier"}
}
