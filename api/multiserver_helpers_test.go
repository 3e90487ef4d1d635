package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cyberskills/models/clocktest"
)

// The multi-server tests run the real binary, built once per test run with the e2e tag
// (whose clock is E2E_NOW, set to the suite's instant), as separate processes on one
// database, so that leadership can be lost the ways a process loses it: killed, frozen.

var serverBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// builtServer returns the path of the server binary, building it on first use.
func builtServer(t *testing.T) string {
	t.Helper()
	serverBinary.once.Do(func() {
		serverBinary.dir, serverBinary.err = os.MkdirTemp("", "cyberskills-server-")
		if serverBinary.err != nil {
			return
		}
		serverBinary.path = filepath.Join(serverBinary.dir, "cyberskills")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "e2e", "-o", serverBinary.path, "cyberskills")
		if out, err := cmd.CombinedOutput(); err != nil {
			serverBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if serverBinary.err != nil {
		t.Fatal(serverBinary.err)
	}
	return serverBinary.path
}

// removeServerBinary deletes the built binary; TestMain calls it after the run.
func removeServerBinary() {
	if serverBinary.dir != "" {
		os.RemoveAll(serverBinary.dir)
	}
}

// serverProcess is one running server.
type serverProcess struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	logs logCapture
	done chan struct{} // closed when the process has exited
}

// startServer runs `cyberskills serve` on the database at url, on a port of its own, with
// env added to the environment, and waits until it listens.
func startServer(t *testing.T, name, url string, env ...string) *serverProcess {
	t.Helper()
	p := &serverProcess{t: t, name: name, done: make(chan struct{})}
	p.cmd = exec.Command(builtServer(t), "serve")
	p.cmd.Env = append(os.Environ(), append([]string{"DATABASE_URL=" + url, "LISTEN_ADDR=127.0.0.1:0", "LOG_FORMAT=json",
		"LOG_LEVEL=info", "E2E_NOW=" + clocktest.Now().Format(time.RFC3339Nano), "DATABASE_REPLICA_URL="}, env...)...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Bytes()
			p.logs.Write(append(append([]byte(nil), line...), '\n'))
			var ev struct{ Msg, Addr string }
			if json.Unmarshal(line, &ev) == nil && strings.HasPrefix(ev.Msg, "listening") {
				listening <- ev.Addr
			}
		}
	}()
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.signal(syscall.SIGCONT)
		p.signal(syscall.SIGKILL)
		<-p.done
		if t.Failed() {
			t.Logf("log of server %s:\n%s", p.name, p.logs.String())
		}
	})
	select {
	case addr := <-listening:
		p.base = "http://" + addr
	case <-p.done:
		t.Fatalf("server %s exited before listening:\n%s", name, p.logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("server %s did not listen within a minute:\n%s", name, p.logs.String())
	}
	return p
}

// signal sends sig to the process unless it has exited.
func (p *serverProcess) signal(sig syscall.Signal) {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Signal(sig)
	}
}

// kill ends the process with SIGKILL and waits for it.
func (p *serverProcess) kill() {
	p.signal(syscall.SIGKILL)
	<-p.done
}

var processClient = &http.Client{Timeout: 10 * time.Second}

// send makes one request of the process, body (when not nil) as JSON, and validates the
// exchange against the description as every API test's is (contract_test.go).
func (p *serverProcess) send(token, method, path string, body any, headers ...string) *response {
	p.t.Helper()
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			p.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, p.base+path, bytes.NewReader(data))
	if err != nil {
		p.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := processClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s on server %s: %v", method, path, p.name, err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return &response{checkWire(p.t, req, data, res, answer), p.t}
}

// metric reads one sample of the process's metrics (0 when it is not there yet, as a
// counter nothing has counted).
func (p *serverProcess) metric(sample string) float64 {
	p.t.Helper()
	v, _ := metricValue(p.send("", "GET", "/metrics", nil).expect(200).Body.Bytes(), sample)
	return v
}

// leading reads whether the process says it leads.
func (p *serverProcess) leading() bool { return p.metric("cyberskills_leader") == 1 }

// flushes is how many flushes the process has run.
func (p *serverProcess) flushes() float64 {
	return p.metric(`cyberskills_background_runs_total{outcome="ok",task="flush"}`)
}

// sweeps is how many sweeps the process has run.
func (p *serverProcess) sweeps() float64 {
	return p.metric(`cyberskills_background_runs_total{outcome="ok",task="sweep"}`)
}

// assuranceRounds is how many rounds of the assurance figures' computation the process
// has run (each computes what is due, often nothing).
func (p *serverProcess) assuranceRounds() float64 {
	return p.metric(`cyberskills_background_runs_total{outcome="ok",task="assurance"}`)
}

// within polls cond until it holds and returns how long that took, failing the test
// after d.
func within(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	elapsed := clocktest.Elapsed()
	if !clocktest.Eventually(d, 20*time.Millisecond, cond) {
		t.Fatalf("not within %s: %s", d, what)
	}
	return elapsed()
}

// oneLeader waits until exactly one of servers leads, and returns it.
func oneLeader(t *testing.T, d time.Duration, servers ...*serverProcess) *serverProcess {
	t.Helper()
	var leader *serverProcess
	within(t, d, "exactly one server leads", func() bool {
		leader = nil
		for _, s := range servers {
			if s.leading() {
				if leader != nil {
					return false
				}
				leader = s
			}
		}
		return leader != nil
	})
	return leader
}
