#!/usr/bin/env bash
# Runs the acceptance tests against the real ApsaraVideo Live service that
# the provider's usual settings name, or (with "sweep") deletes what such a
# run left behind.
#
#   internal/tools/testacc-live.sh          # make testacc-live
#   internal/tools/testacc-live.sh sweep    # make sweep-live
#
# Settings, as the provider reads them: credentials from ALICLOUD_ACCESS_KEY
# and ALICLOUD_SECRET_KEY (or ALIBABA_CLOUD_*, or ALICLOUD_PROFILE, or
# ALICLOUD_ASSUME_ROLE_ARN), ALIBABA_CLOUD_ENDPOINT_LIVE when set, and
# ALICLOUD_REGION. The test domain:
#
#   ALICLOUD_LIVE_TEST_DOMAIN   a Live domain of the account (required)
#   ALICLOUD_LIVE_TEST_DOMAIN2  a second one, for the tests that move a
#                               configuration between domains (optional)
#   LIVE_RUN                    a -run pattern (default: every acceptance test)
#   LIVE_PARALLEL               go test -parallel (default 4): the tests own
#                               names of their own and may run at once
#
# Safe on a production account: every configuration the tests create has an
# app_name starting with tf-acc- and a random suffix; no test creates or
# deletes ali_all_app (which would delete every application's
# configuration), or changes a configuration it did not create; tests that
# need the mock's fault injection skip, saying why. The sweep deletes only
# tf-acc- configurations of the test domains.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -z "${ALICLOUD_LIVE_TEST_DOMAIN:-}" ]; then
	echo "refusing to run: ALICLOUD_LIVE_TEST_DOMAIN is not set. Set it to an ApsaraVideo Live domain of the account that the tests may add and delete tf-acc- lazy-pull configurations on." >&2
	exit 2
fi
export ALICLOUD_LIVE_TEST=1 TF_ACC=1 CHECKPOINT_DISABLE=1
unset LIVEMOCK_VARIANT

if [ "${1:-}" = "sweep" ]; then
	echo "==> deleting the tf-acc- configurations of $ALICLOUD_LIVE_TEST_DOMAIN ${ALICLOUD_LIVE_TEST_DOMAIN2:-}"
	exec go test ./internal/provider -count=1 -run '^$' -sweep=live -v
fi

TF_ACC_TERRAFORM_PATH="$(internal/tools/terraform.sh)"
export TF_ACC_TERRAFORM_PATH
# terraform-plugin-testing names the provider under registry.terraform.io,
# which OpenTofu does not accept for a provider of namespace "-".
if "$TF_ACC_TERRAFORM_PATH" version | grep '^OpenTofu' >/dev/null; then
	export TF_ACC_PROVIDER_HOST="${TF_ACC_PROVIDER_HOST:-registry.opentofu.org}"
fi
endpoint="${ALIBABA_CLOUD_ENDPOINT_LIVE:-https://live.aliyuncs.com}"
echo "==> acceptance tests against $endpoint, domain $ALICLOUD_LIVE_TEST_DOMAIN, with $("$TF_ACC_TERRAFORM_PATH" version | sed -n "s/^\(Terraform\|OpenTofu\) v/&/p")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/gotestsummary" ./internal/tools/gotestsummary
set +e
go test ./internal/provider -count=1 -json -parallel "${LIVE_PARALLEL:-4}" -timeout "${TEST_TIMEOUT:-45m}" -run "${LIVE_RUN:-TestAcc}" 2>&1 |
	"$work/gotestsummary" -log "$work/test.log" -counts "$work/counts" -tail 40
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[1]}" -ne 0 ] || [ ! -s "$work/counts" ]; then
	echo "FAIL: summarising the test output failed" >&2
	exit 1
fi
read -r passed skipped failed unfinished <"$work/counts"
echo "==> live mode: $passed passed, $skipped skipped, $((failed + unfinished)) failed (top-level tests)"
if [ "$skipped" -gt 0 ]; then
	echo "    skipped, and why:"
	# Top-level tests only: the log has "--- SKIP: Test/sub" unindented too.
	grep -B1 -E '^--- SKIP: [^/ ]+ ' "$work/test.log" | grep -v '^--- SKIP\|^--$' | sed 's/^ */      /' | sort | uniq -c | sort -rn | awk 'NR <= 20'
fi
exit "${status[0]}"
