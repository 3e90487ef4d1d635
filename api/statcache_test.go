package api

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFigureCacheComputesOnceAndExpires(t *testing.T) {
	t.Parallel()
	c := newFigureCache(time.Hour)
	var calls atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.get(context.Background(), "k", func(context.Context) (any, error) {
				calls.Add(1)
				time.Sleep(20 * time.Millisecond) // keep others waiting on the same computation
				return 42, nil
			})
			if err != nil || v.(int) != 42 {
				t.Errorf("got %v, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("computed %d times, want once", calls.Load())
	}
	// Errors are not kept; a zero lifetime never caches.
	fails := 0
	for i := 0; i < 2; i++ {
		c.get(context.Background(), "bad", func(context.Context) (any, error) { fails++; return nil, errors.New("boom") })
	}
	off := newFigureCache(0)
	n := 0
	for i := 0; i < 2; i++ {
		off.get(context.Background(), "k", func(context.Context) (any, error) { n++; return n, nil })
	}
	if fails != 2 || n != 2 {
		t.Fatalf("failures computed %d times, uncached %d times; want 2 and 2", fails, n)
	}
}

// A lapsed answer is served while one recomputation runs in the background; an answer
// past the stale limit is never served.
func TestFigureCacheServesLapsedAnswerWhileRecomputing(t *testing.T) {
	t.Parallel()
	ttl := 40 * time.Millisecond
	c := newFigureCache(ttl)
	ctx := context.Background()
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func(context.Context) (any, error) {
		n := calls.Add(1)
		if n == 2 {
			<-release // the background recomputation takes its time
		}
		return int(n), nil
	}
	if v, _ := c.get(ctx, "k", compute); v.(int) != 1 {
		t.Fatalf("first answer %v, want 1", v)
	}
	time.Sleep(ttl + 10*time.Millisecond)
	for i := 0; i < 5; i++ {
		start := time.Now()
		v, err := c.get(ctx, "k", compute)
		if err != nil || v.(int) != 1 || time.Since(start) > 20*time.Millisecond {
			t.Fatalf("while recomputing: %v %v after %v, want the previous answer at once", v, err, time.Since(start))
		}
	}
	close(release)
	deadline := time.Now().Add(2 * time.Second)
	for {
		v, _ := c.get(ctx, "k", compute)
		if v.(int) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the recomputed answer never replaced the lapsed one (%v)", v)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("computed %d times, want 2 (one recomputation for all the askers)", n)
	}
	time.Sleep(staleLimit*ttl + 10*time.Millisecond)
	if v, _ := c.get(ctx, "k", compute); v.(int) != 3 {
		t.Fatalf("past the stale limit: %v, want a fresh computation (3)", v)
	}
}
