#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ABI check of libpatron_c against the previous tagged release (v<major>.<minor>.<patch>):
# builds both with debug info, dumps them with abi-dumper and compares with
# abi-compliance-checker (Debian packages abi-dumper, abi-compliance-checker).
#   bash scripts/abi_check.sh [source dir]
# Exit 0 = compatible, 1 = broken or failed, 77 = skipped (no tagged release yet).
set -euo pipefail
src="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)"
if ! head_ref="$(git -C "$src" rev-parse HEAD 2>/dev/null)"; then
  echo "abi_check: $src is not a git checkout, no release tags to compare against: skipped"
  exit 77
fi
# The newest release tag reachable from HEAD that is not HEAD itself.
baseline=""
while read -r tag; do
  if [[ "$(git -C "$src" rev-list -n 1 "$tag")" != "$head_ref" ]]; then baseline="$tag"; break; fi
done < <(git -C "$src" tag --list 'v[0-9]*' --sort=-v:refname --merged HEAD)
if [[ -z "$baseline" ]]; then
  echo "abi_check: no tagged release (v*) yet, nothing to compare against: skipped"
  exit 77
fi
for tool in abi-dumper abi-compliance-checker; do
  if ! command -v "$tool" >/dev/null; then
    echo "abi_check: baseline $baseline exists but $tool is missing: apt-get install abi-dumper abi-compliance-checker" >&2
    exit 1
  fi
done
work="$(mktemp -d)"
trap 'git -C "$src" worktree remove --force "$work/old-src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$src" worktree add --detach "$work/old-src" "$baseline" >/dev/null
build() {  # build <source> <build dir>
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-g -Og" \
    -DPATRON_BUILD_TESTS=OFF -DPATRON_BUILD_EXAMPLES=OFF -DPATRON_BUILD_BENCHMARKS=OFF \
    -DPATRON_BUILD_CLI=OFF -DPATRON_DATA_DIR="$src/../shared/data" >/dev/null
  cmake --build "$2" --target patron_c >/dev/null
}
build "$work/old-src" "$work/old"
build "$src" "$work/new"
abi-dumper "$work/old/src/capi/libpatron_c.so" -o "$work/old.dump" -lver "${baseline#v}" \
  -public-headers "$work/old-src/include/patron/c" >/dev/null
abi-dumper "$work/new/src/capi/libpatron_c.so" -o "$work/new.dump" -lver HEAD \
  -public-headers "$src/include/patron/c" >/dev/null
abi-compliance-checker -l patron_c -old "$work/old.dump" -new "$work/new.dump" \
  -report-path "${PATRON_ABI_REPORT:-$work/report.html}"
