package api

import (
	"sync"
	"time"
)

// figureCache keeps national statistics for a moment: many analysts and dashboards ask
// the same questions, and the answer is allowed to be up to a second old (the flusher's
// quarter second plus this cache's lifetime). Concurrent askers of a missing answer wait
// for one computation instead of each running it.
type figureCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*figureEntry
}

type figureEntry struct {
	made  time.Time
	ready chan struct{}
	value any
	err   error
}

func newFigureCache(ttl time.Duration) *figureCache {
	return &figureCache{ttl: ttl, entries: map[string]*figureEntry{}}
}

// get returns the cached answer to key, or computes it. A zero lifetime disables caching.
func (c *figureCache) get(key string, compute func() (any, error)) (any, error) {
	if c.ttl <= 0 {
		return compute()
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && now.Sub(e.made) < c.ttl {
		c.mu.Unlock()
		<-e.ready
		return e.value, e.err
	}
	if len(c.entries) > 1000 { // bounded: forget everything stale
		for k, old := range c.entries {
			if now.Sub(old.made) >= c.ttl {
				delete(c.entries, k)
			}
		}
	}
	e = &figureEntry{made: now, ready: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()
	e.value, e.err = compute()
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		delete(c.entries, key)
		c.mu.Unlock()
	}
	return e.value, e.err
}
