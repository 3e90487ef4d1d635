#!/usr/bin/env bash
# pg.sh manages a private PostgreSQL cluster for `make run` and `make test`, so that nobody
# has to set PostgreSQL up by hand and the standard port 5432 is never touched.
#
#   scripts/pg.sh start DIR     initdb on first use, start, print the DATABASE_URL (last line)
#   scripts/pg.sh stop DIR      fast, clean shutdown
#   scripts/pg.sh destroy DIR   stop and delete the cluster
#   scripts/pg.sh url DIR       print the DATABASE_URL of a running cluster
#   scripts/pg.sh standby PRIMARY_DIR DIR
#                               a streaming standby of the running cluster in PRIMARY_DIR
#                               (pg_basebackup -R on first use), started; prints its URL
#
# The cluster listens on a unix socket inside DIR and on a free loopback port. PostgreSQL
# refuses to run as root, so as root it runs as an unprivileged user (postgres, or a
# cyberskills-pg system user created on demand). That user may not be able to enter the
# clone's folder (root's home is private), so as root the cluster lives in /var/tmp and DIR
# becomes a symbolic link to it.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bindir() {
	local dir
	if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then echo "$PG_BINDIR"; return 0; fi
	if command -v pg_config >/dev/null 2>&1; then
		dir=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
	fi
	# Debian installs the server binaries off PATH; prefer the newest major version.
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
		if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
	done
	return 1
}

ensure_bindir() {
	local dir
	if dir=$(find_bindir); then echo "$dir"; return 0; fi
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "pg.sh: PostgreSQL not found; installing it with apt-get" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
		# The Debian package starts a cluster on 5432; we do not use it.
		if dir=$(find_bindir); then echo "$dir"; return 0; fi
	fi
	die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found. Install PostgreSQL 13 or newer (Debian/Ubuntu: sudo apt-get install postgresql), or set DATABASE_URL to an existing database."
}

# run_as runs a command as the cluster's owner: ourselves, or the unprivileged user as root.
run_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$PG_OS_USER" -- "$@"
	else
		"$@"
	fi
}

pick_os_user() {
	if [ "$(id -u)" != 0 ]; then PG_OS_USER=$(id -un); return; fi
	if id postgres >/dev/null 2>&1; then PG_OS_USER=postgres; return; fi
	if ! id cyberskills-pg >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --shell /usr/sbin/nologin cyberskills-pg
	fi
	PG_OS_USER=cyberskills-pg
}

# cluster_home resolves DIR to where the cluster really lives, creating it when needed.
cluster_home() {
	local dir=$1 abs home
	mkdir -p "$(dirname "$dir")"
	abs=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
	if [ "$(id -u)" = 0 ] && [ ! -e "$abs" ]; then
		home=/var/tmp/cyberskills-pg-$(printf '%s' "$abs" | sha256sum | cut -c1-12)
		mkdir -p "$home"
		ln -sfn "$home" "$abs"
	fi
	mkdir -p "$abs"
	home=$(cd "$abs" && pwd -P)
	if [ "$(id -u)" = 0 ]; then chown "$PG_OS_USER": "$home"; fi
	chmod 700 "$home"
	echo "$home"
}

# port_range prints the lowest and highest port to choose from: outside the kernel's
# ephemeral range (read from FILE, by default /proc/sys/net/ipv4/ip_local_port_range),
# from which outgoing connections take their local ports, so that no client can be
# holding the port we pick by the time PostgreSQL binds it. A kernel whose ephemeral range
# covers almost every unprivileged port (1024-65535, say) leaves nothing outside it: then
# any port from 10000 up will do, and the bind check and the retry on "address already in
# use" are what keep a start from failing.
port_range() {
	local file=${1:-/proc/sys/net/ipv4/ip_local_port_range} lo=32768 hi=60999
	if [ -r "$file" ]; then
		read -r lo hi <"$file"
	fi
	if [ "$lo" -gt 11024 ]; then
		echo "10000 $((lo - 1))"
	elif [ "$hi" -lt 65000 ]; then
		echo "$((hi + 1)) 65535"
	else
		echo "10000 65535"
	fi
}

