#!/usr/bin/env bash
# Prints the path of a Terraform CLI for the tests, the demo and the docs:
# TF_ACC_TERRAFORM_PATH when set, else `terraform` on PATH, else `tofu`
# (OpenTofu) on PATH, else one built from the Go module proxy (v1.5.7, the
# newest that builds that way) into a cache folder: the build happens only
# when neither CLI is there. It downloads nothing else. Under
# terraform-plugin-testing, OpenTofu also needs
# TF_ACC_PROVIDER_HOST=registry.opentofu.org; the make targets set it.
#
# Usage: internal/tools/terraform.sh [--build-1.5.7]
#
# --build-1.5.7 skips TF_ACC_TERRAFORM_PATH and PATH and prints the cached
# v1.5.7 build, building it first when it is not there yet (the test matrix
# uses it to test that version whatever else is installed).
set -euo pipefail

build_version=1.5.7
cache="${TF_PROVIDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alicloud}/terraform-$build_version"

built() {
	if [ ! -x "$cache/terraform" ]; then
		echo "Building github.com/hashicorp/terraform@v$build_version into $cache (about 3 minutes)..." >&2
		mkdir -p "$cache"
		GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@v$build_version" >&2
	fi
	echo "$cache/terraform"
}

case "${1:-}" in
"") ;;
--build-1.5.7)
	built
	exit 0
	;;
*)
	echo "usage: $0 [--build-1.5.7]" >&2
	exit 2
	;;
esac

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ]; then
	echo "${TF_ACC_TERRAFORM_PATH}"
	exit 0
fi
if command -v terraform >/dev/null 2>&1; then
	command -v terraform
	exit 0
fi
if command -v tofu >/dev/null 2>&1; then
	command -v tofu
	exit 0
fi
echo "No Terraform or OpenTofu CLI found on PATH." >&2
built
