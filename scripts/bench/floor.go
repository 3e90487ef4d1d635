//go:build bench

package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// floor runs statements through pgbench, the PostgreSQL client the service is compared
// with, for duration with the given clients, and returns the median latency of one
// transaction (all statements once). Arguments replace $n as SQL literals.
func floor(pgbench, dbURL string, statements []string, args []any, clients int, duration time.Duration) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "cyberskills-floor-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	var script strings.Builder
	for _, s := range statements {
		script.WriteString(oneLine(substitute(s, args)))
		script.WriteString(";\n")
	}
	file := filepath.Join(dir, "floor.sql")
	if err := os.WriteFile(file, []byte(script.String()), 0o644); err != nil {
		return 0, err
	}
	cmd := exec.Command(pgbench, "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(clients),
		"-T", strconv.Itoa(int(duration.Seconds())), "-l", "--log-prefix", filepath.Join(dir, "log"), "-f", file, dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pgbench: %v: %s", err, truncate(string(out), 400))
	}
	var lat []time.Duration
	logs, _ := filepath.Glob(filepath.Join(dir, "log*"))
	for _, l := range logs {
		f, err := os.Open(l)
		if err != nil {
			return 0, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 3 {
				if us, err := strconv.ParseInt(fields[2], 10, 64); err == nil {
					lat = append(lat, time.Duration(us)*time.Microsecond)
				}
			}
		}
		f.Close()
	}
	return percentile(lat, 0.5), nil
}

// substitute writes args into a query as literals, $10 before $1.
func substitute(q string, args []any) string {
	for i := len(args); i >= 1; i-- {
		q = strings.ReplaceAll(q, "$"+strconv.Itoa(i), literal(args[i-1]))
	}
	return q
}

func literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int, int64, int32, float64:
		return fmt.Sprint(x)
	case time.Time:
		return "'" + x.Format(time.RFC3339Nano) + "'"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(fmt.Sprint(v), "'", "''") + "'"
}

// oneLine joins a statement's lines, dropping "--" comments first, which would
// otherwise swallow the rest of the statement: pgbench reads one statement per line.
func oneLine(q string) string {
	lines := strings.Split(q, "\n")
	for i, l := range lines {
		if c := strings.Index(l, "--"); c >= 0 {
			lines[i] = l[:c]
		}
	}
	return strings.Join(strings.Fields(strings.Join(lines, "\n")), " ")
}

// explain prints the plan PostgreSQL chose for a read scenario's statements, run once
// with timing and buffer counts: the check that the hot paths use their indexes.
func (b *bench) explain(name string, query func() (readQuery, error)) error {
	q, err := query()
	if err != nil {
		return err
	}
	if q.note != "" {
		fmt.Printf("== %s: %s\n\n", name, q.note)
	}
	for i, s := range q.statements {
		var plan []string
		if err := b.db.SelectContext(b.ctx, &plan, "EXPLAIN (ANALYZE, BUFFERS) "+substitute(s, q.args)); err != nil {
			return err
		}
		fmt.Printf("== %s, statement %d of %d\n%s\n\n", name, i+1, len(q.statements), strings.Join(plan, "\n"))
	}
	return nil
}
