#!/usr/bin/env bash
# make mock-env: starts the mock Live API in the background on a free
# loopback port and prints shell lines that point the provider at it, for
# eval:
#
#   eval "$(make -s mock-env)"                  # or MOCK_FLAGS='-variant keep-omitted'
#   terraform apply                             # the provider signs with the mock's keys
#   kill "$LIVEMOCK_PID"                        # stops the mock
#
# The lines export ALIBABA_CLOUD_ENDPOINT_LIVE, ALICLOUD_ACCESS_KEY,
# ALICLOUD_SECRET_KEY and ALICLOUD_REGION, the settings the provider reads
# from its environment, and LIVEMOCK_PID. The mock's own output goes to
# LIVEMOCK_DIR (default: a new temporary folder), named in the last line.
# Flags for the mock come as arguments (make passes MOCK_FLAGS).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${LIVEMOCK_DIR:-$(mktemp -d)}"
mkdir -p "$dir"
# shellcheck source=internal/tools/livemock.sh
. "$root/internal/tools/livemock.sh"
start_mock "$dir" "$@" >&2
printf 'export ALIBABA_CLOUD_ENDPOINT_LIVE=%q\n' "$mock_endpoint"
printf 'export ALICLOUD_ACCESS_KEY=%q\n' "$mock_access_key"
printf 'export ALICLOUD_SECRET_KEY=%q\n' "$mock_secret_key"
printf 'export ALICLOUD_REGION=cn-shanghai\n'
printf 'export LIVEMOCK_PID=%q\n' "$mock_pid"
printf '# the mock Live API runs at %s as process %s (output in %s); stop it with: kill "$LIVEMOCK_PID"\n' "$mock_endpoint" "$mock_pid" "$dir"
