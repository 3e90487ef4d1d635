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

// DefaultFrameworkCode is the code of the framework loaded on first start, the default
// framework; NICEFrameworkCode is the second built-in framework's.
const (
	DefaultFrameworkCode = "cyber"
	NICEFrameworkCode    = "nice"
)

// defaultStep loads one kind of default data. Each step must be idempotent: it runs on
// every start and must neither fail nor overwrite when its data is already there (an
// administrator may have published newer versions since). It reports whether it loaded
// anything.
type defaultStep struct {
	name string
	load func(ctx context.Context, db *DB) (bool, error)
}

// defaultSteps run in order; later steps may rely on earlier ones (role templates on the
// frameworks' skills, the NICE mapping on both frameworks).
var defaultSteps = []defaultStep{
	{"framework " + DefaultFrameworkCode, func(ctx context.Context, db *DB) (bool, error) {
		return loadFramework(ctx, db, "defaults/framework.json", true)
	}},
	{"framework " + NICEFrameworkCode, func(ctx context.Context, db *DB) (bool, error) {
		return loadFramework(ctx, db, "defaults/nice-framework.json", false)
	}},
	{"role templates", loadDefaultRoles},
	{"NICE work role templates", loadNICERoles},
	{"NICE mapping", loadNICEMapping},
	{"capability targets", loadDefaultTargets},
	{"training needs analysis", loadDefaultAssurance},
}

// DefaultLoaded says what one step of LoadDefaultsReport did.
type DefaultLoaded struct {
	Step   string
	Loaded bool // false: its data was there already, and nothing changed
}

// LoadDefaults loads the default data that is missing. It is safe to run on every start
// and from several processes at once.
func (db *DB) LoadDefaults(ctx context.Context) error {
	_, err := db.LoadDefaultsReport(ctx)
	return err
}

// LoadDefaultsReport is LoadDefaults, saying what each step did: a second run reports
// every step unchanged.
func (db *DB) LoadDefaultsReport(ctx context.Context) ([]DefaultLoaded, error) {
	var out []DefaultLoaded
	for _, s := range defaultSteps {
		loaded, err := s.load(ctx, db)
		if err != nil {
			return out, fmt.Errorf("loading the default %s: %w", s.name, err)
		}
		out = append(out, DefaultLoaded{Step: s.name, Loaded: loaded})
	}
	return out, nil
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
	return embeddedFramework("defaults/framework.json")
}

// NICEFramework is the embedded NICE Framework document, validated.
func NICEFramework() (models.Framework, error) {
	return embeddedFramework("defaults/nice-framework.json")
}

func embeddedFramework(file string) (models.Framework, error) {
	b, err := defaultsFS.ReadFile(file)
	if err != nil {
		return models.Framework{}, err
	}
	var f models.Framework
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("%s: %w", file, err)
	}
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("%s: %v", file, describeFields(err))
	}
	return f, nil
}

// loadFramework creates a built-in framework when its code does not exist, so that
// versions an administrator has published since are never overwritten.
func loadFramework(ctx context.Context, db *DB, file string, isDefault bool) (bool, error) {
	f, err := embeddedFramework(file)
	if err != nil {
		return false, err
	}
	var exists bool
	if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM frameworks WHERE code = $1)`, f.Code); err != nil {
		return false, translate(err)
	}
	if exists {
		return false, nil
	}
	_, err = db.publish(ctx, f.Code, mustCreate, isDefault, given(f))
	if models.ErrorCode(err) == models.ECONFLICT {
		return false, nil // another process loaded it first
	}
	return err == nil, err
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
