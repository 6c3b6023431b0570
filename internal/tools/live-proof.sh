#!/usr/bin/env bash
# Proves make testacc-live and make sweep-live safe and working without a
# real account: the bundled mock runs as a separate process, the tests reach
# it only through the environment variables a real run uses, and the test
# domain already holds configurations (ali_all_app among them) that the run
# must leave exactly as they were.
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
start_mock "$work" -stats -domain "$domain" -domain "$domain2" \
	-config "$domain:ali_all_app:wildcard.example.net:rtmp" \
	-config "$domain:console_app:origin-a.example.net;203.0.113.7:1935:httpflv" \
	-config "$domain2:other_team:origin-b.example.net:rtmp"
endpoint="$mock_endpoint"
curl -fsS "$endpoint/_configs" >"$work/before.json"
echo "==> mock Live API at $endpoint; $domain and $domain2 hold $(grep -o '"AppName"' "$work/before.json" | wc -l) configurations made outside the tests"

env -i PATH="$PATH" HOME="$HOME" GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" \
	GOFLAGS="${GOFLAGS:-}" GOPROXY="$(go env GOPROXY)" TF_PROVIDER_CACHE="${TF_PROVIDER_CACHE:-}" XDG_CACHE_HOME="${XDG_CACHE_HOME:-}" \
	TF_ACC_TERRAFORM_PATH="${TF_ACC_TERRAFORM_PATH:-}" TEST_TIMEOUT="${TEST_TIMEOUT:-30m}" \
	ALIBABA_CLOUD_ENDPOINT_LIVE="$endpoint" \
	ALICLOUD_ACCESS_KEY="$mock_access_key" ALICLOUD_SECRET_KEY="$mock_secret_key" \
	ALICLOUD_REGION=cn-shanghai \
	ALICLOUD_LIVE_TEST_DOMAIN="$domain" ALICLOUD_LIVE_TEST_DOMAIN2="$domain2" \
	bash -c 'internal/tools/testacc-live.sh && internal/tools/testacc-live.sh sweep' | tee "$work/run.log"

curl -fsS "$endpoint/_stats" >"$work/stats.json"
curl -fsS "$endpoint/_configs" >"$work/after.json"
sets="$(grep -o '"SetLiveLazyPullStreamInfoConfig":[0-9]*' "$work/stats.json" | cut -d: -f2)"
echo "==> the run made ${sets:-0} Set calls; calls by action: $(grep -o '"calls":{[^}]*}' "$work/stats.json")"
if [ "${sets:-0}" -eq 0 ]; then
	echo "FAIL: the live-mode run wrote nothing: it did not reach the mock" >&2
	exit 1
fi
if ! diff -u "$work/before.json" "$work/after.json"; then
	echo "FAIL: the configurations on $domain and $domain2 differ from before the run (above): the run changed what it did not create, or left tf-acc- configurations behind" >&2
	exit 1
fi
echo "==> live mode proven: the configurations the run did not create are unchanged, and nothing it created is left"
