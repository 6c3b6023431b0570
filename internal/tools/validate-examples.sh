#!/usr/bin/env bash
# Runs `terraform validate` on every example under examples/ against the
# provider built from this tree, offline: the provider is built into a
# temporary folder and a dev_overrides CLI configuration points Terraform at
# it, so no `terraform init` and no registry are needed.
#
# Each folder of examples/ that holds *.tf files is validated on its own, in
# a temporary module made of examples/provider/provider.tf (the
# required_providers block and the provider configuration) and the folder's
# *.tf files. Examples need no credentials: validate makes no API call.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tf="$("$root/internal/tools/terraform.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

TF_CLI_CONFIG_FILE="$("$root/internal/tools/dev-provider.sh" "$work")"
export TF_CLI_CONFIG_FILE
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
# validate must not depend on the caller's credentials or endpoints.
unset ALICLOUD_ACCESS_KEY ALICLOUD_SECRET_KEY ALICLOUD_SECURITY_TOKEN ALICLOUD_PROFILE \
	ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN \
	ALICLOUD_ASSUME_ROLE_ARN ALIBABA_CLOUD_ENDPOINT_LIVE ALIBABA_CLOUD_ENDPOINT_STS

provider_tf="$root/examples/provider/provider.tf"
failed=0
count=0
while IFS= read -r dir; do
	rel="${dir#"$root"/}"
	module="$work/modules/$count"
	mkdir -p "$module"
	count=$((count + 1))
	if [ "$dir" != "$root/examples/provider" ]; then
		cp "$provider_tf" "$module/provider.tf"
	fi
	for f in "$dir"/*.tf; do
		name="$(basename "$f")"
		if [ -e "$module/$name" ]; then
			name="example-$name"
		fi
		cp "$f" "$module/$name"
	done
	# validate prints warnings (such as the dev_overrides one) on stdout and
	# errors on stderr; keep the errors.
	if ! out="$(cd "$module" && "$tf" validate -no-color 2>&1 >/dev/null)"; then
		echo "FAIL  $rel"
		sed 's/^/      /' <<<"${out:-terraform validate failed}"
		failed=$((failed + 1))
		continue
	fi
	# validate does not check that an import block's target is declared;
	# plan would, but needs credentials. Check it here.
	missing=""
	while IFS= read -r to; do
		type="${to%%.*}" name="${to#*.}"
		grep -Eq "^resource[[:space:]]+\"$type\"[[:space:]]+\"$name\"" "$module"/*.tf || missing+=" $to"
	done < <(sed -nE 's/^[[:space:]]*to[[:space:]]*=[[:space:]]*([A-Za-z0-9_]+\.[A-Za-z0-9_-]+)[[:space:]]*$/\1/p' "$module"/*.tf)
	if [ -n "$missing" ]; then
		echo "FAIL  $rel"
		echo "      import block target(s) not declared in the example:$missing"
		failed=$((failed + 1))
		continue
	fi
	echo "ok    $rel"
done < <(find "$root/examples" -type f -name '*.tf' -exec dirname {} \; | sort -u)

if [ "$count" -eq 0 ]; then
	echo "no examples found under $root/examples" >&2
	exit 1
fi
if [ "$failed" -ne 0 ]; then
	echo "$failed of $count example folders failed terraform validate" >&2
	exit 1
fi
echo "all $count example folders pass terraform validate ($("$tf" version | head -1))"
