package models

import (
	"testing"
	"time"
)

func day(n int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

func dayPtr(n int) *time.Time { t := day(n); return &t }

func TestCurrentLevels(t *testing.T) {
	const firewall, backup = 1, 2
	cases := []struct {
		name         string
		evidence     []LevelEvidence
		at           time.Time
		wantVerified int
		wantUntil    *time.Time
		wantSelf     *int
	}{
		{
			name:         "no evidence",
			at:           day(10),
			wantVerified: 0,
		},
		{
			name: "highest verified level wins across sources",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 2, Source: SourceManager, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 3, Source: SourceCertification, AssessedAt: day(1), ExpiresAt: dayPtr(100)},
				{ID: 3, SkillID: firewall, Level: 1, Source: SourceTraining, AssessedAt: day(2)},
			},
			at: day(10), wantVerified: 3, wantUntil: dayPtr(100),
		},
		{
			name: "expired evidence no longer counts",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 2, Source: SourceManager, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 4, Source: SourceCertification, AssessedAt: day(1), ExpiresAt: dayPtr(5)},
			},
			at: day(10), wantVerified: 2,
		},
		{
			name: "evidence expiring exactly now has lapsed",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 3, Source: SourceAssessment, AssessedAt: day(0), ExpiresAt: dayPtr(10)},
			},
			at: day(10), wantVerified: 0,
		},
		{
			name: "future evidence does not count yet",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 3, Source: SourceAssessment, AssessedAt: day(20)},
			},
			at: day(10), wantVerified: 0,
		},
		{
			name: "retracted evidence no longer counts",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 4, Source: SourceManager, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 2, Source: SourceManager, AssessedAt: day(1)},
				{ID: 3, SkillID: firewall, Source: SourceManager, AssessedAt: day(5), RetractsID: 1},
			},
			at: day(10), wantVerified: 2,
		},
		{
			name: "a retraction takes effect only from when it was made",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 4, Source: SourceManager, AssessedAt: day(0)},
				{ID: 3, SkillID: firewall, Source: SourceManager, AssessedAt: day(20), RetractsID: 1},
			},
			at: day(10), wantVerified: 4,
		},
		{
			name: "self-assessment is reported beside, never as, the verified level",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 4, Source: SourceSelf, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 1, Source: SourceManager, AssessedAt: day(1)},
			},
			at: day(10), wantVerified: 1, wantSelf: intPtr(4),
		},
		{
			name: "the latest self-assessment wins even when lower",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 4, Source: SourceSelf, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 2, Source: SourceSelf, AssessedAt: day(3)},
			},
			at: day(10), wantVerified: 0, wantSelf: intPtr(2),
		},
		{
			name: "same-level evidence: the level lasts until the latest expiry",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 3, Source: SourceTraining, AssessedAt: day(0), ExpiresAt: dayPtr(50)},
				{ID: 2, SkillID: firewall, Level: 3, Source: SourceCertification, AssessedAt: day(1), ExpiresAt: dayPtr(80)},
				{ID: 3, SkillID: firewall, Level: 2, Source: SourceManager, AssessedAt: day(1), ExpiresAt: dayPtr(500)},
			},
			at: day(10), wantVerified: 3, wantUntil: dayPtr(80),
		},
		{
			name: "same-level evidence without expiry: the level never lapses",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: firewall, Level: 3, Source: SourceTraining, AssessedAt: day(0), ExpiresAt: dayPtr(50)},
				{ID: 2, SkillID: firewall, Level: 3, Source: SourceManager, AssessedAt: day(1)},
			},
			at: day(10), wantVerified: 3, wantUntil: nil,
		},
		{
			name: "other skills do not interfere",
			evidence: []LevelEvidence{
				{ID: 1, SkillID: backup, Level: 4, Source: SourceManager, AssessedAt: day(0)},
				{ID: 2, SkillID: firewall, Level: 1, Source: SourceManager, AssessedAt: day(0)},
			},
			at: day(10), wantVerified: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got CurrentLevel
			for _, c := range CurrentLevels(tc.evidence, tc.at) {
				if c.SkillID == firewall {
					got = c
				}
			}
			if got.Verified != tc.wantVerified {
				t.Errorf("verified %d, want %d", got.Verified, tc.wantVerified)
			}
			if !sameTime(got.VerifiedUntil, tc.wantUntil) {
				t.Errorf("verified until %v, want %v", got.VerifiedUntil, tc.wantUntil)
			}
			if (got.Self == nil) != (tc.wantSelf == nil) || (got.Self != nil && *got.Self != *tc.wantSelf) {
				t.Errorf("self %v, want %v", deref(got.Self), deref(tc.wantSelf))
			}
		})
	}
}

func TestCurrentLevelAny(t *testing.T) {
	if got := (CurrentLevel{Verified: 2, Self: intPtr(3)}).Any(); got != 3 {
		t.Errorf("any = %d, want 3", got)
	}
	if got := (CurrentLevel{Verified: 2, Self: intPtr(1)}).Any(); got != 2 {
		t.Errorf("any = %d, want 2", got)
	}
	if got := (CurrentLevel{Verified: 2}).Any(); got != 2 {
		t.Errorf("any = %d, want 2", got)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
