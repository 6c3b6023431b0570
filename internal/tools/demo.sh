#!/usr/bin/env bash
# The main job, end to end on loopback: build the provider, start the
# bundled mock Live API on a free port, then run the example in
# examples/ through terraform apply, a plan that must show no changes, and
# terraform destroy.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tf="$("$root/internal/tools/terraform.sh")"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the mock Live API"
mkdir -p "$work/config"
cli_config="$("$root/internal/tools/dev-provider.sh" "$work")"
(cd "$root" && go build -o "$work/livemock" ./internal/livemock/cmd/livemock)

echo "==> Starting the mock Live API on a free loopback port"
"$work/livemock" -addr 127.0.0.1:0 >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
for _ in $(seq 1 100); do
	grep -q '^endpoint=' "$work/mock.out" 2>/dev/null && break
	kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.err" >&2; exit 1; }
	sleep 0.1
done
line="$(grep '^endpoint=' "$work/mock.out")" || { echo "the mock did not start" >&2; exit 1; }
endpoint="$(sed -E 's/.*endpoint=([^ ]+).*/\1/' <<<"$line")"
echo "    endpoint $endpoint"

cp "$root/examples/provider/provider.tf" "$work/config/provider.tf"
cp "$root/examples/resources/alicloud_live_lazy_pull_config/resource.tf" "$work/config/main.tf"

export TF_CLI_CONFIG_FILE="$cli_config"
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
export ALIBABA_CLOUD_ENDPOINT_LIVE="$endpoint"
export ALICLOUD_ACCESS_KEY="$(sed -E 's/.*access_key=([^ ]+).*/\1/' <<<"$line")"
export ALICLOUD_SECRET_KEY="$(sed -E 's/.*secret_key=([^ ]+).*/\1/' <<<"$line")"
cd "$work/config"

echo "==> terraform apply ($("$tf" version | head -1))"
"$tf" apply -auto-approve -input=false -no-color

echo "==> terraform plan (must show no changes)"
set +e
"$tf" plan -detailed-exitcode -input=false -no-color
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
	echo "FAIL: the plan after apply is not empty (exit code $rc)" >&2
	exit 1
fi

echo "==> terraform destroy"
"$tf" destroy -auto-approve -input=false -no-color
echo "==> Demo finished: apply, an empty plan and destroy all succeeded."
