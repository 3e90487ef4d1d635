package api

import (
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
			v, err := c.get("k", func() (any, error) {
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
		c.get("bad", func() (any, error) { fails++; return nil, errors.New("boom") })
	}
	off := newFigureCache(0)
	n := 0
	for i := 0; i < 2; i++ {
		off.get("k", func() (any, error) { n++; return n, nil })
	}
	if fails != 2 || n != 2 {
		t.Fatalf("failures computed %d times, uncached %d times; want 2 and 2", fails, n)
	}
}
