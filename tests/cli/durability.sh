#!/usr/bin/env bash
# Durability of acknowledged submissions (issue 6): `layan serve` takes a burst of concurrent
# POST /api/v1/requests (64 at a time, each with its own idempotency key) and is killed with
# SIGKILL in the middle of it. After a restart every submission that was acknowledged (2xx with a
# tracking code) must be there with that code; sending every key again must create nothing twice
# (acknowledged keys answer 200 existed=true with the same code). On SQLite, then on PostgreSQL
# when its server binaries are installed (LAYAN_DURABILITY_PG=0 skips it). Bounded: < 60 s each.
set -euo pipefail
bin=$1
src=${LAYAN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
chmod 755 "$tmp" # a PostgreSQL cluster runs as postgres when we are root: it must reach pg/
pid=
pgdir=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  [ -n "$pgdir" ] && bash "$src/scripts/pg-test.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 20 "$tmp"/serve*.log >&2 2>/dev/null || true; exit 1; }
# one client address makes the whole burst: no per-address connection cap (as behind a proxy)
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8 LAYAN_PER_IP_CONNECTIONS=0
N=${LAYAN_DURABILITY_N:-400} # submissions in the burst
P=64                         # at a time

start() { # $1 = db URL, $2 = log name: sets $pid and $base
  "$bin" serve --listen 127.0.0.1:0 --db "$1" --log-level warn >"$tmp/$2.out" 2>"$tmp/$2.log" &
  pid=$!
  for _ in $(seq 1 100); do
    base=$(sed -nE 's/^listening on (http:\/\/[^ ]+).*/\1/p' "$tmp/$2.out" | head -n 1)
    [ -n "$base" ] && return 0
    sleep 0.1
  done
  fail "$2: the server did not start"
}

# the burst: one node process keeps P submissions in flight and appends "n status code existed"
# per answer as it arrives (status 0: no answer), so what was acknowledged is on disk at the kill
cat >"$tmp/burst.mjs" <<'JS'
import { appendFileSync, readFileSync } from 'node:fs';
const [base, key, tmpl, run, n, p, out] = process.argv.slice(2);
const body = readFileSync(tmpl, 'utf8');
let next = 1;
async function one(i) {
  let line = `${i} 0 - -`;
  try {
    const r = await fetch(`${base}/api/v1/requests`, {
      method: 'POST', body: body.replace('@KEY@', `dur-${run}-${i}`), signal: AbortSignal.timeout(20000),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    });
    const t = await r.text();
    let j = {};
    try { j = JSON.parse(t); } catch { /* not JSON: the status says enough */ }
    line = `${i} ${r.status} ${(j.tracking_code ?? '-').replaceAll('-', '')} ${j.existed ?? '-'}`;
  } catch (e) { line = `${i} 0 - - ${e.cause?.code ?? e.name}`; /* refused or reset: not acknowledged */ }
  appendFileSync(out, line + '\n');
}
async function worker() { while (next <= +n) await one(next++); }
await Promise.all(Array.from({ length: +p }, worker));
JS
burst() { # $1 = output file
  node "$tmp/burst.mjs" "$base" "$key" "$tmp/body.json" "$run" "$N" "$P" "$1"
}

# $1 = db URL, $2 = name, $3 = SQL runner (a command reading SQL on stdin)
run_case() {
  local db=$1 name=$2 sql=$3
  local t0=$SECONDS
  echo "$name: init + demo" >&2
  "$bin" init --db "$db" --region 32.73 >/dev/null || fail "$name: init"
  "$bin" demo --db "$db" >/dev/null || fail "$name: demo"
  key=$("$bin" apikey create --db "$db" --name "durability" | tail -n 1)
  [[ $key =~ ^lyk_ ]] || fail "$name: no API key"
  start "$db" "serve-$name-1"
  # a body for kia with every required attribute of its published definition
  curl -s "$base/open311/v2/services/kia.json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
fields = {}
for a in d["attributes"]:
    c, t = a["code"], a["datatype"]
    if c in ("nik", "no_kk", "delivery") or not a["required"]:
        continue
    v = a["values"][0]["key"] if t.endswith("valuelist") else "2026-01-05" if t == "datetime" else "1" if t == "number" else "contoh"
    fields[c] = [v] if t == "multivaluelist" else v
b = {"service_code": "kia", "nik": "3273010101900001", "delivery": "pickup", "fields": fields,
     "idempotency_key": "@KEY@"}
if any(a["code"] == "no_kk" for a in d["attributes"]):
    b["kk"] = "3273012301200002"
print(json.dumps(b))' >"$tmp/body.json" || fail "$name: no kia definition"
  run=$name
  : >"$tmp/out1"
  echo "$name: the burst ($((SECONDS - t0)) s)" >&2
  burst "$tmp/out1" &
  local burst_pid=$!
  for _ in $(seq 1 400); do # SIGKILL once some have been acknowledged
    [ "$(awk '$2 == 201' "$tmp/out1" | wc -l)" -ge 40 ] && break
    sleep 0.05
  done
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  wait "$burst_pid" || true
  [ "$(wc -l <"$tmp/out1")" = "$N" ] || fail "$name: the burst did not finish"
  local odd
  odd=$(awk '$2 != 0 && $2 != 200 && $2 != 201' "$tmp/out1" | head -n 3)
  [ -z "$odd" ] || fail "$name: unexpected answers: $odd"
  awk '$2 == 200 || $2 == 201 {print $1, $3}' "$tmp/out1" | sort >"$tmp/acked"
  local acked lost
  acked=$(wc -l <"$tmp/acked")
  lost=$(awk '$2 == 0' "$tmp/out1" | wc -l)
  [ "$acked" -ge 1 ] || fail "$name: nothing was acknowledged before the kill"
  [ "$lost" -ge 1 ] || echo "note: $name: the burst ended before the kill (raise LAYAN_DURABILITY_N)" >&2
  # every acknowledged submission is in the database with the code it was given
  echo "SELECT idempotency_key || ' ' || tracking_code FROM requests WHERE idempotency_key LIKE 'dur-$run-%';" |
    $sql | sed "s/^dur-$run-//" | sort >"$tmp/stored"
  local missing
  missing=$(comm -23 "$tmp/acked" "$tmp/stored" | head -n 5)
  [ -z "$missing" ] || fail "$name: acknowledged but not stored (key code): $missing"
  local stored
  stored=$(wc -l <"$tmp/stored")
  echo "$name: restart and replay ($((SECONDS - t0)) s)" >&2
  # restart: the same keys again; nothing twice, acknowledged ones get their first answer
  start "$db" "serve-$name-2"
  : >"$tmp/out2"
  burst "$tmp/out2"
  odd=$(awk '$2 != 200 && $2 != 201' "$tmp/out2" | head -n 3)
  [ -z "$odd" ] || fail "$name: after the restart: $odd"
  # acknowledged keys: 200, existed, the same code
  odd=$(awk 'NR == FNR {code[$1] = $2; next} ($1 in code) && ($2 != 200 || $4 != "true" || $3 != code[$1])' \
    "$tmp/acked" "$tmp/out2" | head -n 3)
  [ -z "$odd" ] || fail "$name: an acknowledged key sent again: $odd"
  local rows keys
  rows=$(echo "SELECT count(*) FROM requests WHERE idempotency_key LIKE 'dur-$run-%';" | $sql)
  keys=$(echo "SELECT count(DISTINCT idempotency_key) FROM requests WHERE idempotency_key LIKE 'dur-$run-%';" | $sql)
  [ "$rows" = "$N" ] && [ "$keys" = "$N" ] || fail "$name: $rows rows for $keys keys, want $N each"
  # and the public status answers for an acknowledged one
  read -r _ code <"$tmp/acked"
  grep -q '"status":"open"' <<<"$(curl -s "$base/open311/v2/requests/$code.json")" ||
    fail "$name: Open311 does not find $code"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$name: $acked of $N acknowledged before SIGKILL, $stored stored (none lost), $N after the replay, no duplicates ($((SECONDS - t0)) s)"
  [ $((SECONDS - t0)) -lt 60 ] || fail "$name: took $((SECONDS - t0)) s (bound 60 s)"
}

sqlite_sql() { sqlite3 "$tmp/d.db"; }
run_case "sqlite:$tmp/d.db" sqlite sqlite_sql

if [ "${LAYAN_DURABILITY_PG:-1}" != 0 ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pgdir="$tmp/pg"
  url=$(bash "$src/scripts/pg-test.sh" start "$pgdir") || fail "PostgreSQL did not start"
  export LAYAN_KEY_FILE="$tmp/pg.key"
  pg_sql() { psql -X -q -At "$url"; }
  run_case "$url" pg pg_sql
fi
echo ok
