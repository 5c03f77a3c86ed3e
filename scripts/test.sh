#!/usr/bin/env bash
# make test: builds the normal, the ASan+UBSan and the libFuzzer builds, runs every CTest test,
# and ends with one summary line "N passed, N failed".
#   normal build:   unit, pg (database tests on PostgreSQL), cli, http, e2e (browser)
#   asan build:     unit, pg, cli, http   (memory and undefined-behaviour errors fail the test)
#   fuzz build:     fuzz regression replay + a short bounded run per target
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
mkdir -p test-artifacts
passed=0; failed=0; failures=()

count() { # $1 = label for the run, $2 = ctest log
  local line p t f
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$2" | tail -n 1)
  if [ -z "$line" ]; then
    if grep -q 'No tests were found' "$2"; then return; fi
    failed=$((failed + 1)); failures+=("$1: ctest did not finish"); return
  fi
  f=$(sed -E 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  p=$((t - f)); passed=$((passed + p)); failed=$((failed + f))
  while read -r l; do failures+=("$1: $l"); done < <(grep -E '^\s+[0-9]+ - ' "$2" | sed -E 's/^\s+//')
}

build() { # $1 dir, rest cmake args
  local dir=$1; shift
  echo "== build $dir"
  if ! cmake -S . -B "$dir" "$@" >"test-artifacts/cmake-$dir.log" 2>&1 ||
     ! cmake --build "$dir" -j"$JOBS" >>"test-artifacts/cmake-$dir.log" 2>&1; then
    grep -E 'error|Error' -A3 "test-artifacts/cmake-$dir.log" | head -n 60
    failed=$((failed + 1)); failures+=("build $dir failed (test-artifacts/cmake-$dir.log)")
    return 1
  fi
}

run_ctest() { # $1 dir, $2 label regex
  echo "== ctest $1 ($2)"
  (cd "$1" && ctest -L "$2" -j"$JOBS" --output-on-failure --timeout 600) >"test-artifacts/ctest-$1.log" 2>&1
  grep -E '(Test +#|tests passed|Passed|\*\*\*Failed|Failed|Timeout)' "test-artifacts/ctest-$1.log" | grep -vE '^\s*$' | sed -n '1,400p' | grep -E 'Failed|Timeout|tests passed' || true
  count "$1" "test-artifacts/ctest-$1.log"
  if grep -qE '\*\*\*Failed|\*\*\*Timeout|Exception' "test-artifacts/ctest-$1.log"; then
    echo "-- output of failing tests (test-artifacts/ctest-$1.log):"
    awk '/Output from these tests are in|The following tests FAILED/{exit} {print}' "test-artifacts/ctest-$1.log" | grep -vE '^\s*[0-9]+/[0-9]+ Test' | tail -n 120
  fi
}

if build build -DCMAKE_BUILD_TYPE=Release; then run_ctest build 'unit|pg|cli|http|e2e'; fi
if build build-asan -DCMAKE_BUILD_TYPE=Debug -DLAYAN_SANITIZE=ON -DCMAKE_C_COMPILER=clang; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 run_ctest build-asan 'unit|pg|cli|http'
fi
if build build-fuzz -DCMAKE_BUILD_TYPE=Debug -DLAYAN_FUZZ=ON -DCMAKE_C_COMPILER=clang; then
  run_ctest build-fuzz 'fuzz'
fi

if [ ${#failures[@]} -gt 0 ]; then
  echo "== failures"; printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
