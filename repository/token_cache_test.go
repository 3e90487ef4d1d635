package repository_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

func listeningCache(t *testing.T, ttl time.Duration) (*repository.DB, *repository.TokenCache) {
	t.Helper()
	db, url := pgtest.NewURL(t)
	c := repository.NewTokenCache(db, ttl)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Listen(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	if !clocktest.Eventually(5*time.Second, 5*time.Millisecond, c.Listening) {
		t.Fatal("the token cache did not start listening")
	}
	return db, c
}

// eventually polls until f returns nil or the deadline passes.
func eventually(t *testing.T, within time.Duration, f func() error) {
	t.Helper()
	var err error
	if !clocktest.Eventually(within, 10*time.Millisecond, func() bool { err = f(); return err == nil }) {
		t.Fatal(err)
	}
}

// A revocation made elsewhere (the command line, another server) reaches a warm cache
// through the database's notification, not after the cache's lifetime.
func TestTokenCacheForgetsTokensChangedElsewhere(t *testing.T) {
	t.Parallel()
	db, cache := listeningCache(t, time.Hour)
	ctx := context.Background()
	now := clocktest.Now()
	tok, secret, err := db.CreateToken(ctx, models.NewToken{Name: "hr", Role: models.RoleAnalyst}, now)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // warm
		if _, err := cache.Authenticate(ctx, secret, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.RevokeToken(ctx, tok.ID, now); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, func() error {
		if _, err := cache.Authenticate(ctx, secret, now); err != repository.ErrTokenRevoked {
			return err // nil while still cached: keep polling
		}
		return nil
	})
}

// The cache does answer from memory: a change the database does not announce (here a
// secret replaced behind the service's back) is not seen until the entry lapses.
func TestTokenCacheAnswersFromMemoryUntilItsEntryLapses(t *testing.T) {
	t.Parallel()
	db, cache := listeningCache(t, 2*time.Second)
	ctx := context.Background()
	now := clocktest.Now()
	tok, secret, err := db.CreateToken(ctx, models.NewToken{Name: "analyst", Role: models.RoleAnalyst}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Authenticate(ctx, secret, now); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE api_tokens SET hash = sha256(hash) WHERE id = $1`, tok.ID)
	if p, err := cache.Authenticate(ctx, secret, now); err != nil || p.TokenID != tok.ID {
		t.Fatalf("within its lifetime the cached entry should answer: %+v %v", p, err)
	}
	eventually(t, 5*time.Second, func() error {
		if _, err := cache.Authenticate(ctx, secret, now); err != repository.ErrTokenUnknown {
			return err
		}
		return nil
	})
}

// An entry never outlives the token's own expiry, judged by the service's clock: a second
// after it the cached token is refused though the cache's own lifetime (an hour) runs on.
func TestTokenCacheHonoursExpiry(t *testing.T) {
	t.Parallel()
	db, cache := listeningCache(t, time.Hour)
	ctx := context.Background()
	now := clocktest.Now()
	_, secret, err := db.CreateToken(ctx, models.NewToken{Name: "short", Role: models.RoleAnalyst, ExpiresIn: time.Second}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Authenticate(ctx, secret, now); err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Authenticate(ctx, secret, now.Add(time.Second)); err != repository.ErrTokenExpired {
		t.Fatalf("after expiry: %v, want %v", err, repository.ErrTokenExpired)
	}
}
