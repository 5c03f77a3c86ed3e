#!/usr/bin/env bash
# Fuzzes a target for a bounded time in a scratch corpus seeded from the kept one.
# A crash is copied to fuzz/regression/<name>/ so that it is replayed forever after.
set -euo pipefail
bin=$1; seeds=$2; secs=$3
name=$(basename "$seeds")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
rc=0
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$work/" -print_final_stats=0 "$work/corpus" >"$work/log" 2>&1 || rc=$?
if [ $rc -ne 0 ]; then
  tail -n 60 "$work/log"
  reg="$(dirname "$0")/regression/$name"; mkdir -p "$reg"
  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do [ -f "$a" ] && cp "$a" "$reg/"; done
  echo "fuzz target $name failed; the input is kept in $reg"
  exit 1
fi
grep -E '^#[0-9]+.*DONE' "$work/log" | tail -n 1 || true
