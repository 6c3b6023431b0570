#!/usr/bin/env bash
# Proves make testacc-live and make sweep-live safe and working without a
# real account: the bundled mock runs as a separate process, the tests reach
# it only through the environment variables a real run uses, and the test
# domain already holds configurations (ali_all_app among them) that the run
# must leave exactly as they were.
#
# It does so twice: against the mock answering as documented where it can,
# and against the mock giving every other answer the API reference allows
# (the all-alternatives variant: it keeps what a Set leaves out, fails a
# Delete of what is missing, lists in random order, and its Describe shows a
# write only LIVE_PROOF_LAG after it, default 1s). Both must end with 0
# failed. LIVE_PROOF_PASSES picks the passes ("default all-alternatives").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
command -v curl >/dev/null || { echo "live-proof needs curl" >&2; exit 1; }
work="$(mktemp -d)"
# shellcheck source=internal/tools/livemock.sh
. internal/tools/livemock.sh
cleanup() {
	stop_mock
	rm -rf "$work"
}
trap cleanup EXIT

domain=tf-live.example.com
domain2=tf-live2.example.com
lag="${LIVE_PROOF_LAG:-1s}"
summary=()

# prove NAME [MOCK_FLAGS...]: one live-mode run and sweep against a mock
# started with MOCK_FLAGS.
prove() {
	local name="$1"
	shift
	local dir="$work/$name"
	mkdir -p "$dir"
	start_mock "$dir" -stats -domain "$domain" -domain "$domain2" "$@" \
		-config "$domain:ali_all_app:wildcard.example.net:rtmp" \
		-config "$domain:console_app:origin-a.example.net;203.0.113.7:1935:httpflv" \
		-config "$domain2:other_team:origin-b.example.net:rtmp"
	local endpoint="$mock_endpoint"
	curl -fsS "$endpoint/_configs" >"$dir/before.json"
	echo "==> [$name] mock Live API at $endpoint ($(head -1 "$dir/mock.err")); $domain and $domain2 hold $(grep -o '"AppName"' "$dir/before.json" | wc -l) configurations made outside the tests"

	local status=0
	env -i PATH="$PATH" HOME="$HOME" GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" \
		GOFLAGS="${GOFLAGS:-}" GOPROXY="$(go env GOPROXY)" TF_PROVIDER_CACHE="${TF_PROVIDER_CACHE:-}" XDG_CACHE_HOME="${XDG_CACHE_HOME:-}" \
		TF_ACC_TERRAFORM_PATH="${TF_ACC_TERRAFORM_PATH:-}" TEST_TIMEOUT="${TEST_TIMEOUT:-30m}" LIVE_PARALLEL="${LIVE_PARALLEL:-4}" \
		LIVE_RUN="${LIVE_RUN:-TestAcc}" \
		ALIBABA_CLOUD_ENDPOINT_LIVE="$endpoint" \
		ALICLOUD_ACCESS_KEY="$mock_access_key" ALICLOUD_SECRET_KEY="$mock_secret_key" \
		ALICLOUD_REGION=cn-shanghai \
		ALICLOUD_LIVE_TEST_DOMAIN="$domain" ALICLOUD_LIVE_TEST_DOMAIN2="$domain2" \
		bash -c 'internal/tools/testacc-live.sh && internal/tools/testacc-live.sh sweep' 2>&1 | tee "$dir/run.log" || status=$?

	curl -fsS "$endpoint/_stats" >"$dir/stats.json"
	curl -fsS "$endpoint/_configs" >"$dir/after.json"
	stop_mock
	local counts
	counts="$(grep -o 'live mode: .* (top-level tests)' "$dir/run.log" | tail -1 || true)"
	summary+=("$name: ${counts:-no counts}")
	if [ "$status" -ne 0 ]; then
		echo "FAIL: [$name] the live-mode run or the sweep failed (exit status $status)" >&2
		return 1
	fi
	local sets
	sets="$(grep -o '"SetLiveLazyPullStreamInfoConfig":[0-9]*' "$dir/stats.json" | cut -d: -f2)"
	echo "==> [$name] the run made ${sets:-0} Set calls; calls by action: $(grep -o '"calls":{[^}]*}' "$dir/stats.json")"
	if [ "${sets:-0}" -eq 0 ]; then
		echo "FAIL: [$name] the live-mode run wrote nothing: it did not reach the mock" >&2
		return 1
	fi
	if ! diff -u "$dir/before.json" "$dir/after.json"; then
		echo "FAIL: [$name] the configurations on $domain and $domain2 differ from before the run (above): the run changed what it did not create, or left tf-acc- configurations behind" >&2
		return 1
	fi
	echo "==> [$name] live mode proven: the configurations the run did not create are unchanged, and nothing it created is left"
}

failed=0
for pass in ${LIVE_PROOF_PASSES:-default all-alternatives}; do
	case "$pass" in
	default) prove default || failed=1 ;;
	all-alternatives) prove all-alternatives -variant all-alternatives -describe-lag "$lag" || failed=1 ;;
	*)
		echo "LIVE_PROOF_PASSES: unknown pass $pass (want default or all-alternatives)" >&2
		exit 2
		;;
	esac
done
echo "==> live-proof summary:"
printf '    %s\n' "${summary[@]}"
exit "$failed"
