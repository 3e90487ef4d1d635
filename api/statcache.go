package api

import (
	"context"
	"sync"
	"time"
)

// figureCache keeps national statistics for a moment: many analysts and dashboards ask
// the same questions, and the answer is allowed to be a moment old. Concurrent askers of
// a missing answer wait for one computation instead of each running it. When an answer
// lapses, the first asker starts its recomputation in the background and everyone is
// answered with the previous figures until it is done: a national query takes tens of
// milliseconds, and without this every request arriving meanwhile would wait for it.
// An answer older than staleLimit is never served; askers wait for a fresh one.
type figureCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*figureEntry
}

type figureEntry struct {
	made       time.Time
	ready      chan struct{} // closed once value and err are set
	value      any
	err        error
	refreshing bool
}

// staleLimit bounds how old a served answer may be, in lifetimes.
const staleLimit = 10

// refreshTimeout bounds a background recomputation.
const refreshTimeout = 30 * time.Second

func newFigureCache(ttl time.Duration) *figureCache {
	return &figureCache{ttl: ttl, entries: map[string]*figureEntry{}}
}

// get returns the cached answer to key, or computes it. A zero lifetime disables caching.
// compute receives ctx when the caller waits for it, and a context of its own when it
// runs in the background.
func (c *figureCache) get(ctx context.Context, key string, compute func(ctx context.Context) (any, error)) (any, error) {
	if c.ttl <= 0 {
		return compute(ctx)
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.ready:
			age := now.Sub(e.made)
			if age < c.ttl {
				c.mu.Unlock()
				return e.value, e.err
			}
			if age < staleLimit*c.ttl && e.err == nil {
				if !e.refreshing {
					e.refreshing = true
					go c.refresh(key, compute)
				}
				c.mu.Unlock()
				return e.value, nil
			}
		default: // being computed: wait for it
			c.mu.Unlock()
			<-e.ready
			return e.value, e.err
		}
	}
	c.forgetOld(now)
	e = &figureEntry{made: now, ready: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()
	e.value, e.err = compute(ctx)
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.value, e.err
}

// refresh recomputes a lapsed answer and replaces it; on failure the old answer stays
// until it is too old to serve, and the next asker tries again.
func (c *figureCache) refresh(key string, compute func(ctx context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	started := time.Now()
	value, err := compute(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.entries[key]
	if err != nil {
		if old != nil {
			old.refreshing = false
		}
		return
	}
	fresh := &figureEntry{made: started, ready: make(chan struct{}), value: value}
	close(fresh.ready)
	c.entries[key] = fresh
}

// forgetOld bounds the cache: past a thousand answers, those too old to serve go. The
// caller holds c.mu.
func (c *figureCache) forgetOld(now time.Time) {
	if len(c.entries) <= 1000 {
		return
	}
	for k, old := range c.entries {
		select {
		case <-old.ready:
			if now.Sub(old.made) >= staleLimit*c.ttl {
				delete(c.entries, k)
			}
		default:
		}
	}
}
