#!/usr/bin/env bash
# Runs `terraform validate` on every example under examples/ against the
# provider built from this tree, offline: the provider is built into a
# temporary folder and a dev_overrides CLI configuration points Terraform at
# it, so no `terraform init` and no registry are needed.
#
# Each folder of examples/ that holds *.tf or *.tfquery.hcl files is
# validated on its own, in a temporary module made of
# examples/provider/provider.tf (the required_providers block and the
# provider configuration) and the folder's files. Examples need no
# credentials: validate makes no API call.
#
# Examples that need a newer Terraform than the default CLI
# (internal/tools/terraform.sh) say so themselves, in a
# `terraform { required_version = ">= X.Y" }` block of the file that needs
# it (">= X.Y" and "~> X.Y" are understood); a *.tfquery.hcl file needs 1.14
# (terraform query) whether it says so or not. Every folder is validated with
# the default CLI, leaving out the files that need a newer one. A folder with
# such files is then validated whole with TF_NEWEST_CLI (a path to a newer
# Terraform CLI) when that is new enough; *.tfquery.hcl files are validated
# by `terraform validate -query`. Without a CLI new enough, the files are
# reported as skipped, with the reason, and the run goes on: skips do not
# fail it.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tf="$("$root/internal/tools/terraform.sh")"
newest="${TF_NEWEST_CLI:-}"
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

# The version a Terraform CLI reports, e.g. 1.11.4.
cli_version() {
	"$1" version 2>/dev/null | sed -nE 's/^(Terraform|OpenTofu) v([0-9]+\.[0-9]+\.[0-9]+).*/\2/p' | sed -n 1p
}
# version_ge A B: A is B or later.
version_ge() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | sed -n 1p)" = "$2" ]
}
# The lowest Terraform version a file asks for (0 when it asks for none).
file_needs() {
	local f="$1" need=0 c v
	case "$f" in *.tfquery.hcl) need=1.14 ;; esac
	while IFS= read -r c; do
		c="${c//[[:space:]]/}"
		case "$c" in
		'>='* | '~>'*) v="${c:2}" ;;
		*)
			echo "$f: required_version constraint \"$c\" is not understood by $0 (use \">= X.Y\")" >&2
			return 1
			;;
		esac
		version_ge "$need" "$v" || need="$v"
	done < <(sed -nE 's/^[[:space:]]*required_version[[:space:]]*=[[:space:]]*"([^"]*)".*/\1/p' "$f" | tr ',' '\n')
	echo "$need"
}

tf_version="$(cli_version "$tf")"
[ -n "$tf_version" ] || { echo "cannot tell the version of $tf" >&2; exit 1; }
newest_version=""
if [ -n "$newest" ]; then
	if [ ! -x "$newest" ]; then
		echo "TF_NEWEST_CLI=$newest is not an executable file" >&2
		exit 1
	fi
	newest_version="$(cli_version "$newest")"
	[ -n "$newest_version" ] || { echo "cannot tell the version of TF_NEWEST_CLI=$newest" >&2; exit 1; }
fi

# Why a file that needs a newer Terraform than both CLIs is skipped.
skip_why="the default CLI is v$tf_version"
if [ -n "$newest_version" ]; then
	skip_why+=" and TF_NEWEST_CLI is v$newest_version"
else
	skip_why+=" and TF_NEWEST_CLI is not set"
fi

provider_tf="$root/examples/provider/provider.tf"
failed=0 count=0 skipped=0 runs=0

