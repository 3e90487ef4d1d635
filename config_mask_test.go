package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/lib/pq"

	"cyberskills/models/clocktest"
	"cyberskills/models/logtest"
	"cyberskills/repository"
)

// configVars are every setting README's configuration table lists.
var configVars = []string{
	"DATABASE_URL", "LISTEN_ADDR", "LOG_LEVEL", "LOG_FORMAT",
	"DB_MAX_OPEN_CONNS", "DB_MAX_IDLE_CONNS", "DB_CONN_MAX_LIFETIME", "DB_CONN_MAX_IDLE_TIME", "DB_STATEMENT_TIMEOUT",
	"DB_CONNECT_TIMEOUT", "DB_KEEPALIVE", "DB_TCP_USER_TIMEOUT",
	"REQUEST_TIMEOUT", "IMPORT_TIMEOUT", "SHUTDOWN_TIMEOUT", "BODY_LIMIT", "IMPORT_BODY_LIMIT",
	"RATE_LIMIT", "RATE_BURST", "SWEEP_INTERVAL", "REFRESH_INTERVAL", "STATISTICS_CACHE", "ASSURANCE_REFRESH_INTERVAL",
	"ASSURANCE_STATISTICS_TIMEOUT", "TOKEN_CACHE",
	"DEFAULT_PASS_RATE", "LEADER_POLL", "LEADER_LEASE", "DATABASE_REPLICA_URL", "REPLICA_MAX_LAG", "REPLICA_CHECK_INTERVAL",
	"DASHBOARD_SESSION_IDLE", "DASHBOARD_SESSION_LIFETIME", "DASHBOARD_SECURE_COOKIE",
}

// cleanConfigEnv unsets every setting for the test (an empty value reads as unset), so
// that only what the test sets is in force.
func cleanConfigEnv(t *testing.T) {
	t.Helper()
	for _, k := range configVars {
		t.Setenv(k, "")
	}
}

// configFrom loads the configuration from env alone: the configuration's other
// variables are unset.
func configFrom(t *testing.T, env map[string]string) (config, error) {
	t.Helper()
	cleanConfigEnv(t)
	for k, v := range env {
		t.Setenv(k, v)
	}
	return loadConfig()
}

// loadedConfig is configFrom for an environment that must load.
func loadedConfig(t *testing.T, env map[string]string) config {
	t.Helper()
	cfg, err := configFrom(t, env)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const testSecret = "S3cretPw-7q"

// startupLine renders the start-up configuration line as serve writes it.
func startupLine(t *testing.T, dsn, format string) string {
	t.Helper()
	cfg := config{db: repository.Config{URL: dsn}, logLevel: slog.LevelInfo, logFormat: format}
	var buf bytes.Buffer
	newLogger(cfg, &buf).Info("configuration", cfg.logAttrs()...)
	return buf.String()
}

// TestStartupLogMasksDatabasePassword renders the configuration line for each form of
// DATABASE_URL: a URL keeps everything but its password, which becomes xxxxx (in the
// user info or in a password query parameter); a key=value DSN with a password is not
// shown at all; a DSN without a password is shown as is. The secret never appears, in
// JSON or in text format.
func TestStartupLogMasksDatabasePassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, dsn, want string }{
		{"url with password", "postgres://app:" + testSecret + "@db.example:5432/cyberskills?sslmode=disable",
			"postgres://app:xxxxx@db.example:5432/cyberskills?sslmode=disable"},
		{"postgresql url with password", "postgresql://app:" + testSecret + "@db/cs",
			"postgresql://app:xxxxx@db/cs"},
		{"url with password parameter", "postgres://app@db/cs?password=" + testSecret + "&sslmode=require",
			"postgres://app@db/cs?password=xxxxx&sslmode=require"},
		{"url with both", "postgres://app:" + testSecret + "@db/cs?password=" + testSecret,
			"postgres://app:xxxxx@db/cs?password=xxxxx"},
		{"url without password", "postgres://app@db:6543/cs?sslmode=disable",
			"postgres://app@db:6543/cs?sslmode=disable"},
		{"key=value with password", "host=/var/run/pg port=6543 user=app password=" + testSecret + " dbname=cs",
			"(set; key=value form with a password, not shown)"},
		{"key=value with quoted password", "host=db user=app password='" + testSecret + " x' dbname=cs",
			"(set; key=value form with a password, not shown)"},
		{"key=value without password", "host=/var/run/pg port=6543 user=app dbname=cs",
			"host=/var/run/pg port=6543 user=app dbname=cs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			line := startupLine(t, tc.dsn, "json")
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("the start-up line is not one JSON object: %q: %v", line, err)
			}
			if rec["msg"] != "configuration" || rec["level"] != "INFO" {
				t.Fatalf("line %q, want an INFO configuration line", line)
			}
			if got := rec["database_url"]; got != tc.want {
				t.Errorf("database_url %q, want %q", got, tc.want)
			}
			if text := startupLine(t, tc.dsn, "text"); strings.Contains(line, testSecret) || strings.Contains(text, testSecret) {
				t.Errorf("the password leaks into the start-up log:\njson: %s\ntext: %s", line, text)
			}
		})
	}
}

