#!/usr/bin/env bash
# The main job, end to end on loopback: build the provider, start the
# bundled mock Live API on a free port, then run the example in
# examples/ through terraform apply, a plan that must show no changes, and
# terraform destroy.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tf="$("$root/internal/tools/terraform.sh")"
work="$(mktemp -d)"
# shellcheck source=internal/tools/livemock.sh
. "$root/internal/tools/livemock.sh"
cleanup() {
	stop_mock
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the mock Live API"
mkdir -p "$work/config"
cli_config="$("$root/internal/tools/dev-provider.sh" "$work")"

echo "==> Starting the mock Live API on a free loopback port"
start_mock "$work"
endpoint="$mock_endpoint"
echo "    endpoint $endpoint"

cp "$root/examples/provider/provider.tf" "$work/config/provider.tf"
cp "$root/examples/resources/alicloud_live_lazy_pull_config/resource.tf" "$work/config/main.tf"

export TF_CLI_CONFIG_FILE="$cli_config"
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
export ALIBABA_CLOUD_ENDPOINT_LIVE="$endpoint"
export ALICLOUD_ACCESS_KEY="$mock_access_key"
export ALICLOUD_SECRET_KEY="$mock_secret_key"
cd "$work/config"

echo "==> terraform apply ($("$tf" version | sed -n "s/^\(Terraform\|OpenTofu\) v/&/p"))"
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
