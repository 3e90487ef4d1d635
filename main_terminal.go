package main

import (
	"io"
	"os"
)

// isTerminal reports whether w is a terminal a person reads: logs are text there and
// JSON elsewhere, and the import command draws a progress bar there and writes plain
// lines elsewhere.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && fileIsTerminal(f)
}

// logFormatFor is the log format a process uses: the one LOG_FORMAT names, or, when it
// names none, text for a person at a terminal and JSON for a collector.
func logFormatFor(setting string, terminal bool) string {
	switch {
	case setting != "":
		return setting
	case terminal:
		return "text"
	}
	return "json"
}
