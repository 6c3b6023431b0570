#!/usr/bin/env bash
# The variant passes of make test: the acceptance tests once per mock
# variant (livemock.Variants) named in the arguments, VARIANT_JOBS passes
# at a time (default 3), each with go test -parallel TEST_PARALLEL. The
# passes that run together mostly wait (on a Describe that lags behind
# writes, on Terraform CLI commands), so they overlap well on a small
# machine. Each pass's output goes to bin/test-variants/VARIANT.log and is
# printed when the pass ends, in the order of the arguments; the script
# fails when any pass fails.
#
# Usage: internal/tools/test-variants.sh TERRAFORM_CLI QUESTIONS_FILE VARIANT...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tf="${1:?usage: $0 TERRAFORM_CLI QUESTIONS_FILE VARIANT...}"
questions="${2:?usage: $0 TERRAFORM_CLI QUESTIONS_FILE VARIANT...}"
shift 2
jobs_max="${VARIANT_JOBS:-3}"
logs="$root/bin/test-variants"
mkdir -p "$logs"
go test -c -o "$logs/provider.test" ./internal/provider

run_pass() {
	local v="$1" start=$SECONDS rc=0
	(cd internal/provider && LIVEMOCK_QUESTIONS="$questions" LIVEMOCK_VARIANT="$v" TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tf" \
		"$logs/provider.test" -test.count=1 -test.parallel "${TEST_PARALLEL:-4}" -test.timeout "${TEST_TIMEOUT:-45m}" -test.v) \
		>"$logs/$v.log" 2>&1 || rc=$?
	echo "$rc $((SECONDS - start))" >"$logs/$v.rc"
}

for v in "$@"; do
	rm -f "$logs/$v.rc" "$logs/$v.log"
done
for v in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n || true
	done
	run_pass "$v" &
done
wait

failed=0
for v in "$@"; do
	read -r rc took <"$logs/$v.rc"
	ran="$(grep -c '^--- PASS' "$logs/$v.log" || true)"
	skipped="$(grep -c '^--- SKIP' "$logs/$v.log" || true)"
	if [ "$rc" -eq 0 ]; then
		echo "==> acceptance tests against the mock variant $v: ok, $ran passed, $skipped skipped, ${took}s (log: $logs/$v.log)"
	else
		failed=1
		echo "==> acceptance tests against the mock variant $v: FAILED after ${took}s; the failures, then the end of $logs/$v.log:"
		grep -E -- '--- FAIL|panic:' "$logs/$v.log" || true
		tail -40 "$logs/$v.log"
	fi
done
exit "$failed"
