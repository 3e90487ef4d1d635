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
