#!/usr/bin/env bash
# Runs the acceptance tests (go test ./internal/provider with TF_ACC=1) once
# per Terraform or OpenTofu CLI, one after the other or MATRIX_JOBS at a
# time, and prints a table of the results. The CLIs, by the names MATRIX_CLIS takes:
#
#   1.5.7   Terraform v1.5.7 built from the Go module proxy and cached
#           (internal/tools/terraform.sh --build-1.5.7)
#   path    the `terraform` on PATH, if there is one
#   1.15.9  Terraform v1.15.9 } release builds from the shared CLIs folder
#   tofu    OpenTofu v1.12.6  } (SHARED_CLIS), unpacked into the cache folder
#
# A CLI that is not available (nothing on PATH, no shared folder) is
# reported as not tested and does not fail the run. The script exits
# non-zero when a tested CLI has a failed test, when `go test` itself fails
# (build failure, panic, timeout), or when a CLI that is there cannot be
# prepared (the 1.5.7 build fails, a checksum does not match).
#
# Environment:
#   MATRIX_CLIS     CLIs to test, in order (default "1.5.7 path 1.15.9 tofu")
#   MATRIX_RUN      passed to go test -run (default: every test)
#   MATRIX_TIMEOUT  go test -timeout for each CLI (default 30m)
#   MATRIX_PARALLEL go test -parallel for each CLI (default 4, as make test)
#   MATRIX_JOBS     how many CLIs' suites run at once (default 1)
#   MATRIX_LOGS     folder for each CLI's logs (default bin/test-matrix)
#   SHARED_CLIS     folder with the xz-compressed CLIs and their unpack
#                   script (default ../shared/clis from the repository root)
#   TF_PROVIDER_CACHE, XDG_CACHE_HOME  the cache folder, as for terraform.sh
#
# Counts are of top-level tests: a test with subtests counts once, and fails
# when any of its subtests fails.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${TF_PROVIDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alicloud}"
shared="${SHARED_CLIS:-$root/../shared/clis}"
clis="${MATRIX_CLIS:-1.5.7 path 1.15.9 tofu}"
run_pattern="${MATRIX_RUN:-}"
timeout="${MATRIX_TIMEOUT:-30m}"
parallel="${MATRIX_PARALLEL:-4}"
jobs="${MATRIX_JOBS:-1}"
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
	echo "MATRIX_JOBS must be a whole number of at least 1, not \"$jobs\"" >&2
	exit 2
fi
logs="${MATRIX_LOGS:-$root/bin/test-matrix}"
pkg=./internal/provider

# The release builds in the shared folder, by the name MATRIX_CLIS uses.
declare -A shared_file=([1.15.9]=terraform-1.15.9 [tofu]=tofu-1.12.6)

read -r -a selected <<<"$clis"
if [ "${#selected[@]}" -eq 0 ]; then
	echo "MATRIX_CLIS is empty; name one or more of: 1.5.7 path 1.15.9 tofu" >&2
	exit 2
fi
declare -A seen
for c in "${selected[@]}"; do
	case "$c" in
	1.5.7 | path | 1.15.9 | tofu) ;;
	*)
		echo "unknown CLI \"$c\" in MATRIX_CLIS; known: 1.5.7 path 1.15.9 tofu" >&2
		exit 2
		;;
	esac
	if [ -n "${seen[$c]:-}" ]; then
		echo "MATRIX_CLIS names \"$c\" twice" >&2
		exit 2
	fi
	seen[$c]=1
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$logs"
for c in "${selected[@]}"; do
	rm -f "$logs/$c.log" "$logs/$c.json"
done

