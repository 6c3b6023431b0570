#!/usr/bin/env bash
# Verifies a goreleaser dist/ folder against what the Terraform Registry
# takes from a provider release:
#   - terraform-provider-alicloud_<version>_SHA256SUMS lists exactly one zip
#     per OS and architecture and the manifest, and every checksum matches;
#   - the manifest terraform-provider-alicloud_<version>_manifest.json is
#     byte for byte the repository's terraform-registry-manifest.json;
#   - for a few targets, the zip holds exactly the binary
#     terraform-provider-alicloud_v<version> (.exe on Windows), built for that
#     GOOS/GOARCH without cgo and with -trimpath (read with `go version -m`,
#     so a binary for another platform is checked without running it),
#     stripped (-s), and linked with -X main.version=<version>;
#   - when the SHA256SUMS file has a signature (<name>.sig, required with
#     --signed), gpg verifies it with the keys of GNUPGHOME.
# With RELEASE_TARGETS (e.g. "linux_amd64 windows_arm64"), the snapshot was
# built for those targets only, and exactly their zips are expected.
# Usage: internal/tools/release-check.sh [--signed] [DIST]   (default: dist)
set -euo pipefail
cd "$(dirname "$0")/../.."

signed=
if [ "${1:-}" = --signed ]; then
	signed=1
	shift
fi
dist="${1:-dist}"
project=terraform-provider-alicloud
targets=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64 freebsd_amd64 freebsd_arm64)
inspect=(linux_amd64 darwin_arm64 windows_amd64)
if [ -n "${RELEASE_TARGETS:-}" ]; then
	read -r -a targets <<<"$RELEASE_TARGETS"
	inspect=("${targets[@]}")
fi

fail() {
	printf 'release-check: FAIL: %s\n' "$*" >&2
	exit 1
}

[ -d "$dist" ] || fail "no folder $dist: run make release-snapshot first"

shopt -s nullglob
sums_files=("$dist"/"$project"_*_SHA256SUMS)
shopt -u nullglob
[ "${#sums_files[@]}" -eq 1 ] || fail "expected exactly one $dist/${project}_<version>_SHA256SUMS, found ${#sums_files[@]}: ${sums_files[*]:-none}"
sums="${sums_files[0]}"
sums_name="$(basename "$sums")"
version="$sums_name"
version="${version#"${project}_"}"
version="${version%_SHA256SUMS}"
[ -n "$version" ] || fail "cannot read the version from $sums_name"
echo "==> $dist: release $version"

# The files the SHA256SUMS must list, no more and no fewer.
manifest="${project}_${version}_manifest.json"
expected=("$manifest")
for t in "${targets[@]}"; do
	expected+=("${project}_${version}_${t}.zip")
done
declare -A is_expected=()
for name in "${expected[@]}"; do
	is_expected[$name]=1
done

echo "==> checksums in $sums_name"
declare -A listed=()
while read -r sum name rest; do
	[ -n "${sum:-}" ] || continue
	[ -z "${rest:-}" ] || fail "malformed line in $sums_name: $sum $name $rest"
	[[ "$sum" =~ ^[0-9a-f]{64}$ ]] || fail "malformed checksum for $name in $sums_name: $sum"
	name="${name#\*}"
	[ -z "${listed[$name]:-}" ] || fail "$name is listed twice in $sums_name"
	listed[$name]=1
	# A file added to the SHA256SUMS after it was signed, such as the
	# signature itself, makes the signature fail for the registry.
	[ -n "${is_expected[$name]:-}" ] ||
		fail "$sums_name lists $name, which is neither a release zip nor the manifest"
	[ -f "$dist/$name" ] || fail "$sums_name lists $name, which is not in $dist"
	actual="$(sha256sum "$dist/$name" | cut -d' ' -f1)"
	[ "$actual" = "$sum" ] || fail "checksum mismatch for $name: listed $sum, file has $actual"
	printf '    ok  %s  %s\n' "$sum" "$name"
done <"$sums"
for name in "${expected[@]}"; do
	[ -n "${listed[$name]:-}" ] || fail "$sums_name does not list $name"
