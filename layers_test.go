package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependenciesPointOneWay: api -> service -> repository -> models, as README
// "Architecture" states. models (and its sub-packages) imports neither SQL nor HTTP (the
// one exception: database/sql/driver, for models.Date to be stored as a PostgreSQL date);
// service imports no HTTP; repository imports neither the service nor HTTP. Test files
// are not checked: a test may reach across.
func TestDependenciesPointOneWay(t *testing.T) {
	http := []string{"net/http", "github.com/gin-gonic/gin", "cyberskills/api"}
	sql := []string{"database/sql", "github.com/lib/pq", "github.com/jmoiron/sqlx"}
	for _, layer := range []struct {
		dir       string
		forbidden []string
	}{
		{"models", slices.Concat(http, sql, []string{"cyberskills/service", "cyberskills/repository"})},
		{"service", http},
		{"repository", slices.Concat(http, []string{"cyberskills/service"})},
	} {
		checked := 0
		err := filepath.WalkDir(layer.dir, func(dir string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" {
				return err
			}
			pkg, err := build.ImportDir(dir, 0)
			if _, none := err.(*build.NoGoError); none {
				return nil
			} else if err != nil {
				return err
			}
			checked++
			for _, imp := range pkg.Imports {
				if imp == "database/sql/driver" && layer.dir == "models" {
					continue // models.Date's Value
				}
				for _, f := range layer.forbidden {
					if imp == f || strings.HasPrefix(imp, f+"/") {
						t.Errorf("%s imports %s", dir, imp)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if checked == 0 {
			t.Errorf("no package found under %s", layer.dir)
		}
	}
}
