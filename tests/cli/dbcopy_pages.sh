#!/usr/bin/env bash
# layan db copy, seen from outside: an office on SQLite (init + demo) copied to PostgreSQL gives
# the same pages and the same API answers from both, and the demo citizen signs in on the copy
# and sees their own (decrypted) data: personal data and the installation key moved together.
set -euo pipefail
bin=$1
src=${LAYAN_SOURCE_DIR:?}
tmp=$(mktemp -d)
chmod 755 "$tmp" # the cluster runs as postgres when we are root
cleanup() {
  # serve runs in $(...), a subshell: the pids are in the .pid files
  for f in "$tmp"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  bash "$src/scripts/pg-test.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8 LAYAN_ACCESS_LOG=off
lite="sqlite:$tmp/office.db"
"$bin" init --db "$lite" --region 32.73 >/dev/null
"$bin" demo --db "$lite" >/dev/null
base=$(bash "$src/scripts/pg-test.sh" start "$tmp/pg")
"$bin" db copy --from "$lite" --to "$base" >/dev/null 2>&1 || fail "db copy"

serve() { # $1 name, $2 db URL -> prints the base URL
  LAYAN_KEY_FILE="$tmp/office.key" "$bin" serve --listen 127.0.0.1:0 --db "$2" >"$tmp/$1.out" 2>"$tmp/$1.log" &
  echo $! >"$tmp/$1.pid"
  for _ in $(seq 1 100); do
    grep -qE '^listening on ' "$tmp/$1.out" && { sed -nE 's/^listening on (http:[^ ]+).*/\1/p' "$tmp/$1.out"; return; }
    sleep 0.1
  done
  fail "$1 did not start: $(cat "$tmp/$1.log")"
}
a=$(serve sqlite "$lite")
b=$(serve pg "$base")
for path in /api/v1/units /api/v1/units/32.73.01 / /unit/32.73.01 "/cari?q=coblong" /unit/32.73.99; do
  ca=$(curl -s -o "$tmp/a.body" -w '%{http_code}' "$a$path")
  cb=$(curl -s -o "$tmp/b.body" -w '%{http_code}' "$b$path")
  [ "$ca" = "$cb" ] || fail "$path: status $ca on SQLite, $cb on PostgreSQL"
  # error pages carry a per-request reference number; everything else must be identical
  sed -i -E 's/[0-9a-f]{16}//g' "$tmp/a.body" "$tmp/b.body"
  cmp -s "$tmp/a.body" "$tmp/b.body" || { diff "$tmp/a.body" "$tmp/b.body" | head -n 10 >&2; fail "$path differs"; }
done
# the citizen signs in on the copy and reads their own data
jar="$tmp/jar"
tok=$(curl -s -c "$jar" -b "$jar" "$b/masuk" | sed -nE 's/.*name="_csrf" value="([0-9a-f]+)".*/\1/p' | head -n 1)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data "identitas=081200000001&kata_sandi=layan-demo-2026&_csrf=$tok" "$b/masuk")
[ "$code" = 303 ] || fail "sign-in on the copy: $code"
page=$(curl -s -b "$jar" "$b/akun")
grep -q "Jl. Merdeka No. 1 (alamat contoh)" <<<"$page" || fail "the address did not decrypt on the copy"
grep -q "3273011505900001" <<<"$page" || fail "the NIK did not decrypt on the copy"
echo ok
