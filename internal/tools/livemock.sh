# shellcheck shell=bash disable=SC2034 # the mock_* variables are for the scripts that source this file
# Sourced by the scripts that run the mock Live API as a process of its own
# (demo.sh, live-proof.sh).
#
# start_mock WORK [FLAGS...] builds the mock into WORK, starts it on a free
# loopback port with FLAGS and waits for the line it prints first; it sets
# mock_pid, mock_endpoint, mock_access_key and mock_secret_key.
# stop_mock stops it, if it runs.

mock_pid=""

start_mock() {
	local work="$1"
	shift
	(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && go build -o "$work/livemock" ./internal/livemock/cmd/livemock)
	"$work/livemock" -addr 127.0.0.1:0 "$@" >"$work/mock.out" 2>"$work/mock.err" &
	mock_pid=$!
	for _ in $(seq 1 100); do
		grep -q '^endpoint=' "$work/mock.out" 2>/dev/null && break
		kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.err" >&2; return 1; }
		sleep 0.1
	done
	local line
	line="$(grep '^endpoint=' "$work/mock.out")" || { echo "the mock did not start" >&2; return 1; }
	mock_endpoint="$(sed -E 's/.*endpoint=([^ ]+).*/\1/' <<<"$line")"
	mock_access_key="$(sed -E 's/.*access_key=([^ ]+).*/\1/' <<<"$line")"
	mock_secret_key="$(sed -E 's/.*secret_key=([^ ]+).*/\1/' <<<"$line")"
}

stop_mock() {
	if [ -n "$mock_pid" ]; then
		kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
		mock_pid=""
	fi
	return 0
}