now() { # microseconds since the epoch
	if [ -n "${EPOCHREALTIME:-}" ]; then
		printf '%s' "${EPOCHREALTIME/[.,]/}"
	else
		printf '%s000000' "$(date +%s)"
	fi
}
since() { # microseconds at the start -> 1m02s
	local s=$((($(now) - $1 + 500000) / 1000000))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

started="$(now)"
echo "Acceptance tests ($pkg, TF_ACC=1) on each CLI: ${selected[*]}"
echo "Counts are of top-level tests; a test fails when any of its subtests fails."
if [ -n "$run_pattern" ]; then
	echo "Only the tests matching -run '$run_pattern'."
fi
echo "go test -timeout $timeout per CLI; logs in $logs"

# Each CLI's row: name, version, passed, skipped, failed, time, result.
declare -A row_version row_passed row_skipped row_failed row_time row_result
failed_any=0

not_tested() { # name reason
	row_version[$1]="-"
	row_result[$1]="not tested: $2"
}
not_prepared() { # name reason: a CLI that is there cannot be prepared or run
	row_version[$1]="-"
	row_result[$1]="FAIL: $2"
	failed_any=1
}

# Compile the tests and the summariser once; a build failure fails every
# CLI alike, so it is reported once.
echo
echo "==> compiling the tests and the summariser"
if ! (cd "$root" && go test -c -o "$work/provider.test" "$pkg" && go build -o "$work/gotestsummary" ./internal/tools/gotestsummary); then
	echo "FAIL: the tests do not compile; no CLI was tested" >&2
	exit 1
fi

# The shared CLIs, unpacked once into the cache (the shared folder is
# read-only); the unpack script only decompresses what is missing or does
# not match its checksum.
declare -A cli_path
shared_wanted=()
for c in "${selected[@]}"; do
	if [ -n "${shared_file[$c]:-}" ]; then
		shared_wanted+=("$c")
	fi
done
if [ "${#shared_wanted[@]}" -gt 0 ]; then
	if [ ! -x "$shared/unpack" ]; then
		echo
		echo "NOTE: the shared CLIs folder $shared is missing (or has no unpack script):"
		for c in "${shared_wanted[@]}"; do
			echo "      ${shared_file[$c]} is not tested. Set SHARED_CLIS to the folder to test it."
			not_tested "$c" "$shared is missing"
		done
	else
		echo
		echo "==> unpacking the shared CLIs from $shared into $cache/clis"
		if unpacked="$("$shared/unpack" "$cache/clis")"; then
			for c in "${shared_wanted[@]}"; do
				f="$cache/clis/${shared_file[$c]}"
				if grep -qxF "$f" <<<"$unpacked" && [ -x "$f" ]; then
					cli_path[$c]="$f"
				else
					echo "FAIL: $shared has no ${shared_file[$c]}" >&2
					not_prepared "$c" "not in $shared"
				fi
			done
		else
			echo "FAIL: unpacking the shared CLIs failed (is xz installed? do the checksums match?)" >&2
			for c in "${shared_wanted[@]}"; do
				not_prepared "$c" "could not unpack"
			done
		fi
	fi
fi

# An empty CLI configuration for every CLI: the caller's configuration
# cannot make one CLI behave unlike another, and OpenTofu, when
# TF_CLI_CONFIG_FILE names a missing file, prints a warning before its
# version line that terraform-plugin-testing cannot parse.
: >"$work/empty.tfrc"

# cli_env NAME: env_cli, the command prefix that runs NAME's CLI alone.
cli_env() {
	env_cli=(env -u TF_ACC_PROVIDER_HOST TF_ACC=1 TF_ACC_TERRAFORM_PATH="${cli_path[$1]}" CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$work/empty.tfrc")
	if [ "$1" = tofu ]; then
		# Without it every test fails in init: the legacy provider
		# namespace "-" is only allowed with registry.opentofu.org.
		env_cli+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org)
	fi
}

ready=()
for c in "${selected[@]}"; do
	if [ -n "${row_result[$c]:-}" ]; then
		continue
	fi
	echo
	case "$c" in
	1.5.7)
		echo "==> Terraform v1.5.7 built from the Go module proxy"
		if ! cli_path[$c]="$("$root/internal/tools/terraform.sh" --build-1.5.7)"; then
			echo "FAIL: building Terraform v1.5.7 failed" >&2
			not_prepared "$c" "build failed"
			continue
		fi
		;;
	path)
		echo "==> the Terraform on PATH"
		if ! cli_path[$c]="$(command -v terraform)"; then
			echo "NOTE: there is no terraform on PATH; that row is not tested."
			not_tested "$c" "no terraform on PATH"
			continue
		fi
		;;
	*)
		echo "==> ${shared_file[$c]} from $shared"
		;;
	esac
	cli="${cli_path[$c]}"

	cli_env "$c"
	if ! version_out="$("${env_cli[@]}" "$cli" version 2>&1)"; then
		echo "FAIL: $cli version failed:" >&2
		printf '%s\n' "$version_out" >&2
		not_prepared "$c" "$cli version failed"
		continue
	fi
	row_version[$c]="$(head -n 1 <<<"$version_out")"
	echo "    $cli: ${row_version[$c]}"

	ready+=("$c")
done

