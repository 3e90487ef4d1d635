package middleware

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// RateLimiter keeps one token bucket per API token. Idle buckets are dropped so that
// memory stays bounded however many tokens exist.
type RateLimiter struct {
	limit rate.Limit
	burst int

	mu       sync.Mutex
	buckets  map[int64]*bucket
	lastSwep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewRateLimiter allows perSecond requests per token with bursts of burst.
func NewRateLimiter(perSecond float64, burst int) *RateLimiter {
	if burst < 1 {
		burst = 1
	}
	return &RateLimiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[int64]*bucket{}}
}

// Handler answers 429 with Retry-After when the caller's token is over its rate. It runs
// after authentication; a zero rate disables it.
func (rl *RateLimiter) Handler() gin.HandlerFunc {
	return func(c *gin.Context) {
		if rl.limit <= 0 {
			c.Next()
			return
		}
		r := rl.reserve(PrincipalOf(c).TokenID, time.Now())
		if wait := r.Delay(); wait > 0 {
			r.Cancel()
			c.Header("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
			problem.Error(c, models.Errorf(problem.ERATELIMITED,
				"this token is limited to %g requests per second; retry after %s", float64(rl.limit), wait.Round(time.Millisecond)))
			return
		}
		c.Next()
	}
}

func (rl *RateLimiter) reserve(tokenID int64, now time.Time) *rate.Reservation {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if now.Sub(rl.lastSwep) > time.Minute {
		for id, b := range rl.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(rl.buckets, id)
			}
		}
		rl.lastSwep = now
	}
	b := rl.buckets[tokenID]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rl.limit, rl.burst)}
		rl.buckets[tokenID] = b
	}
	b.seen = now
	return b.lim.ReserveN(now, 1)
}
