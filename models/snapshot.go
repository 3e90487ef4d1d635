package models

import "time"

// SnapshotFigures are the raw national figures kept by a snapshot, and the population
// they came from. Snapshots taken before populations were kept have none: disclosure
// control cannot publish their breakdowns jointly, so analysts see only their headline.
type SnapshotFigures struct {
	Headline   Headline              `json:"headline"`
	Breakdowns map[string][]RawGroup `json:"breakdowns"` // by each single dimension
	Population *StatPopulation       `json:"population,omitempty"`
}

// Snapshot is a stored set of figures.
type Snapshot struct {
	ID      int64
	TakenAt time.Time
	Type    string
	Figures SnapshotFigures
}
