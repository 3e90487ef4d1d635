package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPgShPicksPortsOutsideTheEphemeralRange runs scripts/pg.sh's port_range on the
// ephemeral ranges kernels are configured with: the port it picks from lies outside the
// range, so no outgoing connection can be holding it, and a range that leaves nothing
// outside (1024-65535) still gives ports to try rather than an empty range.
func TestPgShPicksPortsOutsideTheEphemeralRange(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile("scripts/pg.sh")
	if err != nil {
		t.Fatal(err)
	}
	// The function alone: the script itself would run a command.
	src := string(script)
	start := strings.Index(src, "port_range() {")
	end := strings.Index(src[start:], "\n}\n")
	if start < 0 || end < 0 {
		t.Fatal("scripts/pg.sh has no port_range function")
	}
	function := src[start : start+end+3]
	for _, c := range []struct{ kernel, want string }{
		{"32768\t60999", "10000 32767"}, // Linux's default
		{"49152 65535", "10000 49151"},  // IANA's range, as BSDs and Windows use
		{"1024 9999", "10000 65535"},    // low: above it
		{"1024 65535", "10000 65535"},   // everything: nothing outside, any port to try
		{"10500 65535", "10000 65535"},  // too little below, nothing above
	} {
		file := filepath.Join(t.TempDir(), "ip_local_port_range")
		if err := os.WriteFile(file, []byte(c.kernel+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("bash", "-c", function+"\nport_range \"$1\"", "bash", file).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.want {
			t.Errorf("ephemeral range %q: port_range says %q (%v), want %q", c.kernel, got, err, c.want)
		}
	}
}
