//go:build bench

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"cyberskills/repository"
)

// assuranceWait bounds the wait for the server's first national assurance figures: the
// leader's computation takes 34 to 60 s at NHS scale on two shared cores.
const assuranceWait = 10 * time.Minute

// assuranceStatistics reads the national assurance figures of trusts in the three forms
// a client asks for: by region, national only, and as CSV by ICB. Each request reads the
// same stored row and differs only in what the server builds from it; the floor is that
// read. The load waits for this server's first stored result, so that it neither meets
// 503s nor shares the cores with the leader's computation.
func (b *bench) assuranceStatistics() (readQuery, error) {
	base := b.url + "/api/v1/statistics/assurance"
	targets := []vegeta.Target{
		target("GET", base+"?group_by=region", b.f.analyst, nil, ""),
		target("GET", base, b.f.analyst, nil, ""),
		target("GET", base+"?group_by=icb&format=csv", b.f.analyst, nil, ""),
	}
	note, err := b.awaitAssurance(base + "?group_by=region")
	if err != nil {
		return readQuery{}, err
	}
	// The floor is a request that finds the generation it read before (every request but
	// a server's first of each generation): one small row, the stored organisations not
	// read.
	stored, err := b.db.AssuranceResult(b.ctx, "trust", 0)
	if err != nil {
		return readQuery{}, err
	}
	sql, args := repository.AssuranceResultSQL("trust", stored.Generation)
	note += fmt.Sprintf(", generation %d", stored.Generation)
	return readQuery{targets: targets, statements: []string{sql}, args: args, note: note}, nil
}

// awaitAssurance asks for url once a second until it answers 200 with a result stored
// after the server started (its leader computes every type when it takes leadership; an
// earlier result is served meanwhile), for at most assuranceWait, and says how long that
// took and how long the computation took.
func (b *bench) awaitAssurance(url string) (string, error) {
	started, known := processStarted(serverPID)
	since := started
	if known {
		since = started.Add(-time.Second) // the boot time it is counted from is whole seconds
	}
	client := &http.Client{Timeout: 30 * time.Second}
	begin := time.Now()
	last := "no answer yet"
	for time.Since(begin) < assuranceWait {
		status, st, body, err := b.getAssurance(client, url)
		switch {
		case err != nil:
			last = err.Error()
		case status == http.StatusOK && (!known || !st.ComputedAt.Before(since)):
			note := fmt.Sprintf("waited %.1f s for the first stored result (as of %s, computed in %.1f s", time.Since(begin).Seconds(),
				st.AsOf.UTC().Format(time.TimeOnly), st.ComputedAt.Sub(st.AsOf).Seconds())
			if known {
				note += fmt.Sprintf(", stored %.1f s after the server started", st.ComputedAt.Sub(started).Seconds())
			}
			return note + ")", nil
		case status == http.StatusOK:
			last = "200 with a result stored before the server started, at " + st.ComputedAt.Format(time.RFC3339)
		case status == http.StatusServiceUnavailable:
			last = "503"
		default:
			return "", fmt.Errorf("waiting for the first stored result: status %d: %s", status, body)
		}
		time.Sleep(time.Second)
	}
	return "", fmt.Errorf("no stored result after %s (the last answer: %s)", assuranceWait, last)
}

// storedAssurance is what the wait reads of an answer.
type storedAssurance struct {
	AsOf       time.Time `json:"as_of"`
	ComputedAt time.Time `json:"computed_at"`
}

// getAssurance asks for url once: the status, the answer's instants when it is 200, and
// the start of any other answer's body.
func (b *bench) getAssurance(client *http.Client, url string) (int, storedAssurance, string, error) {
	var st storedAssurance
	t := target("GET", url, b.f.analyst, nil, "")
	req, err := t.Request()
	if err != nil {
		return 0, st, "", err
	}
	resp, err := client.Do(req.WithContext(b.ctx))
	if err != nil {
		return 0, st, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp.StatusCode, st, truncate(string(body), 300), err
	}
	return resp.StatusCode, st, "", json.Unmarshal(body, &st)
}
