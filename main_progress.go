package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"cyberskills/models"
)

// progressView shows an import's progress: on a terminal one line redrawn in place, with
// a bar; elsewhere (a log, a pipe) a plain line when something worth a line changes (the
// phase), and otherwise every few seconds.
type progressView struct {
	w        io.Writer
	terminal bool
	mu       sync.Mutex
	shown    string    // the line last drawn (terminal) or the stage last written (plain)
	line     string    // the plain line last written
	at       time.Time // when it was written, or redrawn
}

// plainEvery is how often a plain line repeats a phase that goes on.
const plainEvery = 5 * time.Second

func newProgressView(w io.Writer, terminal bool) *progressView {
	return &progressView{w: w, terminal: terminal}
}

// upload shows the file being sent.
func (v *progressView) upload(sent, total int64) {
	v.show("uploading", uploadLine(sent, total), sent == total)
}

// job shows a job's progress.
func (v *progressView) job(j models.Job) {
	v.show(string(j.State)+"/"+string(j.Phase), jobLine(j), j.State.Finished())
}

// note writes a line of its own (a retry, say).
func (v *progressView) note(s string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.terminal && v.shown != "" {
		fmt.Fprint(v.w, "\r\033[K")
	}
	fmt.Fprintln(v.w, s)
	v.shown = ""
}

// finish ends the line a terminal was redrawing.
func (v *progressView) finish() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.terminal && v.shown != "" {
		fmt.Fprintln(v.w)
		v.shown = ""
	}
}

// show draws line for the stage it belongs to; final marks the stage's last line.
func (v *progressView) show(stage, line string, final bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := time.Now() // the display's own pace, not a date anything is decided by
	if v.terminal {
		if line == v.shown || (!final && now.Sub(v.at) < 100*time.Millisecond) {
			return
		}
		fmt.Fprint(v.w, "\r\033[K"+line)
		v.shown, v.at = line, now
		return
	}
	if stage != v.shown || (final && line != v.line) || now.Sub(v.at) >= plainEvery {
		fmt.Fprintln(v.w, line)
		v.shown, v.line, v.at = stage, line, now
	}
}

// uploadLine describes an upload: a bar, the share sent and the sizes.
func uploadLine(sent, total int64) string {
	f := 1.0
	if total > 0 {
		f = float64(sent) / float64(total)
	}
	return fmt.Sprintf("uploading  %s %3.0f%%  %s of %s", bar(f, 24), 100*f, bytesText(sent), bytesText(total))
}

// jobLine describes a job: its phase, a bar while the file is read, the rows read,
// checked and applied, the rate and the time left.
func jobLine(j models.Job) string {
	p := j.Progress
	var b strings.Builder
	fmt.Fprintf(&b, "job %d  %-9s", j.ID, phaseName(j))
	if j.Phase == models.PhaseReading && p.BytesTotal != nil && *p.BytesTotal > 0 {
		f := float64(p.BytesRead) / float64(*p.BytesTotal)
		fmt.Fprintf(&b, " %s %3.0f%%", bar(f, 24), 100*f)
	}
	fmt.Fprintf(&b, "  %s rows read, %s checked, %s applied", count(p.RowsRead), count(p.RowsChecked), count(p.RowsApplied))
	switch {
	case j.Phase == models.PhaseReading && j.RowsPerSecond != nil:
		fmt.Fprintf(&b, "  %s rows/s", count(int(*j.RowsPerSecond)))
		if j.SecondsLeft != nil {
			fmt.Fprintf(&b, "  about %s left", seconds(*j.SecondsLeft))
		}
	case j.StartedAt != nil:
		fmt.Fprintf(&b, "  %s", seconds(j.Seconds))
	}
	return b.String()
}

// seconds writes a time in whole seconds: 3s, 2m5s.
func seconds(s float64) string {
	return (time.Duration(s*float64(time.Second)) + time.Second/2).Truncate(time.Second).String()
}

// phaseName is the phase a person reads: what the job is doing, or how it ended.
func phaseName(j models.Job) string {
	if j.State.Finished() || j.State == models.JobQueued {
		return string(j.State)
	}
	return string(j.Phase)
}

// bar is a progress bar of width cells, f of them filled.
func bar(f float64, width int) string {
	f = min(max(f, 0), 1)
	n := int(f*float64(width) + 0.5)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

// bytesText writes a size in bytes, kB, MB or GB.
func bytesText(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// count writes a whole number with thousands separated: 1,234,567.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