# run_cli NAME: one CLI's go test, its summary into $work/NAME.out, its
# exit statuses and wall time into $work/NAME.status.
# One at a time, the summary goes straight to the terminal instead.
run_cli() {
	local c="$1" out="$work/$1.out"
	if [ "$jobs" -eq 1 ]; then
		out=/dev/stdout
	fi
	local env_cli
	cli_env "$c"
	local args=(test -count=1 -json -parallel "$parallel" -timeout "$timeout")
	if [ -n "$run_pattern" ]; then
		args+=(-run "$run_pattern")
	fi
	args+=("$pkg")
	local t0 status
	t0="$(now)"
	set +e
	(cd "$root" && "${env_cli[@]}" go "${args[@]}" 2>&1) |
		"$work/gotestsummary" -json "$logs/$c.json" -log "$logs/$c.log" -counts "$work/$c.counts" -failed "$work/$c.failed" -tail 40 >"$out" 2>&1
	status=("${PIPESTATUS[@]}")
	set -e
	echo "${status[0]} ${status[1]} $(since "$t0")" >"$work/$c.status"
}

# The suites run MATRIX_JOBS at a time. Each test starts its own mock on a
# loopback port of its own and works in its own temporary folders, so
# suites on different CLIs share nothing but the CPU.
echo
if [ "${#ready[@]}" -gt 0 ]; then
	echo "==> go test $pkg on ${ready[*]}, $jobs at a time (-parallel $parallel each; full output in $logs/CLI.log)"
fi
running=0
for c in "${ready[@]}"; do
	if [ "$jobs" -eq 1 ]; then
		echo
		echo "==> $c: ${row_version[$c]}"
		run_cli "$c"
		continue
	fi
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	run_cli "$c" &
	running=$((running + 1))
done
wait || true

for c in "${ready[@]}"; do
	if [ "$jobs" -gt 1 ]; then
		echo
		echo "==> $c: ${row_version[$c]}"
		cat "$work/$c.out" 2>/dev/null || true
	fi
	if [ ! -s "$work/$c.status" ]; then
		echo "FAIL: the run on $c ended without a status; see $logs/$c.log" >&2
		row_result[$c]="FAIL: no status"
		failed_any=1
		continue
	fi
	read -r go_status summary_status elapsed <"$work/$c.status"
	row_time[$c]="$elapsed"
	if [ "$summary_status" -ne 0 ] || [ ! -s "$work/$c.counts" ]; then
		echo "FAIL: summarising the output failed; see $logs/$c.log" >&2
		row_result[$c]="FAIL: no summary"
		failed_any=1
		continue
	fi
	read -r passed skipped failed unfinished <"$work/$c.counts"
	row_passed[$c]="$passed"
	row_skipped[$c]="$skipped"
	row_failed[$c]=$((failed + unfinished))
	if [ "$go_status" -ne 0 ]; then
		row_result[$c]="FAIL (go test exit $go_status)"
		if [ "$unfinished" -ne 0 ]; then
			row_result[$c]+=", $unfinished did not finish"
		fi
		failed_any=1
	elif [ $((failed + unfinished)) -ne 0 ]; then
		row_result[$c]="FAIL"
		failed_any=1
	elif [ $((passed + skipped)) -eq 0 ]; then
		row_result[$c]="ok, but no test ran"
	else
		row_result[$c]="ok"
	fi
	echo "    ${row_result[$c]}: $passed passed, $skipped skipped, ${row_failed[$c]} failed in ${row_time[$c]}"
done

echo
echo "==> Acceptance tests per CLI (counts of top-level tests; total wall time $(since "$started"))"
w=7
for c in "${selected[@]}"; do
	v="${row_version[$c]:--}"
	if [ "${#v}" -gt "$w" ]; then
		w="${#v}"
	fi
done
format="%-7s  %-${w}s  %6s  %7s  %6s  %6s  %s\n"
# shellcheck disable=SC2059 # the format is built above
printf "$format" CLI version passed skipped failed time result
for c in "${selected[@]}"; do
	# shellcheck disable=SC2059
	printf "$format" "$c" "${row_version[$c]:--}" "${row_passed[$c]:--}" "${row_skipped[$c]:--}" \
		"${row_failed[$c]:--}" "${row_time[$c]:--}" "${row_result[$c]:-}"
done
for c in "${selected[@]}"; do
	if [ -s "$work/$c.failed" ]; then
		echo
		echo "Failed on $c (${row_version[$c]}); the end of their output is above, everything in $logs/$c.log:"
		sed 's/^/    /' "$work/$c.failed"
	fi
done
exit "$failed_any"