# port_free reports whether a loopback port can be bound now. perl is part of every
# Debian system (perl-base); where it is missing, a port nobody answers on counts as free.
port_free() {
	local port=$1
	if command -v perl >/dev/null 2>&1; then
		perl -MIO::Socket::INET -e 'IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0], Proto => "tcp", Listen => 1) or exit 1' "$port"
		return
	fi
	! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

free_port() {
	local port i lo hi
	read -r lo hi <<<"$(port_range)"
	for i in $(seq 1 100); do
		port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
		if port_free "$port"; then echo "$port"; return 0; fi
	done
	die "no free loopback port found between $lo and $hi"
}

url_for() {
	local home=$1
	echo "postgres://cyberskills@/cyberskills?host=$home&port=$(cat "$home/port")&sslmode=disable"
}

is_running() {
	local home=$1
	[ -f "$home/data/postmaster.pid" ] && run_as "$BINDIR/pg_ctl" -D "$home/data" status >/dev/null 2>&1
}

cmd_start() {
	local home port
	home=$(cluster_home "$1")
	if [ ! -f "$home/data/PG_VERSION" ]; then
		echo "pg.sh: creating a new cluster in $home" >&2
		rm -rf "$home/data"
		run_as "$BINDIR/initdb" -D "$home/data" -U cyberskills --auth-local=trust --auth-host=reject \
			--encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$home/initdb.log" 2>&1 ||
			{ cat "$home/initdb.log" >&2; die "initdb failed"; }
		cat >>"$home/data/postgresql.conf" <<-CONF
			# cyberskills private cluster
			listen_addresses = '127.0.0.1'
			unix_socket_directories = '$home'
			unix_socket_permissions = 0700
			max_connections = ${PG_MAX_CONNECTIONS:-200}
			shared_buffers = ${PG_SHARED_BUFFERS:-256MB}
			log_min_messages = warning
			${PG_EXTRA_CONF:-}
		CONF
	fi
	if is_running "$home"; then
		url_for "$home"
		return 0
	fi
	start_on_free_port "$home"
	port=$(cat "$home/port")
	run_as "$BINDIR/psql" -h "$home" -p "$port" -U cyberskills -d postgres -qAtc \
		"SELECT 1 FROM pg_database WHERE datname = 'cyberskills'" | grep -q 1 ||
		run_as "$BINDIR/createdb" -h "$home" -p "$port" -U cyberskills cyberskills
	url_for "$home"
}

# start_on_free_port starts the cluster in home on a free loopback port.
start_on_free_port() {
	local home=$1 port
	# Reuse the last port while it is free, so that a DATABASE_URL stays valid across
	# restarts. Another process can still take a port between our check and PostgreSQL's
	# bind; when PostgreSQL says so, try another port.
	port=$(cat "$home/port" 2>/dev/null || true)
	if [ -z "$port" ] || ! port_free "$port"; then
		port=$(free_port)
	fi
	local attempt
	for attempt in 1 2 3 4 5; do
		echo "$port" >"$home/port"
		rm -f "$home/postgres.log" # so that only this attempt's messages are read below
		if run_as "$BINDIR/pg_ctl" -D "$home/data" -l "$home/postgres.log" -o "-p $port -k $home" -w -t 60 start >/dev/null 2>&1; then
			break
		fi
		if [ "$attempt" -lt 5 ] && grep -qiE 'could not (bind|create listen)|address already in use' "$home/postgres.log"; then
			echo "pg.sh: port $port was taken before PostgreSQL could bind it; trying another" >&2
			port=$(free_port)
			continue
		fi
		tail -20 "$home/postgres.log" >&2
		die "PostgreSQL did not start"
	done
}

# cmd_standby copies the running cluster in PRIMARY_DIR into DIR with pg_basebackup (on
# first use) and starts it as a hot standby streaming from it. The primary's defaults
# allow it: wal_level replica, ten WAL senders, and local replication connections
# trusted by initdb's pg_hba.conf.
cmd_standby() {
	local primary home
	[ -e "$1" ] || die "no cluster in $1"
	primary=$(cd "$1" && pwd -P)
	is_running "$primary" || die "the primary in $1 is not running"
	home=$(cluster_home "$2")
	if [ ! -f "$home/data/PG_VERSION" ]; then
		echo "pg.sh: copying $primary into $home as its standby" >&2
		rm -rf "$home/data"
		run_as "$BINDIR/pg_basebackup" -h "$primary" -p "$(cat "$primary/port")" -U cyberskills \
			-D "$home/data" -R -X stream -c fast >"$home/basebackup.log" 2>&1 ||
			{ cat "$home/basebackup.log" >&2; die "pg_basebackup failed"; }
		# The copied configuration names the primary's socket folder; the last setting wins.
		# Feedback keeps the primary from removing rows a standby query still reads.
		cat >>"$home/data/postgresql.conf" <<-CONF
			# standby of $primary
			unix_socket_directories = '$home'
			hot_standby = on
			hot_standby_feedback = on
		CONF
	fi
	if ! is_running "$home"; then
		start_on_free_port "$home"
	fi
	url_for "$home"
}

cmd_stop() {
	local dir=$1 home
	[ -e "$dir" ] || return 0
	home=$(cd "$dir" && pwd -P)
	if is_running "$home"; then
		run_as "$BINDIR/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null
	fi
}

cmd_destroy() {
	local dir=$1 home
	[ -e "$dir" ] || return 0
	cmd_stop "$dir"
	home=$(cd "$dir" && pwd -P)
	rm -rf "$home"
	[ -L "$dir" ] && rm -f "$dir"
	return 0
}

[ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$1" = standby ]; } || die "usage: pg.sh start|stop|destroy|url DIR, or pg.sh standby PRIMARY_DIR DIR"
BINDIR=$(ensure_bindir)
pick_os_user
case $1 in
standby) cmd_standby "$2" "$3" ;;
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
destroy) cmd_destroy "$2" ;;
url) url_for "$(cd "$2" && pwd -P)" ;;
*) die "unknown command $1" ;;
esac
