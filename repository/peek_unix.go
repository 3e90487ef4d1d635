//go:build linux || darwin || freebsd

package repository

import (
	"errors"
	"syscall"
)

// closedByPeer reports whether an idle connection has been closed or written to by the
// server since its last use, without blocking: a peek at the socket. An idle
// PostgreSQL connection receives nothing, so pending bytes mean news such as the FATAL
// message of a terminated session, and an end of stream or an error means it is gone.
// Either way the pool should take another connection before sending anything on it.
func (c *netConn) closedByPeer() bool {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var perr error
	if err := rc.Read(func(fd uintptr) bool {
		var b [1]byte
		_, _, perr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true
	}); err != nil {
		return true
	}
	if errors.Is(perr, syscall.EAGAIN) || errors.Is(perr, syscall.EWOULDBLOCK) {
		return false // nothing to read: the connection is as it was left
	}
	return true // end of stream, an error, or unexpected bytes
}
