package service

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cyberskills/models/clocktest"
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

// A lapsed answer is served while one recomputation runs in the background; past the
// stale limit askers wait for that recomputation, and with none running, compute afresh.
func TestFigureCacheServesLapsedAnswerWhileRecomputing(t *testing.T) {
	t.Parallel()
	ttl := time.Second // long enough for the steps below to land in their windows
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
	// get fails the test instead of hanging when an asker waits for the held recomputation.
	get := func() int {
		got := make(chan int, 1)
		go func() {
			v, _ := c.get(ctx, "k", compute)
			got <- v.(int)
		}()
		select {
		case v := <-got:
			return v
		case <-time.After(5 * time.Second):
			t.Fatal("an asker waited for the recomputation instead of taking the lapsed answer")
			return 0
		}
	}
	if v := get(); v != 1 {
		t.Fatalf("first answer %v, want 1", v)
	}
	time.Sleep(ttl + ttl/10)
	for range 5 {
		if v := get(); v != 1 {
			t.Fatalf("while recomputing: %v, want the previous answer", v)
		}
	}
	time.Sleep(ttl / 2) // past the stale limit, the recomputation still held
	waited := make(chan any, 1)
	go func() {
		v, _ := c.get(ctx, "k", compute)
		waited <- v
	}()
	close(release)
	if v := <-waited; v.(int) != 2 {
		t.Fatalf("past the stale limit: %v, want the recomputation's answer (2)", v)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("computed %d times, want 2 (one recomputation for all the askers)", n)
	}
	time.Sleep(c.staleLimit() + ttl/10)
	if v, _ := c.get(ctx, "k", compute); v.(int) != 3 {
		t.Fatalf("past the stale limit with nothing recomputing: %v, want a fresh computation (3)", v)
	}
}

// A change announced by the database lapses every answer, however young: the next asker
// gets the previous answer while one recomputation runs, and the askers after it the
// new one. A computation under way when the change comes lapses too.
func TestFigureCacheLapsesOnChange(t *testing.T) {
	t.Parallel()
	c := newFigureCache(time.Hour)
	ctx := context.Background()
	var calls atomic.Int32
	compute := func(context.Context) (any, error) { return int(calls.Add(1)), nil }
	if v, _ := c.get(ctx, "k", compute); v.(int) != 1 {
		t.Fatalf("first answer %v", v)
	}
	c.lapse()
	if v, _ := c.get(ctx, "k", compute); v.(int) != 1 {
		t.Fatalf("the first asker after a change: %v, want the previous answer while it is recomputed", v)
	}
	if !clocktest.Eventually(5*time.Second, time.Millisecond, func() bool { v, _ := c.get(ctx, "k", compute); return v.(int) == 2 }) {
		t.Fatal("the recomputation after the change never replaced the answer")
	}
	if v, _ := c.get(ctx, "k", compute); v.(int) != 2 || calls.Load() != 2 {
		t.Fatalf("after the recomputation: %v after %d computations, want 2 after 2", v, calls.Load())
	}

	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan any)
	go func() {
		v, _ := c.get(ctx, "slow", func(context.Context) (any, error) { close(started); <-release; return "before", nil })
		done <- v
	}()
	<-started
	c.lapse()
	close(release)
	<-done
	v, _ := c.get(ctx, "slow", func(context.Context) (any, error) { return "after", nil })
	if v != "before" {
		t.Fatalf("the first asker after the computation: %v, want its answer while it is recomputed", v)
	}
	if !clocktest.Eventually(5*time.Second, time.Millisecond, func() bool {
		v, _ := c.get(ctx, "slow", func(context.Context) (any, error) { return "after", nil })
		return v == "after"
	}) {
		t.Fatal("an answer computed across a change was kept as current")
	}
}
