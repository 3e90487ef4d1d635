package repository

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"cyberskills/models"
)

// tokenChannel is where the database announces changes to tokens (migration 0013).
const tokenChannel = "api_tokens_changed"

// TokenCache answers authentication from memory for tokens it has seen in the last ttl,
// saving a query on every request. It is used only while it listens for changes: a
// revocation, a new expiry or scope, or a changed organisation code anywhere (this
// server, another one, the command line) empties it within milliseconds. While the
// listening connection is down every request goes to the database, so the cache never
// admits a token the database would refuse for longer than a notification takes.
type TokenCache struct {
	db  *DB
	ttl time.Duration

	mu         sync.Mutex
	entries    map[string]cachedPrincipal
	generation uint64 // moves on every change: a lookup begun before it is not kept
	listening  atomic.Bool
}

type cachedPrincipal struct {
	principal models.Principal
	until     time.Time
}

// NewTokenCache returns a cache in front of db.Authenticate; Listen switches it on.
func NewTokenCache(db *DB, ttl time.Duration) *TokenCache {
	return &TokenCache{db: db, ttl: ttl, entries: map[string]cachedPrincipal{}}
}

// Authenticate is DB.Authenticate, from memory when the token was seen lately. How long
// an entry is kept is measured on the machine's clock; whether the token has expired is
// judged as of now, the service's clock, like every business rule.
func (c *TokenCache) Authenticate(ctx context.Context, secret string, now time.Time) (models.Principal, error) {
	if c.ttl <= 0 || !c.listening.Load() {
		return c.db.Authenticate(ctx, secret, now)
	}
	key := string(models.HashToken(secret))
	seen := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	generation := c.generation
	c.mu.Unlock()
	if ok && seen.Before(e.until) && (e.principal.ExpiresAt == nil || e.principal.ExpiresAt.After(now)) {
		return e.principal, nil
	}
	p, err := c.db.Authenticate(ctx, secret, now)
	if err != nil {
		return p, err
	}
	until := seen.Add(c.ttl)
	c.mu.Lock()
	if c.generation == generation && c.listening.Load() {
		if len(c.entries) >= maxCachedTokens {
			clear(c.entries)
		}
		c.entries[key] = cachedPrincipal{principal: p, until: until}
	}
	c.mu.Unlock()
	return p, nil
}

// maxCachedTokens bounds the memory a flood of distinct valid tokens could take.
const maxCachedTokens = 10_000

// Listening reports whether the cache is in use: its change listener is connected.
func (c *TokenCache) Listening() bool { return c.listening.Load() }

// Forget empties the cache.
func (c *TokenCache) Forget() {
	c.mu.Lock()
	clear(c.entries)
	c.generation++
	c.mu.Unlock()
}

// Listen follows the change announcements on its own connection to dsn until ctx ends,
// reconnecting as needed; the cache is in use only while the connection is up.
func (c *TokenCache) Listen(ctx context.Context, dsn string, log *slog.Logger) error {
	return c.db.follow(ctx, dsn, tokenChannel, log, c.Forget, c.listening.Store)
}
