#!/usr/bin/env bash
# Prints the path of a Terraform CLI for the tests, the demo and the docs:
# TF_ACC_TERRAFORM_PATH when set, else `terraform` on PATH, else one built
# from the Go module proxy (v1.5.7, the newest that builds that way) into a
# cache folder. It downloads nothing else.
set -euo pipefail

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ]; then
	echo "${TF_ACC_TERRAFORM_PATH}"
	exit 0
fi
if command -v terraform >/dev/null 2>&1; then
	command -v terraform
	exit 0
fi
cache="${TF_PROVIDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alicloud}/terraform-1.5.7"
if [ ! -x "$cache/terraform" ]; then
	echo "No Terraform CLI found; building github.com/hashicorp/terraform@v1.5.7 into $cache (about 3 minutes)..." >&2
	mkdir -p "$cache"
	GOBIN="$cache" GOFLAGS=-mod=mod go install github.com/hashicorp/terraform@v1.5.7 >&2
fi
echo "$cache/terraform"