// TestServeLogsMaskedConfigurationFirst runs the serve command itself against a port
// where nothing listens: it logs the configuration once, masked, before connecting, and
// neither that line, any later line nor the error it stops with holds the password.
func TestServeLogsMaskedConfigurationFirst(t *testing.T) {
	for _, tc := range []struct{ name, dsn, want string }{
		{"url", "postgres://app:" + testSecret + "@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
			"postgres://app:xxxxx@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"},
		{"key=value", "host=127.0.0.1 port=1 user=app password=" + testSecret + " dbname=none sslmode=disable connect_timeout=2",
			"(set; key=value form with a password, not shown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanConfigEnv(t)
			t.Setenv("DATABASE_URL", tc.dsn)
			t.Setenv("DB_MAX_OPEN_CONNS", "3")
			old := slog.Default()
			t.Cleanup(func() { slog.SetDefault(old) }) // serve installs its logger as the default
			var stdout, stderr logtest.Buffer
			err := run([]string{"serve"}, clocktest.Clock{}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "connect to database") {
				t.Fatalf("serve against a closed port: %v, want a connection error", err)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("the error shows the password: %v", err)
			}
			out := stderr.String()
			if strings.Contains(out, testSecret) || strings.Contains(stdout.String(), testSecret) {
				t.Fatalf("the password leaks into the log:\n%s", out)
			}
			var configLines []map[string]any
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var rec map[string]any
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					t.Fatalf("log line %q is not JSON (LOG_FORMAT defaults to json): %v", sc.Text(), err)
				}
				if rec["msg"] == "configuration" {
					configLines = append(configLines, rec)
				}
			}
			if len(configLines) != 1 {
				t.Fatalf("%d configuration lines, want exactly one:\n%s", len(configLines), out)
			}
			c := configLines[0]
			if c["database_url"] != tc.want {
				t.Errorf("database_url %q, want %q", c["database_url"], tc.want)
			}
			// The other settings are logged with their defaults and what the test set.
			if c["db_max_open_conns"] != float64(3) || c["db_max_idle_conns"] != float64(3) || c["listen_addr"] != ":8080" ||
				c["db_statement_timeout"] != "10s" || c["log_format"] != "json" || c["default_pass_rate"] != 0.8 {
				t.Errorf("configuration line %v does not show the settings in force", c)
			}
		})
	}
}

