# Sourced (not run) by the scripts that start the server in the background: bench.sh,
# e2e.sh, run.sh and xapi-conformance.sh. They keep its process id in $server.

# stop_server stops the server started as $server, if it is still running, and waits for
# it to finish: SIGTERM lets it drain its requests and close its pool.
stop_server() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
}
