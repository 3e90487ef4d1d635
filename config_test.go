package main

import (
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
			for _, k := range []string{"DB_MAX_OPEN_CONNS", "DB_MAX_IDLE_CONNS", "DB_CONN_MAX_IDLE_TIME"} {
				t.Setenv(k, tc.env[k])
			}
			cfg, err := loadConfig()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.db.MaxOpenConns != tc.wantOpen || cfg.db.MaxIdleConns != tc.wantIdle || cfg.db.ConnMaxIdleTime != tc.wantIdleTime {
				t.Fatalf("open %d idle %d idle time %s, want %d %d %s", cfg.db.MaxOpenConns, cfg.db.MaxIdleConns,
					cfg.db.ConnMaxIdleTime, tc.wantOpen, tc.wantIdle, tc.wantIdleTime)
			}
		})
	}
}
