package models

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// homePageCases reads testdata/xapi-homepages.tsv: a URL and its normal form, or "!"
// when it has none. The repository's parity test runs the SQL rule on the same table.
func homePageCases(t *testing.T) [][2]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "xapi-homepages.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			in, want, ok := strings.Cut(line, "\t")
			if !ok {
				t.Fatalf("line %q has no tab", line)
			}
			out = append(out, [2]string{in, want})
		}
	}
	if err := sc.Err(); err != nil || len(out) < 50 {
		t.Fatalf("%d cases: %v", len(out), err)
	}
	return out
}

func TestNormalHomePage(t *testing.T) {
	for _, c := range homePageCases(t) {
		got, err := NormalHomePage(c[0])
		switch {
		case c[1] == "!" && err == nil:
			t.Errorf("NormalHomePage(%q) = %q, want a refusal", c[0], got)
		case c[1] != "!" && (err != nil || got != c[1]):
			t.Errorf("NormalHomePage(%q) = %q, %v; want %q", c[0], got, err, c[1])
		case err == nil:
			// The normal form is its own normal form: storing it and matching on it agree.
			if again, err := NormalHomePage(got); err != nil || again != got {
				t.Errorf("NormalHomePage(%q) = %q, %v; want it unchanged", got, again, err)
			}
		}
	}
}

func TestNormalHomePageSaysWhy(t *testing.T) {
	for in, why := range map[string]string{
		"https://lms.example/x?org=T01": "query string",
		"https://lms.example/x#T01":     "fragment",
		"https://user@lms.example/x":    "user name",
		"ftp://lms.example/x":           "http or https",
		"https://lms.example/x%zz":      "escape",
		"https://lmś.example/x":         "DNS name",
		"https://lms.example:70000":     "port",
	} {
		if _, err := NormalHomePage(in); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("NormalHomePage(%q): %v, want it to say %q", in, err, why)
		}
	}
}
