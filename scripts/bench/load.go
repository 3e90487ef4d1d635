//go:build bench

package main

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// result is what one scenario measured.
type result struct {
	Name       string
	Requests   uint64
	Throughput float64 // successful requests per second
	P50, P99   time.Duration
	Success    float64 // share of 2xx answers
	Rows       int     // for imports: rows loaded
	RowsPerSec float64
	FloorP50   time.Duration // the same SQL through pgbench (psql), for reads
	// For reads, latency at half the saturation throughput: what a client sees when the
	// server is busy but not overloaded (at saturation, p99 is mostly queueing).
	PacedRate          int     // offered
	PacedThroughput    float64 // achieved
	PacedP50, PacedP99 time.Duration
	MaxRSSKiB          int64
	CPU, PacedCPU      cpuSplit // cores used while the full-speed and the fixed-rate runs went
	Note               string
}

// attack drives targets at a fixed rate (requests per second), or as fast as workers
// allow when rate is 0, for duration, and summarises the latencies. At a fixed rate the
// attacker adds clients while requests are outstanding, up to maxWorkers.
func attack(name string, targeter vegeta.Targeter, rate int, workers, maxWorkers uint64, duration time.Duration) result {
	// A zero frequency is vegeta's unlimited rate, bounded by the workers.
	pacer := vegeta.ConstantPacer{Freq: rate, Per: time.Second}
	if rate == 0 {
		maxWorkers = workers
	}
	opts := []func(*vegeta.Attacker){vegeta.Workers(workers), vegeta.MaxWorkers(maxWorkers), vegeta.KeepAlive(true), vegeta.Timeout(30 * time.Second)}
	a := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	var errs []string
	before := readCPU()
	for res := range a.Attack(targeter, pacer, duration, name) {
		m.Add(res)
		if res.Code >= 300 && len(errs) < 3 {
			errs = append(errs, fmt.Sprintf("%d %s", res.Code, truncate(string(res.Body), 200)))
		}
	}
	m.Close()
	r := result{Name: name, Requests: m.Requests, Throughput: m.Throughput, P50: m.Latencies.P50, P99: m.Latencies.P99,
		Success: m.Success, CPU: readCPU().since(before)}
	if len(errs) > 0 {
		r.Note = "errors: " + fmt.Sprint(errs)
	}
	return r
}

// withPaced adds what a fixed-rate run of the same scenario measured.
func (r result) withPaced(rate int, paced result) result {
	r.PacedRate, r.PacedThroughput, r.PacedP50, r.PacedP99 = rate, paced.Throughput, paced.P50, paced.P99
	r.PacedCPU = paced.CPU
	return r
}

// roundRobin cycles through a fixed set of requests.
func roundRobin(targets []vegeta.Target) vegeta.Targeter {
	return vegeta.NewStaticTargeter(targets...)
}

func target(method, url, token string, body []byte, contentType string) vegeta.Target {
	h := http.Header{"Authorization": []string{"Bearer " + token}}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return vegeta.Target{Method: method, URL: url, Header: h, Body: body}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	i := int(float64(len(d)-1) * p)
	return d[i]
}
