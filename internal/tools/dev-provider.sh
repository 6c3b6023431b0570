#!/usr/bin/env bash
# Builds the provider from this tree into DIR/bin and writes DIR/terraformrc,
# a Terraform CLI configuration whose dev_overrides point SOURCE (default
# registry.terraform.io/alicloud-live/alicloud) at it, so that Terraform
# uses this build with no `terraform init` and no registry. Prints the path
# of the CLI configuration, for TF_CLI_CONFIG_FILE.
#
# Usage: internal/tools/dev-provider.sh DIR [SOURCE]
set -euo pipefail

dir="${1:?usage: $0 DIR [SOURCE]}"
source_addr="${2:-registry.terraform.io/alicloud-live/alicloud}"
root="$(cd "$(dirname "$0")/../.." && pwd)"

mkdir -p "$dir/bin"
(cd "$root" && go build -o "$dir/bin/terraform-provider-alicloud" .)
cat >"$dir/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "$source_addr" = "$dir/bin"
  }
  direct {}
}
RC
echo "$dir/terraformrc"
