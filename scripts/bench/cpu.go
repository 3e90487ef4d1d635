//go:build bench

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The server, PostgreSQL and this load generator share the machine's cores, so a
// scenario's figures depend on how the CPU was split between them. A cpuSplit says how,
// from the kernel's accounting (Linux /proc); elsewhere it stays empty.
type cpuSplit struct {
	// Cores busy on average (1.0 is one core for the whole run) in the server, PostgreSQL,
	// this load generator, and anything else: other processes, and kernel time that no
	// process is charged with (interrupts, and on some virtual machines waking idle cores).
	Server, DB, Load, Other float64
}

func (c cpuSplit) String() string {
	if c == (cpuSplit{}) {
		return ""
	}
	return fmt.Sprintf("server %.2f, db %.2f, load %.2f, other %.2f", c.Server, c.DB, c.Load, c.Other)
}

// cpuTimes is the CPU time used so far by each party; PostgreSQL's per process, since
// backends come and go.
type cpuTimes struct {
	at                 time.Time
	busy, server, load time.Duration // busy: the whole machine's non-idle time
	db                 map[int]time.Duration
}

// serverPID is the process measured as the server; 0 turns the accounting off.
var serverPID int

func readCPU() cpuTimes {
	t := cpuTimes{at: time.Now(), db: map[int]time.Duration{}}
	if serverPID <= 0 {
		return t
	}
	t.busy = machineBusy()
	t.server = processCPU(serverPID)
	var self syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) == nil {
		t.load = time.Duration(self.Utime.Nano() + self.Stime.Nano())
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if comm, err := os.ReadFile(d + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			pid, _ := strconv.Atoi(filepath.Base(d))
			t.db[pid] = processCPU(pid)
		}
	}
	return t
}

// since is the split of the CPU used between an earlier reading and this one.
// PostgreSQL backends that ended in between are not counted; the server keeps its
// connections open, so that loses little.
func (t cpuTimes) since(earlier cpuTimes) cpuSplit {
	wall := t.at.Sub(earlier.at).Seconds()
	if serverPID <= 0 || wall <= 0 {
		return cpuSplit{}
	}
	var db time.Duration
	for pid, used := range t.db {
		db += used - earlier.db[pid] // a backend started in between counts from zero
	}
	share := func(used time.Duration) float64 { return max(0, used.Seconds()/wall) }
	server, load := t.server-earlier.server, t.load-earlier.load
	return cpuSplit{Server: share(server), DB: share(db), Load: share(load),
		Other: share(t.busy - earlier.busy - server - db - load)}
}

// processCPU reads a process's user and system time from /proc/PID/stat.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces; the fields after it are fixed.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// processStarted reads when a process started from /proc/PID/stat (in clock ticks after
// boot) and /proc/stat (the boot, in whole seconds); ok is false where it cannot.
func processStarted(pid int) (started time.Time, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if pid <= 0 || err != nil {
		return time.Time{}, false
	}
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for _, line := range strings.Split(string(stat), "\n") {
		if rest, found := strings.CutPrefix(line, "btime "); found {
			boot, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			return time.Unix(boot, 0).Add(time.Duration(ticks) * time.Second / clockTicks), true
		}
	}
	return time.Time{}, false
}

// machineBusy reads the time all cores spent not idle from /proc/stat.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, f := range fields[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc CPU times: 100 on Linux.
const clockTicks = 100
