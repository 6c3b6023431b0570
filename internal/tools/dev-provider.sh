#!/usr/bin/env bash
# Builds the provider from this tree into DIR/bin and writes DIR/terraformrc,
# a Terraform CLI configuration whose dev_overrides point SOURCE at it, so
# that Terraform uses this build with no `terraform init` and no registry.
# Without SOURCE it overrides alicloud-live/alicloud under both registry
# hosts, registry.terraform.io for Terraform and registry.opentofu.org for
# OpenTofu, which reads the same file format. Prints the path of the CLI
# configuration, for TF_CLI_CONFIG_FILE.
#
# Usage: internal/tools/dev-provider.sh DIR [SOURCE]
set -euo pipefail

dir="${1:?usage: $0 DIR [SOURCE]}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -n "${2:-}" ]; then
	sources=("$2")
else
	sources=(registry.terraform.io/alicloud-live/alicloud registry.opentofu.org/alicloud-live/alicloud)
fi

mkdir -p "$dir/bin"
(cd "$root" && go build -o "$dir/bin/terraform-provider-alicloud" .)
{
	echo "provider_installation {"
	echo "  dev_overrides {"
	for s in "${sources[@]}"; do
		echo "    \"$s\" = \"$dir/bin\""
	done
	echo "  }"
	echo "  direct {}"
	echo "}"
} >"$dir/terraformrc"
echo "$dir/terraformrc"
