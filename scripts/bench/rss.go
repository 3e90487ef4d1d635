//go:build bench

package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// rssSampler reads the server's resident memory five times a second.
type rssSampler struct {
	pid  int
	mu   sync.Mutex
	peak int64
	done chan struct{}
}

func newRSSSampler(pid int) *rssSampler {
	s := &rssSampler{pid: pid, done: make(chan struct{})}
	if pid > 0 {
		go s.loop()
	}
	return s
}

func (s *rssSampler) loop() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if kib := rssKiB(s.pid); kib > 0 {
				s.mu.Lock()
				s.peak = max(s.peak, kib)
				s.mu.Unlock()
			}
		}
	}
}

func (s *rssSampler) reset() {
	s.mu.Lock()
	s.peak = rssKiB(s.pid)
	s.mu.Unlock()
}

func (s *rssSampler) max() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.peak, rssKiB(s.pid))
}

func (s *rssSampler) stop() { close(s.done) }

func rssKiB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmRSS:") {
			var kib int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(sc.Text(), "VmRSS:")), "%d", &kib)
			return kib
		}
	}
	return 0
}
