package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// A request in flight when shutdown begins is finished, not cut: here a staff import
// whose file is still arriving. The server stops taking connections at once, and stops
// only after the import has answered.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type) VALUES ('DR1', 'Drain', 'trust')`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, addrc := make(chan error, 1), make(chan string, 1)
	go func() { done <- e.srv.ListenAndServe(ctx, func(a net.Addr) { addrc <- a.String() }) }()
	addr := <-addrc

	body, file := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/organisations/DR1/staff/import", body)
	req.Header.Set("Authorization", "Bearer "+e.admin())
	req.Header.Set("Content-Type", "text/csv")
	answered := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("the in-flight import failed: %v", err)
			close(answered)
			return
		}
		answered <- resp
	}()
	const sent = "external_id,start_date\nP1,2024-01-01\nP2,2024-02-01\n" // in two parts
	fmt.Fprint(file, sent[:strings.Index(sent, "P2")])
	// Wait for the server to be serving the import (the scrape counts itself too).
	for inFlight(t, e) < 2 {
		time.Sleep(5 * time.Millisecond)
	}

	cancel() // shutdown begins while the file is still arriving
	stopped := clocktest.Eventually(5*time.Second, 10*time.Millisecond, func() bool {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return true // no longer listening
		}
		c.Close()
		return false
	})
	if !stopped {
		t.Fatal("still taking connections after shutdown began")
	}
	select {
	case err := <-done:
		t.Fatalf("stopped with a request in flight: %v", err)
	default:
	}

	fmt.Fprint(file, sent[strings.Index(sent, "P2"):])
	file.Close()
	resp, ok := <-answered
	if !ok {
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkWire(t, req, []byte(sent), resp, answer)
	var report models.ImportReport
	if err := json.Unmarshal(answer, &report); err != nil || resp.StatusCode != http.StatusOK || report.Inserted != 2 {
		t.Fatalf("the import: %d %+v %v, want 200 with two inserted", resp.StatusCode, report, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("shutdown returned %v", err)
	}
}

// inFlight reads the server's gauge of requests being served.
func inFlight(t *testing.T, e *testEnv) int {
	t.Helper()
	for _, line := range strings.Split(e.request("GET", "/metrics", nil).expect(200).Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "cyberskills_http_requests_in_flight "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
	}
	t.Fatal("no cyberskills_http_requests_in_flight in the metrics")
	return 0
}
