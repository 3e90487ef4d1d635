package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The quick start's conventions, which README.md states beside it:
//   - the section runs from the heading "## Quick start" to the next "## " heading;
//   - its ```sh blocks run in order, as one bash script, except a block whose preceding
//     line is a comment beginning "<!-- not run" (make run: the test serves by itself);
//   - a line "# Expect NNN: why" makes the curl command on the next line expect that
//     status; every other curl must answer 2xx.
const (
	quickStartHeading = "## Quick start"
	notRunMarker      = "<!-- not run"
)

var expectLine = regexp.MustCompile(`^# Expect ([1-5][0-9][0-9])\b`)

// quickStartScript is the quick start of readme as the body of a bash script.
func quickStartScript(readme string) (string, error) {
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == quickStartHeading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", errors.New("README.md has no " + quickStartHeading + " section")
	}
	var script []string
	inBlock, skip, expect := false, false, ""
	previous := ""
	for i := start; i < len(lines); i++ {
		l := lines[i]
		switch {
		case !inBlock && strings.HasPrefix(l, "## "):
			i = len(lines) // the next section
		case !inBlock && strings.TrimSpace(l) == "```sh":
			inBlock, skip = true, strings.HasPrefix(strings.TrimSpace(previous), notRunMarker)
		case inBlock && strings.TrimSpace(l) == "```":
			inBlock = false
			if expect != "" {
				return "", fmt.Errorf("README.md line %d: %q is not followed by a curl command", i, "# Expect "+expect)
			}
		case inBlock && !skip:
			if m := expectLine.FindStringSubmatch(l); m != nil {
				expect = m[1]
				script = append(script, l)
				continue
			}
			if expect != "" {
				if !strings.HasPrefix(l, "curl ") {
					return "", fmt.Errorf("README.md line %d: %q is not followed by a curl command", i+1, "# Expect "+expect)
				}
				l = "CURL_EXPECT=" + expect + " " + l
				expect = ""
			}
			script = append(script, l)
		}
		if strings.TrimSpace(l) != "" {
			previous = l
		}
	}
	if inBlock {
		return "", errors.New("README.md: the quick start's last code block is not closed")
	}
	if len(script) == 0 {
		return "", errors.New("README.md: the quick start has no ```sh block to run")
	}
	return strings.Join(script, "\n") + "\n", nil
}

func TestQuickStartScriptFollowsTheConventions(t *testing.T) {
	t.Parallel()
	readme := strings.Join([]string{
		"# x", "## Quick start", "<!-- not run by the test -->", "```sh", "make run", "```",
		"text", "```sh", "A=1", "# Expect 403: not yours", "curl -s x \\", "  -H y", "```",
		"```json", "{}", "```", "## Next", "```sh", "after", "```"}, "\n")
	got, err := quickStartScript(readme)
	want := "A=1\n# Expect 403: not yours\nCURL_EXPECT=403 curl -s x \\\n  -H y\n"
	if err != nil || got != want {
		t.Fatalf("script %q (%v), want %q", got, err, want)
	}
	for _, bad := range []string{
		"## Quick start\n```sh\n# Expect 404\nbin/cyberskills x\n```\n",
		"## Quick start\n```sh\ncurl x\n",
		"## Quick start\ntext\n",
		"# no section\n",
	} {
		if _, err := quickStartScript(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
