#!/usr/bin/env bash
# Several nodes on one PostgreSQL (issue 4): two `layan serve` processes share a throwaway
# cluster. A session made on node 1 is valid on node 2; data written through node 1 is read
# through node 2; killing node 1 right after it acknowledged a write loses nothing. Then an
# outage: with PostgreSQL stopped /readyz fails and pages answer 503 while the process stays up;
# when PostgreSQL is back the same process serves again without a restart.
set -euo pipefail
bin=$1
src=${LAYAN_SOURCE_DIR:?}
tmp=$(mktemp -d)
chmod 755 "$tmp" # the cluster runs as postgres when we are root: it must reach pg/
pgdir="$tmp/pg"
cleanup() {
  # start_node runs in $(...), a subshell: the node pids are in the .pid files
  for f in "$tmp"/node*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  bash "$src/scripts/pg-test.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$tmp"/node*.log; do echo "== $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }

url=$(bash "$src/scripts/pg-test.sh" start "$pgdir")
export LAYAN_KEY_FILE="$tmp/layan.key" LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8
"$bin" init --db "$url" --region 32.73 >/dev/null || fail "init on PostgreSQL"
"$bin" demo --db "$url" >/dev/null || fail "demo on PostgreSQL"

start_node() { # $1 = name; prints the base URL
  "$bin" serve --listen 127.0.0.1:0 --db "$url" >"$tmp/$1.out" 2>"$tmp/$1.log" &
  echo $! >"$tmp/$1.pid"
  for _ in $(seq 1 100); do
    if grep -qE '^listening on ' "$tmp/$1.out"; then
      sed -nE 's/^listening on (http:\/\/[^ ]+).*/\1/p' "$tmp/$1.out" | head -n 1
      return 0
    fi
    sleep 0.1
  done
  fail "$1 did not start"
}
n1=$(start_node node1)
n2=$(start_node node2)

jar="$tmp/cookies"
csrf() { # $1 = page URL: the form token of that page (and the cookie that goes with it)
  curl -s -c "$jar" -b "$jar" "$1" | sed -nE 's/.*name="_csrf" value="([0-9a-f]+)".*/\1/p' | head -n 1
}
# sign in through node 1
tok=$(csrf "$n1/masuk")
[ -n "$tok" ] || fail "no CSRF token on node 1's sign-in page"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data "identitas=081200000001&kata_sandi=layan-demo-2026&_csrf=$tok" "$n1/masuk")
[ "$code" = 303 ] || fail "sign in on node 1: $code"
# the session works on node 2
page=$(curl -s -b "$jar" "$n2/akun")
grep -q "Warga Demo" <<<"$page" || fail "the session made on node 1 is not valid on node 2"

# a write through node 1, acknowledged, then node 1 is killed at once: node 2 reads it
tok=$(csrf "$n1/akun/ubah")
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data "nama=Warga+Demo&alamat=Jl.+Dua+Node+No.+2&_csrf=$tok" "$n1/akun/ubah")
[ "$code" = 303 ] || fail "address change on node 1: $code"
kill -9 "$(cat "$tmp/node1.pid")"
grep -q "Jl. Dua Node No. 2" <<<"$(curl -s -b "$jar" "$n2/akun")" || fail "node 2 does not see node 1's acknowledged write"

# outage: PostgreSQL stops; node 2 stays up, says so, and recovers by itself
bash "$src/scripts/pg-test.sh" halt "$pgdir"
code=$(curl -s -o /dev/null -w '%{http_code}' "$n2/readyz")
[ "$code" = 503 ] || fail "/readyz during the outage: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$n2/unit/32.73.01")
[ "$code" = 503 ] || fail "a page during the outage: $code (want 503)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$n2/healthz")
[ "$code" = 200 ] || fail "/healthz (the process) during the outage: $code"
bash "$src/scripts/pg-test.sh" start "$pgdir" >/dev/null
ok=0
for _ in $(seq 1 50); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$n2/readyz")" = 200 ]; then ok=1; break; fi
  sleep 0.2
done
[ $ok = 1 ] || fail "node 2 did not become ready again after PostgreSQL came back"
grep -q "Jl. Dua Node No. 2" <<<"$(curl -s -b "$jar" "$n2/akun")" || fail "the session and data after the outage"
kill -0 "$(cat "$tmp/node2.pid")" || fail "node 2 exited during the outage"
echo ok
