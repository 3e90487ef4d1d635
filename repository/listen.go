package repository

import (
	"context"
	"log/slog"
	"time"

	"github.com/lib/pq"
)

// statisticsChannel is where the database announces changes to what the statistics are
// made of (migration 0026): the gap counts a flush applied, organisations, targets,
// coverage, skills and frameworks.
const statisticsChannel = "statistics_changed"

// FollowStatistics calls changed whenever the database announces a change to what the
// statistics are made of, on any server, and whenever announcements may have been
// missed, until ctx ends; see follow.
func (db *DB) FollowStatistics(ctx context.Context, dsn string, log *slog.Logger, changed func()) error {
	return db.follow(ctx, dsn, statisticsChannel, log, changed, func(bool) {})
}

// follow listens on channel, on a connection of its own to dsn, until ctx ends,
// reconnecting as needed. changed runs on every notification and whenever notifications
// may have been missed: the connection went or came back. up says whether the
// connection listens, so that a cache can stop trusting itself while it does not.
func (db *DB) follow(ctx context.Context, dsn, channel string, log *slog.Logger, changed func(), up func(bool)) error {
	dsn, err := db.listenerDSN(dsn)
	if err != nil {
		return err
	}
	// The pool's dialer: keepalive and TCP_USER_TIMEOUT find a listening connection
	// whose server has vanished, which would otherwise wait for a notification for ever.
	l := pq.NewDialListener(newDialer(db.cfg), dsn, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventReconnected: // listening again (lib/pq re-subscribes first)
			changed() // changes may have been missed while away
			up(true)
		case pq.ListenerEventDisconnected:
			up(false)
			changed()
			if err != nil {
				log.Warn("change listener disconnected", "channel", channel, "error", err.Error())
			}
		}
	})
	defer l.Close()
	defer up(false)
	if err := l.Listen(channel); err != nil {
		return err
	}
	changed()
	up(true)
	ping := time.NewTicker(time.Minute)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.Notify: // a change, or nil after a reconnection
			changed()
		case <-ping.C:
			// Ping so that a silently dead connection is noticed.
			if err := l.Ping(); err != nil {
				up(false)
				changed()
			}
		}
	}
}