// TestStartupLogMasksPasswordOfEveryDSN covers DATABASE_URL values that the masking
// does not recognise. "password = x" (spaces around =) is a key=value DSN that lib/pq
// accepts, so the service connects with it; a URL whose password has an unescaped / or #
// does not parse, and is then logged raw. README: "logged once at start, with secrets
// masked".
func TestStartupLogMasksPasswordOfEveryDSN(t *testing.T) {
	t.Parallel()
	spaced := "host=db user=app password = " + testSecret + " dbname=cs"
	if pc, err := pq.NewConfig(spaced); err != nil || pc.Password != testSecret {
		t.Fatalf("lib/pq reads %q as password %q (%v), want %q: the case below would be moot", spaced, pc.Password, err, testSecret)
	}
	for _, tc := range []struct{ name, dsn string }{
		{"key=value with spaces around =", spaced},
		{"url with unescaped slash in password", "postgres://app:" + testSecret + "/x@db/cs"},
		{"url with unescaped hash in password", "postgres://app:" + testSecret + "#x@db/cs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if line := startupLine(t, tc.dsn, "json"); strings.Contains(line, testSecret) {
				t.Errorf("the password leaks into the start-up log: %s", line)
			}
		})
	}
}

// TestLoadConfigRefusesBadValues: a malformed or out-of-range setting stops start-up with
// an error that names the variable and what it must be; every bad setting is named at
// once; and the command stops on it before it needs a database.
func TestLoadConfigRefusesBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, []string{"LOG_FORMAT must be json or text"}},
		{"log level", map[string]string{"LOG_LEVEL": "verbose"}, []string{"LOG_LEVEL must be debug, info, warn or error"}},
		{"pass rate above 1", map[string]string{"DEFAULT_PASS_RATE": "1.5"}, []string{"DEFAULT_PASS_RATE must be between 0 and 1"}},
		{"negative pass rate", map[string]string{"DEFAULT_PASS_RATE": "-0.2"}, []string{"DEFAULT_PASS_RATE must be a non-negative number"}},
		{"pass rate not a number", map[string]string{"DEFAULT_PASS_RATE": "eighty"}, []string{"DEFAULT_PASS_RATE must be a non-negative number"}},
		{"negative pool size", map[string]string{"DB_MAX_OPEN_CONNS": "-5"}, []string{"DB_MAX_OPEN_CONNS must be a whole number"}},
		{"fractional body limit", map[string]string{"BODY_LIMIT": "1.5"}, []string{"BODY_LIMIT must be a whole number"}},
		{"negative rate limit", map[string]string{"RATE_LIMIT": "-1"}, []string{"RATE_LIMIT must be a non-negative number"}},
		{"negative duration", map[string]string{"REQUEST_TIMEOUT": "-1s"}, []string{"REQUEST_TIMEOUT must be a duration such as 500ms, 10s or 5m"}},
		{"duration without unit", map[string]string{"DB_STATEMENT_TIMEOUT": "5"}, []string{"DB_STATEMENT_TIMEOUT must be a duration such as 500ms, 10s or 5m"}},
		{"lease shorter than three polls", map[string]string{"LEADER_POLL": "2s", "LEADER_LEASE": "5s"},
			[]string{"LEADER_LEASE at least three times LEADER_POLL"}},
		{"no poll", map[string]string{"LEADER_POLL": "0"}, []string{"LEADER_POLL must be positive"}},
		{"no replica check", map[string]string{"REPLICA_CHECK_INTERVAL": "0"}, []string{"REPLICA_CHECK_INTERVAL must be positive"}},
		{"several at once", map[string]string{"LOG_FORMAT": "yaml", "RATE_BURST": "-3", "SWEEP_INTERVAL": "hourly"},
			[]string{"LOG_FORMAT must be json or text", "RATE_BURST must be a whole number", "SWEEP_INTERVAL must be a duration"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configFrom(t, tc.env)
			if err == nil {
				t.Fatalf("loadConfig accepted %v", tc.env)
			}
			if !strings.HasPrefix(err.Error(), "configuration: ") {
				t.Errorf("error %q does not start with \"configuration: \"", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if got, want := strings.Count(err.Error(), ";")+1, len(tc.want); got != want {
				t.Errorf("error %q names %d problems, want %d", err, got, want)
			}
			// serve, migrate and token stop on it before asking for DATABASE_URL.
			old := slog.Default()
			t.Cleanup(func() { slog.SetDefault(old) })
			var out logtest.Buffer
			if err := run([]string{"serve"}, clocktest.Clock{}, &out, &out); err == nil || !strings.Contains(err.Error(), tc.want[0]) {
				t.Errorf("serve with %v: %v, want the configuration error", tc.env, err)
			}
		})
	}
}

