package models

import (
	"sort"
	"time"
)

// Source says where a piece of competency evidence came from.
type Source string

// Evidence sources. Only self-assessment is unverified.
const (
	SourceSelf          Source = "self"
	SourceManager       Source = "manager"
	SourceAssessment    Source = "assessment"
	SourceCertification Source = "certification"
	SourceTraining      Source = "training"
	SourceImport        Source = "import"
)

// Sources lists every evidence source.
var Sources = []Source{SourceSelf, SourceManager, SourceAssessment, SourceCertification, SourceTraining, SourceImport}

// Valid reports whether s is a known source.
func (s Source) Valid() bool {
	for _, k := range Sources {
		if s == k {
			return true
		}
	}
	return false
}

// Verified reports whether evidence from s counts towards the verified level.
func (s Source) Verified() bool { return s != SourceSelf }

// MaxLevel is the top of every proficiency scale the service accepts (0-4).
const MaxLevel = 4

// LevelEvidence is the part of an evidence record that the current-level rule reads.
type LevelEvidence struct {
	ID         int64
	SkillID    int64 // the skill it counts towards (after supersession)
	Level      int
	Source     Source
	AssessedAt time.Time
	ExpiresAt  *time.Time
	RetractsID int64 // non-zero: this record retracts that one and carries no level
}

// CurrentLevel is a person's derived level in one skill at a moment.
type CurrentLevel struct {
	SkillID int64
	// Verified is the highest level among evidence in force from any source but self.
	Verified int
	// VerifiedUntil is when the verified level may next fall: the latest expiry among
	// the evidence at the verified level; nil when one of them never expires (or Verified is 0).
	VerifiedUntil *time.Time
	// Self is the level of the latest self-assessment in force, nil when there is none.
	Self *int
}

// Any is the level on the "any" basis: the higher of verified and self-assessed.
func (c CurrentLevel) Any() int {
	if c.Self != nil && *c.Self > c.Verified {
		return *c.Self
	}
	return c.Verified
}

// inForce reports whether e counts at moment at: it is not a retraction, has not been
// retracted by then, was assessed by then and has not expired.
func (e LevelEvidence) inForce(at time.Time, retracted map[int64]bool) bool {
	return e.RetractsID == 0 && !retracted[e.ID] && !e.AssessedAt.After(at) &&
		(e.ExpiresAt == nil || e.ExpiresAt.After(at))
}

// CurrentLevels applies the current-level rule to one person's evidence at moment at:
//
//   - a record counts while it is in force: assessed at or before at, not expired
//     (expires_at after at), and not retracted by a retraction assessed at or before at;
//   - verified level = the highest level among records in force from any source but self;
//   - self level = the level of the latest self-assessment in force (by assessed_at, then id).
//
// The repository computes the same rule in SQL (evidence_levels); a test checks the two agree.
func CurrentLevels(evidence []LevelEvidence, at time.Time) []CurrentLevel {
	retracted := map[int64]bool{}
	for _, e := range evidence {
		if e.RetractsID != 0 && !e.AssessedAt.After(at) {
			retracted[e.RetractsID] = true
		}
	}
	type selfPick struct {
		at    time.Time
		id    int64
		level int
	}
	levels := map[int64]*CurrentLevel{}
	latestSelf := map[int64]selfPick{}
	noExpiry := map[int64]bool{}
	for _, e := range evidence {
		if !e.inForce(at, retracted) {
			continue
		}
		c := levels[e.SkillID]
		if c == nil {
			c = &CurrentLevel{SkillID: e.SkillID}
			levels[e.SkillID] = c
		}
		if !e.Source.Verified() {
			p, seen := latestSelf[e.SkillID]
			if !seen || e.AssessedAt.After(p.at) || (e.AssessedAt.Equal(p.at) && e.ID > p.id) {
				latestSelf[e.SkillID] = selfPick{e.AssessedAt, e.ID, e.Level}
			}
			continue
		}
		switch {
		case e.Level > c.Verified:
			c.Verified = e.Level
			c.VerifiedUntil = e.ExpiresAt
			noExpiry[e.SkillID] = e.ExpiresAt == nil
		case e.Level == c.Verified && e.Level > 0:
			if e.ExpiresAt == nil {
				noExpiry[e.SkillID] = true
			}
			if e.ExpiresAt != nil && (c.VerifiedUntil == nil || e.ExpiresAt.After(*c.VerifiedUntil)) {
				c.VerifiedUntil = e.ExpiresAt
			}
		}
	}
	out := make([]CurrentLevel, 0, len(levels))
	for id, c := range levels {
		if noExpiry[id] || c.Verified == 0 {
			c.VerifiedUntil = nil
		}
		if p, ok := latestSelf[id]; ok {
			lvl := p.level
			c.Self = &lvl
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SkillID < out[j].SkillID })
	return out
}
