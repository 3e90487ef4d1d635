//go:build !(linux || darwin || freebsd)

package repository

// closedByPeer cannot peek at the socket here; a stale connection is then found by the
// first statement sent on it.
func (c *netConn) closedByPeer() bool { return false }
