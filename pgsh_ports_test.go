package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pgShFunctions is the source of the named functions of scripts/pg.sh, to run alone: the
// script itself would run a command.
func pgShFunctions(t *testing.T, names ...string) string {
	t.Helper()
	script, err := os.ReadFile("scripts/pg.sh")
	if err != nil {
		t.Fatal(err)
	}
	src := string(script)
	var functions strings.Builder
	for _, name := range names {
		start := strings.Index(src, "\n"+name+"() {")
		if start < 0 {
			t.Fatalf("scripts/pg.sh has no %s function", name)
		}
		start++
		end := strings.Index(src[start:], "\n") + 1 // a one-line function
		if !strings.HasSuffix(src[start:start+end], "}\n") {
			end = strings.Index(src[start:], "\n}\n") + 3
		}
		if end < 3 {
			t.Fatalf("scripts/pg.sh: %s has no end", name)
		}
		functions.WriteString(src[start : start+end])
	}
	return functions.String()
}

// kernelRange writes an ip_local_port_range file saying the kernel's ephemeral range.
func kernelRange(t *testing.T, lowHigh string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ip_local_port_range")
	if err := os.WriteFile(file, []byte(lowHigh+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestPgShPicksPortsOutsideTheEphemeralRange runs scripts/pg.sh's port_range on the
// ephemeral ranges kernels are configured with: the port it picks from lies outside the
// range, so no outgoing connection can be holding it, and a range that leaves nothing
// outside (1024-65535) still gives ports to try rather than an empty range.
func TestPgShPicksPortsOutsideTheEphemeralRange(t *testing.T) {
	t.Parallel()
	function := pgShFunctions(t, "port_range")
	for _, c := range []struct{ kernel, want string }{
		{"32768\t60999", "10000 32767"}, // Linux's default
		{"49152 65535", "10000 49151"},  // IANA's range, as BSDs and Windows use
		{"1024 9999", "10000 65535"},    // low: above it
		{"1024 65535", "10000 65535"},   // everything: nothing outside, any port to try
		{"10500 65535", "10000 65535"},  // too little below, nothing above
	} {
		out, err := exec.Command("bash", "-c", function+"\nport_range \"$1\"", "bash", kernelRange(t, c.kernel)).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.want {
			t.Errorf("ephemeral range %q: port_range says %q (%v), want %q", c.kernel, got, err, c.want)
		}
	}
}

// TestPgShMovesAClusterOffAPortInTheEphemeralRange runs scripts/pg.sh's cluster_port,
// which picks the port `pg.sh start` starts a cluster on, with the kernel's ephemeral
// range at 20000-60999 (so pg.sh picks from 10000 to 19999). A cluster keeps the port it
// saved while that port lies outside the range and is free, so its DATABASE_URL stays
// valid; a port saved inside the range (a cluster older than the range, or than pg.sh's
// keeping clear of it) or taken by another process is given up for a fresh one outside
// the range, as a new cluster gets, and pg.sh says so.
func TestPgShMovesAClusterOffAPortInTheEphemeralRange(t *testing.T) {
	t.Parallel()
	const lo, hi = 10000, 19999
	script := pgShFunctions(t, "die", "port_range", "port_free", "free_port", "cluster_port") + `
eval "kernel_$(declare -f port_range)"
port_range() { kernel_port_range "$RANGE_FILE"; }
cluster_port "$1"`
	rangeFile := kernelRange(t, "20000 60999")
	// Two ports pg.sh may pick, one held by a listener of this test, one free.
	var taken net.Listener
	free := 0
	for p := hi; p >= lo && (taken == nil || free == 0); p-- {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		if taken == nil {
			taken = l
			continue
		}
		l.Close()
		free = p
	}
	if taken == nil || free == 0 {
		t.Fatalf("no two loopback ports to bind between %d and %d", lo, hi)
	}
	defer taken.Close()
	takenPort := taken.Addr().(*net.TCPAddr).Port

	for _, c := range []struct {
		name  string
		saved int // 0: no port saved (a new cluster)
		keeps bool
	}{
		{"a free port outside the range", free, true},
		{"a port inside the range", 30000, false},
		{"a port taken by another process", takenPort, false},
		{"no port yet", 0, false},
	} {
		home := t.TempDir()
		if c.saved != 0 {
			if err := os.WriteFile(filepath.Join(home, "port"), []byte(strconv.Itoa(c.saved)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command("bash", "-c", script, "bash", home)
		cmd.Env = append(os.Environ(), "RANGE_FILE="+rangeFile)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		port, convErr := strconv.Atoi(strings.TrimSpace(stdout.String()))
		switch {
		case err != nil || convErr != nil:
			t.Errorf("%s: cluster_port says %q (%v), stderr %q", c.name, stdout.String(), err, stderr.String())
		case c.keeps && (port != c.saved || stderr.Len() != 0):
			t.Errorf("%s (%d): cluster_port picks %d, saying %q; want the saved port, silently", c.name, c.saved, port, stderr.String())
		case !c.keeps && (port == c.saved || port == takenPort || port < lo || port > hi):
			t.Errorf("%s (%d): cluster_port picks %d; want a free port from %d to %d", c.name, c.saved, port, lo, hi)
		case !c.keeps && c.saved != 0 && !strings.Contains(stderr.String(), "moving to another"):
			t.Errorf("%s (%d): cluster_port moves to %d without saying so: %q", c.name, c.saved, port, stderr.String())
		}
	}
}