# validate CLI VERSION LABEL FILE...: validates FILE... of one example folder
# as one module with CLI; prints ok or FAIL and returns 1 on failure.
validate() {
	local cli="$1" version="$2" label="$3"
	shift 3
	local module="$work/modules/$runs" f name query=()
	runs=$((runs + 1))
	mkdir -p "$module"
	if [ "$(dirname "$1")" != "$root/examples/provider" ]; then
		cp "$provider_tf" "$module/provider.tf"
	fi
	for f in "$@"; do
		name="$(basename "$f")"
		if [ -e "$module/$name" ]; then
			name="example-$name"
		fi
		cp "$f" "$module/$name"
		case "$f" in *.tfquery.hcl) query=(-query) ;; esac
	done
	# validate prints warnings (such as the dev_overrides one) on stdout and
	# errors on stderr; keep the errors.
	local out
	if ! out="$(cd "$module" && "$cli" validate -no-color "${query[@]}" 2>&1 >/dev/null)"; then
		echo "FAIL  $label (Terraform v$version)"
		sed 's/^/      /' <<<"${out:-terraform validate failed}"
		return 1
	fi
	# validate does not check that an import block's target is declared;
	# plan would, but needs credentials. Check it here. An example that
	# leaves the resource blocks to `terraform plan -generate-config-out`
	# says so, and may leave them out.
	local missing="" generated="" to type rest
	while IFS= read -r to; do
		type="${to%%.*}" rest="${to#*.}"
		rest="${rest%%\[*}"
		grep -Eq "^resource[[:space:]]+\"$type\"[[:space:]]+\"$rest\"" "$module"/*.tf || missing+=" $to"
	done < <(sed -nE 's/^[[:space:]]*to[[:space:]]*=[[:space:]]*([A-Za-z0-9_]+\.[A-Za-z0-9_-]+(\[[^]]*\])?)[[:space:]]*$/\1/p' "$module"/*.tf)
	if [ -n "$missing" ]; then
		if grep -q -- '-generate-config-out' "$@"; then
			generated="; import targets left to -generate-config-out:$missing"
		else
			echo "FAIL  $label (Terraform v$version)"
			echo "      import block target(s) not declared in the example:$missing"
			return 1
		fi
	fi
	echo "ok    $label (Terraform v$version$generated)"
}

while IFS= read -r dir; do
	rel="${dir#"$root"/}"
	count=$((count + 1))
	all=() base=() later=() needs=()
	need_max=0
	for f in "$dir"/*.tf "$dir"/*.tfquery.hcl; do
		[ -e "$f" ] || continue
		n="$(file_needs "$f")" || { failed=$((failed + 1)); continue 2; }
		all+=("$f")
		if version_ge "$tf_version" "$n"; then
			base+=("$f")
		else
			later+=("$f") needs+=("$n")
			version_ge "$need_max" "$n" || need_max="$n"
		fi
	done
	folder_failed=0
	if [ "${#base[@]}" -gt 0 ]; then
		label="$rel"
		if [ "${#later[@]}" -gt 0 ]; then
			label+=" without"
			for f in "${later[@]}"; do label+=" $(basename "$f")"; done
		fi
		validate "$tf" "$tf_version" "$label" "${base[@]}" || folder_failed=1
	fi
	if [ "${#later[@]}" -gt 0 ]; then
		if [ -n "$newest_version" ] && version_ge "$newest_version" "$need_max"; then
			validate "$newest" "$newest_version" "$rel" "${all[@]}" || folder_failed=1
		else
			for i in "${!later[@]}"; do
				echo "skip  ${later[$i]#"$root"/}: needs Terraform >= ${needs[$i]}; $skip_why"
				skipped=$((skipped + 1))
			done
		fi
	fi
	failed=$((failed + folder_failed))
done < <(find "$root/examples" -type f \( -name '*.tf' -o -name '*.tfquery.hcl' \) -exec dirname {} \; | sort -u)

if [ "$count" -eq 0 ]; then
	echo "no examples found under $root/examples" >&2
	exit 1
fi
if [ "$failed" -ne 0 ]; then
	echo "$failed of $count example folders failed terraform validate" >&2
	exit 1
fi
summary="all $count example folders pass terraform validate (Terraform v$tf_version"
[ -n "$newest_version" ] && summary+=", and v$newest_version from TF_NEWEST_CLI for the files that need it"
summary+=")"
if [ "$skipped" -ne 0 ]; then
	summary+=", but for $skipped file(s) skipped: they need a newer Terraform than v$tf_version (set TF_NEWEST_CLI to one)"
fi
echo "$summary"
