#!/usr/bin/env bash
# Replays every kept input (regressions and seeds) through a fuzz target once.
set -euo pipefail
bin=$1; shift
files=()
for d in "$@"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name '.gitkeep' -print0)
done
[ ${#files[@]} -eq 0 ] && { echo "no inputs to replay"; exit 0; }
exec "$bin" -runs=0 "${files[@]}"
