#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's front door. On a fresh Debian 12 machine as root:
#   bash scripts/run.sh demo [demo options]   build the CLI and run `patron demo`
#   bash scripts/run.sh test                  build everything and run the whole test suite
#   bash scripts/run.sh examples              build and run every program in examples/
#   bash scripts/run.sh sanitize              the test suite again under ASan + UBSan
#   bash scripts/run.sh bench [filter]        build and run the benchmarks (medians of 5)
# Missing Debian packages are installed first (apt-get update once, then apt-get install).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${PATRON_JOBS:-$(nproc)}"

packages=(build-essential cmake ninja-build ccache pkg-config
  libeigen3-dev liblbfgspp-dev libboost-dev libfast-float-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libssl-dev catch2 libbenchmark-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "patron: installing missing Debian packages: ${missing[*]}" >&2
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# The report's browser test (tests/report_test.cpp) renders report.html in headless Chromium.
install_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  echo "patron: installing Debian's chromium for the report's browser test" >&2
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
}

# ccache may cache the CLI's and tests' precompiled headers only with this sloppiness.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"

# configure <build dir> [cmake options...]
configure() {
  local dir="$1"; shift
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache \
    -DPATRON_WERROR=ON "$@" >/dev/null
}

cmd="${1:-help}"; shift || true
case "$cmd" in
  demo)
    install_missing
    configure "$here/build/release" -DPATRON_BUILD_TESTS=OFF -DPATRON_BUILD_EXAMPLES=OFF -DPATRON_BUILD_BENCHMARKS=OFF
    cmake --build "$here/build/release" --target patron_cli -j "$jobs"
    exec "$here/build/release/patron" demo "$@"
    ;;
  test)
    install_missing
    install_chromium
    configure "$here/build/test" -DPATRON_BUILD_BENCHMARKS=ON
    cmake --build "$here/build/test" -j "$jobs"
    ctest --test-dir "$here/build/test" --output-on-failure -j "$jobs"
    ;;
  examples)
    install_missing
    configure "$here/build/test" -DPATRON_BUILD_BENCHMARKS=ON
    cmake --build "$here/build/test" --target patron_examples -j "$jobs"
    for exe in "$here"/build/test/examples/example_*; do
      [[ -x "$exe" ]] || continue
      echo "== ${exe##*/}"
      (cd "$here" && "$exe")
    done
    # The Python ctypes example (examples/python) against the C ABI, with Debian's python3.
    if [[ -x /usr/bin/python3 && -e "$here/build/test/src/capi/libpatron_c.so.1" ]]; then
      echo "== examples/python/cdnow_clv.py"
      (cd "$here" && PATRON_C_LIBRARY="$here/build/test/src/capi/libpatron_c.so.1" /usr/bin/python3 examples/python/cdnow_clv.py)
    fi
    ;;
  sanitize)
    install_missing
    # -O1 -g1: line-number stack traces at half the compile time of -O2 -g (CI has 2 cores).
    configure "$here/build/sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPATRON_SANITIZE=address,undefined \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
      -DPATRON_BUILD_BENCHMARKS=OFF -DPATRON_BUILD_EXAMPLES=OFF -DPATRON_OPENMP=OFF
    cmake --build "$here/build/sanitize" -j "$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir "$here/build/sanitize" --output-on-failure -j "$jobs"
    ;;
  bench)
    install_missing
    configure "$here/build/bench" -DPATRON_BUILD_TESTS=OFF -DPATRON_BUILD_BENCHMARKS=ON
    cmake --build "$here/build/bench" -j "$jobs"
    for exe in "$here"/build/bench/benchmarks/bench_*; do
      [[ -x "$exe" ]] || continue
      "$exe" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
        ${1:+--benchmark_filter="$1"}
    done
    ;;
  *)
    sed -n '3,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    [[ "$cmd" == help ]] || exit 2
    ;;
esac