// TestLoadConfigAcceptsBoundaryValues: the edges of the valid ranges load.
func TestLoadConfigAcceptsBoundaryValues(t *testing.T) {
	cfg, err := configFrom(t, map[string]string{
		"LOG_FORMAT": "text", "LOG_LEVEL": "warn", "DEFAULT_PASS_RATE": "1", "RATE_LIMIT": "0",
		"SWEEP_INTERVAL": "0", "STATISTICS_CACHE": "0", "TOKEN_CACHE": "0",
	})
	if err != nil {
		t.Fatalf("valid boundary values refused: %v", err)
	}
	if cfg.logFormat != "text" || cfg.logLevel != slog.LevelWarn || cfg.rules.DefaultPassRate != 1 || cfg.http.RateLimit != 0 ||
		cfg.sweepInterval != 0 || cfg.rules.StatisticsTTL != 0 || cfg.tokenCacheTTL != 0 {
		t.Fatalf("loaded %+v", cfg)
	}
	t.Setenv("DEFAULT_PASS_RATE", "0")
	if cfg, err := loadConfig(); err != nil || cfg.rules.DefaultPassRate != 0 {
		t.Fatalf("DEFAULT_PASS_RATE=0: %v, %v", cfg.rules.DefaultPassRate, err)
	}
}

// TestLoadConfigRefusesNonNumericPassRate: NaN and Inf parse as floats but are not pass
// rates between 0 and 1; a NaN rate would reach projections (and JSON) as NaN.
func TestLoadConfigRefusesNonNumericPassRate(t *testing.T) {
	for _, v := range []string{"NaN", "Inf"} {
		t.Run(v, func(t *testing.T) {
			cleanConfigEnv(t)
			t.Setenv("DEFAULT_PASS_RATE", v)
			if cfg, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "DEFAULT_PASS_RATE") {
				t.Fatalf("DEFAULT_PASS_RATE=%s: loaded %v, err %v; want an error naming DEFAULT_PASS_RATE", v, cfg.rules.DefaultPassRate, err)
			}
		})
	}
}

// TestHelpWorksWithAMalformedEnvironment: help (and -h, --help) prints the usage and
// succeeds before the configuration is read, so that it still helps when the
// configuration is what is wrong; the same environment stops every other command.
func TestHelpWorksWithAMalformedEnvironment(t *testing.T) {
	env := map[string]string{"LOG_FORMAT": "yaml", "DB_MAX_OPEN_CONNS": "many", "DATABASE_URL": "%%not a url"}
	if _, err := configFrom(t, env); err == nil {
		t.Fatalf("loadConfig accepted %v: the test proves nothing", env)
	}
	for _, arg := range []string{"help", "-h", "--help"} {
		var stdout, stderr bytes.Buffer
		if err := run([]string{arg}, clocktest.Clock{}, &stdout, &stderr); err != nil {
			t.Errorf("%s with a malformed environment: %v", arg, err)
		}
		if stdout.String() != usage || stderr.Len() != 0 {
			t.Errorf("%s printed %q and %q, want the usage on stdout alone", arg, stdout.String(), stderr.String())
		}
	}
	var out bytes.Buffer
	if err := run([]string{"migrate", "status"}, clocktest.Clock{}, &out, &out); err == nil || !strings.Contains(err.Error(), "LOG_FORMAT") {
		t.Errorf("migrate status with a malformed environment: %v, want the configuration error", err)
	}
}
