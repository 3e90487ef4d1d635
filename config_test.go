package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestConfigPoolKeepsIdleConnections checks the pool defaults: idle connections follow
// the pool's size unless set, so a burst's connections are reused, not reopened.
func TestConfigPoolKeepsIdleConnections(t *testing.T) {
	for _, tc := range []struct {
		name               string
		env                map[string]string
		wantOpen, wantIdle int
		wantIdleTime       time.Duration
	}{
		{"defaults", nil, 20, 20, 5 * time.Minute},
		{"idle follows the pool", map[string]string{"DB_MAX_OPEN_CONNS": "8"}, 8, 8, 5 * time.Minute},
		{"idle set", map[string]string{"DB_MAX_OPEN_CONNS": "8", "DB_MAX_IDLE_CONNS": "2", "DB_CONN_MAX_IDLE_TIME": "0"}, 8, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadedConfig(t, tc.env)
			if cfg.db.MaxOpenConns != tc.wantOpen || cfg.db.MaxIdleConns != tc.wantIdle || cfg.db.ConnMaxIdleTime != tc.wantIdleTime {
				t.Fatalf("open %d idle %d idle time %s, want %d %d %s", cfg.db.MaxOpenConns, cfg.db.MaxIdleConns,
					cfg.db.ConnMaxIdleTime, tc.wantOpen, tc.wantIdle, tc.wantIdleTime)
			}
		})
	}
}

// TestConfigDatabaseTimeouts: the settings that bound a sick database connection have
// defaults, can be changed or switched off (0), are logged, and a malformed one is
// refused by name.
func TestConfigDatabaseTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		env                          map[string]string
		connect, keepAlive, userTime time.Duration
	}{
		{"defaults", nil, 5 * time.Second, 15 * time.Second, 30 * time.Second},
		{"set", map[string]string{"DB_CONNECT_TIMEOUT": "1500ms", "DB_KEEPALIVE": "5s", "DB_TCP_USER_TIMEOUT": "12s"},
			1500 * time.Millisecond, 5 * time.Second, 12 * time.Second},
		{"off", map[string]string{"DB_CONNECT_TIMEOUT": "0", "DB_KEEPALIVE": "0", "DB_TCP_USER_TIMEOUT": "0"}, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadedConfig(t, tc.env)
			if cfg.db.ConnectTimeout != tc.connect || cfg.db.KeepAlive != tc.keepAlive || cfg.db.TCPUserTimeout != tc.userTime {
				t.Fatalf("connect %s keepalive %s user timeout %s, want %s %s %s", cfg.db.ConnectTimeout, cfg.db.KeepAlive,
					cfg.db.TCPUserTimeout, tc.connect, tc.keepAlive, tc.userTime)
			}
			attrs := map[string]any{}
			for i := 0; i+1 < len(cfg.logAttrs()); i += 2 {
				attrs[cfg.logAttrs()[i].(string)] = cfg.logAttrs()[i+1]
			}
			if attrs["db_connect_timeout"] != tc.connect.String() || attrs["db_keepalive"] != tc.keepAlive.String() ||
				attrs["db_tcp_user_timeout"] != tc.userTime.String() {
				t.Fatalf("the start-up line shows %v %v %v", attrs["db_connect_timeout"], attrs["db_keepalive"], attrs["db_tcp_user_timeout"])
			}
		})
	}
	for _, k := range []string{"DB_CONNECT_TIMEOUT", "DB_KEEPALIVE", "DB_TCP_USER_TIMEOUT"} {
		t.Run("bad "+k, func(t *testing.T) {
			cleanConfigEnv(t)
			t.Setenv(k, "5")
			if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), k+" must be a duration") {
				t.Fatalf("%s=5: %v, want the variable named", k, err)
			}
		})
	}
}

// TestConfigLeadershipAndReplica: leadership moves on its defaults (a poll of a second,
// a lease of five) unless set; the background tasks' locks take the same lease; the
// replica is off unless its URL is set, and its password is masked in the start-up line.
func TestConfigLeadershipAndReplica(t *testing.T) {
	cfg := loadedConfig(t, nil)
	if cfg.leadership.Poll != time.Second || cfg.leadership.Lease != 5*time.Second || cfg.db.TaskLease != 5*time.Second {
		t.Fatalf("leadership %+v, task lease %s", cfg.leadership, cfg.db.TaskLease)
	}
	if cfg.replicaURL != "" || cfg.replica.MaxLag != 5*time.Second || cfg.replica.Check != 500*time.Millisecond {
		t.Fatalf("replica %q %+v", cfg.replicaURL, cfg.replica)
	}
	cfg = loadedConfig(t, map[string]string{"LEADER_POLL": "200ms", "LEADER_LEASE": "600ms",
		"DATABASE_REPLICA_URL": "postgres://app:" + testSecret + "@standby/cs", "REPLICA_MAX_LAG": "30s"})
	if cfg.leadership.Poll != 200*time.Millisecond || cfg.db.TaskLease != 600*time.Millisecond || cfg.replica.MaxLag != 30*time.Second {
		t.Fatalf("set: leadership %+v, task lease %s, replica %+v", cfg.leadership, cfg.db.TaskLease, cfg.replica)
	}
	var buf bytes.Buffer
	newLogger(cfg, &buf).Info("configuration", cfg.logAttrs()...)
	if line := buf.String(); strings.Contains(line, testSecret) || !strings.Contains(line, "postgres://app:xxxxx@standby/cs") {
		t.Fatalf("the start-up line shows the replica as: %s", line)
	}
}

// TestConfigJobOwner: a server owns its jobs under its host and listen address, which its
// next start recognises; servers on ports chosen at start (":0") would all share one
// such name on a host, so each keeps the default (host and process) instead.
func TestConfigJobOwner(t *testing.T) {
	host, _ := os.Hostname()
	if got := loadedConfig(t, map[string]string{"LISTEN_ADDR": ":8081"}).jobRules().Instance; got != host+" :8081" {
		t.Fatalf("owner on :8081 is %q, want %q", got, host+" :8081")
	}
	if got := loadedConfig(t, map[string]string{"LISTEN_ADDR": "127.0.0.1:0"}).jobRules().Instance; got != "" {
		t.Fatalf("owner on a port chosen at start is %q, want the default", got)
	}
}

// TestConfigDashboard: the dashboard's session limits and cookie setting have defaults,
// can be set, and a bad one is refused by name.
func TestConfigDashboard(t *testing.T) {
	cfg := loadedConfig(t, nil)
	if d := cfg.http.Dashboard; d.Sessions.Idle != 8*time.Hour || d.Sessions.Lifetime != 12*time.Hour || d.SecureCookie != "auto" {
		t.Fatalf("defaults %+v", d)
	}
	cfg = loadedConfig(t, map[string]string{"DASHBOARD_SESSION_IDLE": "30m", "DASHBOARD_SESSION_LIFETIME": "4h", "DASHBOARD_SECURE_COOKIE": "always"})
	if d := cfg.http.Dashboard; d.Sessions.Idle != 30*time.Minute || d.Sessions.Lifetime != 4*time.Hour || d.SecureCookie != "always" {
		t.Fatalf("set %+v", d)
	}
	for k, v := range map[string]string{"DASHBOARD_SECURE_COOKIE": "sometimes", "DASHBOARD_SESSION_IDLE": "0", "DASHBOARD_SESSION_LIFETIME": "soon"} {
		if _, err := configFrom(t, map[string]string{k: v}); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v, want the variable named", k, v, err)
		}
	}
}
