package repository_test

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"cyberskills/migrations"
)

// functionDefinition finds the functions a SQL file defines.
var functionDefinition = regexp.MustCompile(`(?i)CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([a-z_][a-z0-9_]*)\s*\(`)

// TestEveryRedefinedFunctionLivesInOneFile holds the rule of migrations/migrations.go: a
// function that more than one numbered migration defines has changed, so its live
// definition must be a repeatable file, not whichever migration happened to define it last.
func TestEveryRedefinedFunctionLivesInOneFile(t *testing.T) {
	t.Parallel()
	definedBy := map[string][]string{}
	repeatable := map[string]bool{}
	err := fs.WalkDir(migrations.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".sql" {
			return err
		}
		data, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return err
		}
		for _, m := range functionDefinition.FindAllStringSubmatch(string(data), -1) {
			fn := strings.ToLower(m[1])
			switch {
			case strings.HasPrefix(name, "repeatable/"):
				repeatable[fn] = true
			case strings.HasSuffix(name, ".up.sql"):
				definedBy[fn] = append(definedBy[fn], name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var loose []string
	for fn, files := range definedBy {
		if len(unique(files)) > 1 && !repeatable[fn] {
			loose = append(loose, fn+" ("+strings.Join(unique(files), ", ")+")")
		}
	}
	sort.Strings(loose)
	if len(loose) > 0 {
		t.Fatalf("defined by several migrations but by no repeatable file: %s", strings.Join(loose, "; "))
	}
	if !repeatable["training_status"] || !repeatable["workforce_flush"] {
		t.Fatalf("the scan found no repeatable definitions (%v): the pattern is wrong", repeatable)
	}
}

func unique(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
