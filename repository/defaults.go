package repository

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"cyberskills/models"
)

// defaultsFS holds the data a fresh installation starts with.
//
//go:embed defaults
var defaultsFS embed.FS

// DefaultFrameworkCode is the code of the framework loaded on first start.
const DefaultFrameworkCode = "cyber"

// defaultStep loads one kind of default data. Each step must be idempotent: it runs on
// every start and must neither fail nor overwrite when its data is already there (an
// administrator may have published newer versions since).
type defaultStep struct {
	name string
	load func(ctx context.Context, db *DB) error
}

// defaultSteps run in order; later steps may rely on earlier ones (role templates on the
// default framework's skills, say).
var defaultSteps = []defaultStep{
	{"framework " + DefaultFrameworkCode, loadDefaultFramework},
	{"role templates", loadDefaultRoles},
	{"capability targets", loadDefaultTargets},
}

// LoadDefaults loads the default data that is missing. It is safe to run on every start
// and from several processes at once.
func (db *DB) LoadDefaults(ctx context.Context) error {
	for _, s := range defaultSteps {
		if err := s.load(ctx, db); err != nil {
			return fmt.Errorf("loading the default %s: %w", s.name, err)
		}
	}
	return nil
}

// DefaultsHash identifies the embedded default data, so that test templates built from
// older defaults are not reused.
func DefaultsHash() string {
	h := sha256.New()
	var names []string
	_ = fs.WalkDir(defaultsFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := defaultsFS.ReadFile(n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// DefaultFramework is the embedded default framework document, validated.
func DefaultFramework() (models.Framework, error) {
	b, err := defaultsFS.ReadFile("defaults/framework.json")
	if err != nil {
		return models.Framework{}, err
	}
	var f models.Framework
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("defaults/framework.json: %w", err)
	}
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("defaults/framework.json: %v", describeFields(err))
	}
	return f, nil
}

func loadDefaultFramework(ctx context.Context, db *DB) error {
	f, err := DefaultFramework()
	if err != nil {
		return err
	}
	var exists bool
	if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM frameworks WHERE code = $1)`, f.Code); err != nil {
		return translate(err)
	}
	if exists {
		return nil
	}
	_, err = db.publish(ctx, f.Code, mustCreate, true, given(f))
	if models.ErrorCode(err) == models.ECONFLICT {
		return nil // another process loaded it first
	}
	return err
}

// describeFields spells out a validation error's fields.
func describeFields(err error) string {
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err.Error()
	}
	s := ""
	for i, f := range e.Fields {
		if i > 0 {
			s += "; "
		}
		s += f.Field + ": " + f.Message
	}
	return s
}
