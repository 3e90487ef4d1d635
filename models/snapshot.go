package models

import "time"

// SnapshotFigures are the raw national figures kept by a snapshot.
type SnapshotFigures struct {
	Headline   Headline              `json:"headline"`
	Breakdowns map[string][]RawGroup `json:"breakdowns"` // by each single dimension
}

// Snapshot is a stored set of figures.
type Snapshot struct {
	ID      int64
	TakenAt time.Time
	Type    string
	Figures SnapshotFigures
}
