package main

import (
	"bytes"
	"os"
	"testing"
)

func TestLogFormatIsTextAtATerminalAndJSONElsewhereUnlessSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		setting  string
		terminal bool
		want     string
	}{
		{"", true, "text"}, {"", false, "json"},
		{"json", true, "json"}, {"text", false, "text"},
	} {
		if got := logFormatFor(tc.setting, tc.terminal); got != tc.want {
			t.Errorf("LOG_FORMAT=%q, terminal %v: %s, want %s", tc.setting, tc.terminal, got, tc.want)
		}
	}
}

func TestPipesAndBuffersAreNoTerminal(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) || isTerminal(&bytes.Buffer{}) {
		t.Error("a pipe or a buffer taken for a terminal")
	}
}
