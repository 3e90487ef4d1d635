package service

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
// A lapsed answer is served for half a lifetime at most; after that askers wait for the
// recomputation. With the default half second and the flusher's quarter second, a new
// record is in the figures within a second.
//
// The database announces every change to what the figures are made of (see
// FiguresChanged), on whichever server it was made: every answer then lapses at once,
// so that a change is in every server's figures one recomputation after it is applied,
// however long the lifetime. The lifetime bounds how old an answer can be when an
// announcement is missed (the listening connection down).
type figureCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*figureEntry
}

type figureEntry struct {
	made time.Time // when its computation started: the data it reflects is at least this new
	// lapsed says the data changed after made: the answer is served only while its
	// recomputation runs, as one past its lifetime. Guarded by the cache's mu.
	lapsed bool
	ready  chan struct{} // closed once value and err are set
	value  any
	err    error
	next   *figureEntry // its recomputation, while one runs
}

// refreshTimeout bounds a background recomputation.
const refreshTimeout = 30 * time.Second

func newFigureCache(ttl time.Duration) *figureCache {
	return &figureCache{ttl: ttl, entries: map[string]*figureEntry{}}
}

// staleLimit is the age past which an answer is never served: one and a half lifetimes.
func (c *figureCache) staleLimit() time.Duration { return c.ttl + c.ttl/2 }

// get returns the cached answer to key, or computes it. A zero lifetime disables caching.
// compute receives ctx when the caller waits for it, and a context of its own when it
// runs in the background.
func (c *figureCache) get(ctx context.Context, key string, compute func(ctx context.Context) (any, error)) (any, error) {
	if c.ttl <= 0 {
		return compute(ctx)
	}
	now := time.Now()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		select {
		case <-e.ready:
			age := now.Sub(e.made)
			switch {
			case age < c.ttl && !e.lapsed:
				c.mu.Unlock()
				return e.value, e.err
			case age < c.staleLimit() && e.err == nil:
				if e.next == nil {
					e.next = &figureEntry{made: now, ready: make(chan struct{})}
					go c.refresh(key, e, compute)
				}
				c.mu.Unlock()
				return e.value, nil
			case e.next != nil: // too old to serve, and its recomputation runs: wait for that
				next := e.next
				c.mu.Unlock()
				<-next.ready
				return next.value, next.err
			}
		default: // being computed: wait for it
			c.mu.Unlock()
			<-e.ready
			return e.value, e.err
		}
	}
	c.forgetOld(now)
	e := &figureEntry{made: now, ready: make(chan struct{})}
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

// refresh recomputes a lapsed answer into old.next and puts it in old's place. On failure
// the old answer stays until it is too old to serve, and the next asker tries again.
func (c *figureCache) refresh(key string, old *figureEntry, compute func(ctx context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	c.mu.Lock()
	next := old.next
	c.mu.Unlock()
	next.value, next.err = compute(ctx)
	c.mu.Lock()
	if next.err == nil && c.entries[key] == old {
		c.entries[key] = next
	}
	old.next = nil
	c.mu.Unlock()
	close(next.ready)
}

// lapse marks every answer, and every computation under way, as made before a change.
func (c *figureCache) lapse() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		e.lapsed = true
		if e.next != nil {
			e.next.lapsed = true
		}
	}
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
			if now.Sub(old.made) >= c.staleLimit() {
				delete(c.entries, k)
			}
		default:
		}
	}
}
