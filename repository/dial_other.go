//go:build !linux

package repository

import (
	"net"
	"time"
)

// setUserTimeout does nothing where TCP_USER_TIMEOUT does not exist; keepalive and the
// per-operation watch still bound a dead connection.
func setUserTimeout(*net.TCPConn, time.Duration) error { return nil }
