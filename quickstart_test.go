package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
)

// scriptPrelude runs before the quick start: it stops at the first failure, and makes
// curl fail on any answer but a 2xx (or, after "# Expect NNN", on any but NNN) while
// still printing the answer, as a reader sees it.
const scriptPrelude = `set -euo pipefail
curl() {
	local out code
	out=$(command curl -sS -w '\n%{http_code}' "$@") || return
	code=${out##*$'\n'}
	printf '%s\n' "${out%$'\n'*}"
	if [ -n "${CURL_EXPECT:-}" ]; then
		[ "$code" = "$CURL_EXPECT" ] || { echo "quick start: HTTP $code, the README expects $CURL_EXPECT" >&2; return 1; }
	else
		case $code in 2??) ;; *) echo "quick start: HTTP $code is not a 2xx" >&2; return 1 ;; esac
	fi
}
trap 'printf "\\n$ %s\\n" "$BASH_COMMAND" >&2' DEBUG
`

// TestQuickStart runs README.md's quick start, command by command, against a server of
// its own: the test binary serving a fresh database as of TEST_NOW on a free port. The
// commands run in a folder laid out as the repository's root: bin/cyberskills is the
// test binary as the command (with the suite's clock), scripts/pg.sh answers `url` with
// the test's database, examples/ is the repository's. localhost:8080 becomes the
// server's address. Any command that fails, or any curl whose status is not a 2xx or
// the one the README says to expect, fails the test with the whole transcript.
func TestQuickStart(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewURL(t)
	t.Logf("the quick start's transcript (go test -v shows it):\n%s", runQuickStart(t, dbURL))
}

// runQuickStart runs README.md's quick start against a server of its own (the test
// binary serving dbURL's database, stopped when the test ends) and returns the
// transcript; it skips the test where curl is missing and fails it when a command fails.
func runQuickStart(t *testing.T, dbURL string) string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("the quick start needs curl")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	script, err := quickStartScript(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "TEST_NOW="+clocktest.Now().Format(time.RFC3339Nano), "LOG_FORMAT=json")
	addr, serverLog := startServer(t, self, env)
	root := quickStartRoot(t, self, dbURL)

	cmd := exec.Command("bash", "-c", scriptPrelude+strings.ReplaceAll(script, "localhost:8080", addr))
	cmd.Dir = root
	cmd.Env = append(env, "HOME="+root)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case err = <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		err = fmt.Errorf("still running after 3 minutes: %w", <-done)
	}
	if err != nil {
		t.Fatalf("the quick start failed (%v, %s):\n%s\n--- server log ---\n%s", err, clocktest.Describe(), out.String(), serverLog())
	}
	return out.String()
}

// startServer runs `cyberskills serve` (the test binary, as the command) on a free
// loopback port and returns its address, and its log for failure messages; the server
// is stopped with SIGTERM when the test ends.
func startServer(t *testing.T, self string, env []string) (addr string, log func() string) {
	t.Helper()
	cmd := exec.Command(self, "serve")
	cmd.Env = append(env, asCommand+"=1", "LISTEN_ADDR=127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logged bytes.Buffer
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		lines.Buffer(make([]byte, 1<<20), 1<<20)
		for lines.Scan() {
			mu.Lock()
			logged.Write(append(lines.Bytes(), '\n'))
			mu.Unlock()
			var entry struct{ Msg, Addr string }
			if json.Unmarshal(lines.Bytes(), &entry) == nil && strings.HasPrefix(entry.Msg, "listening") && entry.Addr != "" {
				found <- entry.Addr
			}
		}
	}()
	log = func() string { mu.Lock(); defer mu.Unlock(); return logged.String() }
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		stopped := make(chan struct{})
		go func() { _ = cmd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-stopped
		}
	})
	select {
	case addr = <-found:
	case <-time.After(time.Minute):
		t.Fatalf("the server did not start within a minute:\n%s", log())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the server at %s is not ready (%v):\n%s", addr, err, log())
	} else {
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return addr, log
}

// quickStartRoot is a folder laid out as the repository's root for the quick start's
// commands: bin/cyberskills runs self as the command, scripts/pg.sh names the test's
// database, examples/ is the repository's.
func quickStartRoot(t *testing.T, self, dbURL string) string {
	t.Helper()
	root := t.TempDir()
	examples, err := filepath.Abs("examples")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"bin/cyberskills": fmt.Sprintf("#!/bin/sh\n%s=1 exec %s \"$@\"\n", asCommand, shellQuote(self)),
		"scripts/pg.sh":   fmt.Sprintf("#!/bin/sh\n[ \"$1\" = url ] || { echo \"pg.sh: the quick-start test answers url only\" >&2; exit 1; }\necho %s\n", shellQuote(dbURL)),
	}
	for name, content := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(examples, filepath.Join(root, "examples")); err != nil {
		t.Fatal(err)
	}
	return root
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
