package service

import (
	"sync"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// publishedSnapshots remembers snapshots as published: a snapshot never changes, and
// publishing one under disclosure control computes a whole release of its population.
type publishedSnapshots struct {
	mu sync.Mutex
	m  map[snapshotKey]disclosure.PublishedSnapshot
}

type snapshotKey struct {
	id         int64
	controlled bool
}

// maxPublishedSnapshots bounds the memory: forty years of monthly snapshots, both ways.
const maxPublishedSnapshots = 1000

func newPublishedSnapshots() *publishedSnapshots {
	return &publishedSnapshots{m: map[snapshotKey]disclosure.PublishedSnapshot{}}
}

// published is a snapshot as published, computed once.
func (p *publishedSnapshots) published(sn models.Snapshot, controlled bool) disclosure.PublishedSnapshot {
	k := snapshotKey{sn.ID, controlled}
	p.mu.Lock()
	v, ok := p.m[k]
	p.mu.Unlock()
	if ok {
		return v
	}
	v = disclosure.PublishSnapshot(sn, controlled)
	p.mu.Lock()
	if len(p.m) >= maxPublishedSnapshots {
		clear(p.m)
	}
	p.m[k] = v
	p.mu.Unlock()
	return v
}

// releases remembers the last release of each organisation type with its population's
// fingerprint: publishing a release decides every figure of every table together, which
// costs far more than reading the population, and most recomputations (the cache lapsing
// while analysts keep asking) find the data as it was.
type releases struct {
	mu   sync.Mutex
	last map[string]lastRelease
}

type lastRelease struct {
	fingerprint uint64
	release     *disclosure.Release
}

func newReleases() *releases { return &releases{last: map[string]lastRelease{}} }

// of is the release of a population, the last one when the population is unchanged.
func (r *releases) of(orgType string, p models.StatPopulation) *disclosure.Release {
	fp := p.Fingerprint()
	r.mu.Lock()
	last, ok := r.last[orgType]
	r.mu.Unlock()
	if ok && last.fingerprint == fp {
		return last.release
	}
	rel := disclosure.NewRelease(p, true)
	r.mu.Lock()
	r.last[orgType] = lastRelease{fp, rel}
	r.mu.Unlock()
	return rel
}