done
shopt -s nullglob
for zip in "$dist"/*.zip; do
	[ -n "${listed[$(basename "$zip")]:-}" ] || fail "$zip is not listed in $sums_name"
done
shopt -u nullglob

sig="$sums_name.sig"
if [ -f "$dist/$sig" ]; then
	echo "==> signature $sig"
	out="$(gpg --batch --verify "$dist/$sig" "$sums" 2>&1)" ||
		fail "$sig does not verify $sums_name:
$out"
	sed -n 's/^gpg: Good signature/    ok  good signature/p' <<<"$out"
elif [ -n "$signed" ]; then
	fail "no signature $dist/$sig"
else
	echo "==> no signature $sig (a snapshot skips signing)"
fi

echo "==> registry manifest"
cmp -s "$dist/$manifest" terraform-registry-manifest.json ||
	fail "$dist/$manifest differs from terraform-registry-manifest.json"
echo "    ok  $manifest equals terraform-registry-manifest.json"

echo "==> zips for every target"
for t in "${targets[@]}"; do
	zip="$dist/${project}_${version}_${t}.zip"
	[ -s "$zip" ] || fail "missing or empty: $zip"
	unzip -tq "$zip" >/dev/null || fail "$zip is not a valid zip"
	echo "    ok  $(basename "$zip")"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in "${inspect[@]}"; do
	goos="${t%_*}"
	goarch="${t#*_}"
	bin="${project}_v${version}"
	if [ "$goos" = windows ]; then bin="$bin.exe"; fi
	zip="$(basename "$dist/${project}_${version}_${t}.zip")"
	echo "==> $t: contents of $zip"
	entries="$(unzip -Z1 "$dist/$zip")"
	[ "$entries" = "$bin" ] || fail "$zip must hold exactly $bin; it holds: $(echo "$entries" | tr '\n' ' ')"
	mkdir -p "$work/$t"
	unzip -q "$dist/$zip" -d "$work/$t"
	exe="$work/$t/$bin"

	info="$(go version -m "$exe")" || fail "go version -m cannot read $bin from $zip"
	# Lines of `go version -m`: "<TAB>build<TAB>KEY=VALUE", "<TAB>path<TAB>PKG".
	setting() { awk -F '\t' -v k="$1" '$2 == "build" && index($3, k "=") == 1 { print substr($3, length(k) + 2) }' <<<"$info"; }
	[ "$(setting GOOS)" = "$goos" ] || fail "$bin in $zip is built for GOOS=$(setting GOOS), expected $goos"
	[ "$(setting GOARCH)" = "$goarch" ] || fail "$bin in $zip is built for GOARCH=$(setting GOARCH), expected $goarch"
	[ "$(setting CGO_ENABLED)" = 0 ] || fail "$bin in $zip is built with CGO_ENABLED=$(setting CGO_ENABLED), expected 0"
	[ "$(setting -trimpath)" = true ] || fail "$bin in $zip is not built with -trimpath"
	path="$(awk -F '\t' '$2 == "path" { print $3 }' <<<"$info")"
	[ "$path" = "github.com/alicloud-live/$project" ] ||
		fail "$bin in $zip is built from ${path:-an unknown package}, expected github.com/alicloud-live/$project"

	# With -trimpath Go records no -ldflags among the build settings. The
	# version string reaches the binary only through -X main.version, and
	# -s drops the symbol table: go tool nm finds no main.main (a Mach-O
	# binary keeps only the symbols it imports from the system libraries).
	grep -qaF -- "$version" "$exe" ||
		fail "$bin in $zip does not contain the string $version: not linked with -X main.version=$version"
	if go tool nm "$exe" 2>/dev/null | grep -E ' main\.main$' >/dev/null; then
		fail "$bin in $zip has a symbol table: not linked with -s"
	fi
	echo "    ok  $bin: GOOS=$goos GOARCH=$goarch CGO_ENABLED=0 -trimpath, stripped, main.version=$version"
done

echo "==> files in $dist"
files=("${expected[@]}" "$sums_name")
if [ -f "$dist/$sig" ]; then files+=("$sig"); fi
(cd "$dist" && ls -l -- "${files[@]}")
echo "release-check: OK: $version, ${#targets[@]} targets, checksums${signed:+, signature} and manifest verified"
