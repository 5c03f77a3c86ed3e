#!/usr/bin/env bash
# layan workflow show|set|reset: the default shown as JSON that set takes back; an invalid
# definition refused with the reason (exit 1, nothing stored); a valid one from a file and from
# standard input; a definition or a reset that drops a state where an open request sits is
# refused with the count and the state; every change audited; usage errors exit 2.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8
f="$tmp/x.db"
db="sqlite:$f"
q() { sqlite3 "$f" "$1"; }
"$bin" init --db "$db" --region 32.73 >/dev/null
"$bin" user create --db "$db" --username petugas.satu --name "Petugas Satu" --role petugas \
  --unit 32.73.01 >/dev/null
svc=$(q "SELECT id FROM services WHERE code = 'ktp-ganti'")
[ -n "$svc" ] || fail "init seeds the ktp-ganti service"

# help and usage
"$bin" workflow --help | grep -q "Usage: layan workflow show" || fail "--help"
"$bin" help workflow | grep -q "layan workflow set   <service-code> \[FILE|-\]" || fail "help workflow"
"$bin" --help | grep -q "workflow" || fail "the command list names workflow"
set +e
"$bin" workflow >/dev/null 2>&1; [ $? = 2 ] || fail "no subcommand is a usage error"
"$bin" workflow frob ktp-ganti --db "$db" >/dev/null 2>&1; [ $? = 2 ] || fail "unknown subcommand"
"$bin" workflow show --db "$db" >/dev/null 2>&1; [ $? = 2 ] || fail "show without a service code"
"$bin" workflow show ktp-ganti >/dev/null 2>&1; [ $? = 2 ] || fail "show without --db"
"$bin" workflow reset ktp-ganti extra --db "$db" >/dev/null 2>&1; [ $? = 2 ] || fail "reset takes no file"
"$bin" workflow show tidak-ada --db "$db" >/dev/null 2>"$tmp/err"; [ $? = 1 ] || fail "unknown service"
set -e
grep -q "no service with code 'tidak-ada'" "$tmp/err" || fail "name the unknown service"

# show: the default, as JSON that parses
"$bin" workflow show ktp-ganti --db "$db" >"$tmp/default.json" 2>"$tmp/err"
grep -qx "ktp-ganti: built-in default workflow" "$tmp/err" || fail "say it is the default: $(cat "$tmp/err")"
grep -q '"initial": "diajukan"' "$tmp/default.json" || fail "the default starts at diajukan"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["states"]) == 12 and len(d["transitions"]) == 21' \
  "$tmp/default.json" || fail "show prints the 12 states and 21 transitions as JSON"

# an invalid definition: refused, the reason named, nothing stored, nothing audited
cat >"$tmp/bad.json" <<'J'
{"initial": "masuk", "states": [{"code": "masuk"}, {"code": "selesai", "end": "done", "terminal": true},
 {"code": "yatim", "terminal": true}],
 "transitions": [{"from": "masuk", "to": "selesai", "roles": ["petugas"]}]}
J
set +e
"$bin" workflow set ktp-ganti "$tmp/bad.json" --db "$db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "an invalid definition exits 1, got $rc"
grep -q '(unreachable): State "yatim" cannot be reached from the first state' "$tmp/err" ||
  fail "name the unreachable state: $(cat "$tmp/err")"
[ "$(q "SELECT COUNT(*) FROM service_workflows")" = 0 ] || fail "nothing stored"

# a valid one from a file
cat >"$tmp/own.json" <<'J'
{"initial": "masuk",
 "states": [{"code": "masuk"}, {"code": "diperiksa"},
            {"code": "selesai", "end": "done", "terminal": true}],
 "transitions": [{"from": "masuk", "to": "diperiksa", "roles": ["petugas"]},
                 {"from": "diperiksa", "to": "selesai", "roles": ["petugas", "kepala_unit"]}]}
J
out=$("$bin" workflow set ktp-ganti "$tmp/own.json" --db "$db")
[ "$out" = "ktp-ganti: own workflow saved" ] || fail "set says it saved, got: $out"
[ "$(q "SELECT COUNT(*) FROM service_workflows WHERE service_id = $svc")" = 1 ] || fail "stored"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'workflow.set' AND object = 'service:ktp-ganti' AND actor = 'layan workflow'")" = 1 ] ||
  fail "set is audited"
"$bin" workflow show ktp-ganti --db "$db" >"$tmp/shown.json" 2>"$tmp/err"
grep -q "^ktp-ganti: own workflow, saved 20" "$tmp/err" || fail "say it is its own: $(cat "$tmp/err")"
grep -q '{"from": "diperiksa", "to": "selesai", "roles": \["petugas", "kepala_unit"\]}' "$tmp/shown.json" ||
  fail "show prints the own transitions: $(cat "$tmp/shown.json")"

# an open request in "diperiksa" (filed by the officer; personal data columns are placeholders)
uid=$(q "SELECT id FROM users WHERE username = 'petugas.satu'")
unit=$(q "SELECT id FROM units WHERE code = '32.73.01'")
now=2026-11-23T10:00:00Z
q "INSERT INTO requests (tracking_code, service_id, unit_id, standard_version, time_limit_value,
   time_limit_unit, filed_by, channel, delivery, nik_hash, nik_enc, nik_masked, status,
   submitted_at, created_at, updated_at)
   VALUES ('ABCDEFGHJK', $svc, $unit, 1, 1, 'days', $uid, 'assisted', 'pickup', x'00', x'00',
   '3273********0001', 'diperiksa', '$now', '$now', '$now')"

# from standard input: the default dropped "diperiksa": refused, the count and the state named
set +e
"$bin" workflow set ktp-ganti --db "$db" <"$tmp/default.json" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "dropping a state with an open request exits 1, got $rc"
grep -q "refused: 1 open request(s) of ktp-ganti are in state 'diperiksa'" "$tmp/err" ||
  fail "name the count and the state: $(cat "$tmp/err")"
set +e
"$bin" workflow reset ktp-ganti --db "$db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "a reset that strands a request exits 1, got $rc"
grep -q "state 'diperiksa'" "$tmp/err" || fail "reset names the state: $(cat "$tmp/err")"
[ "$(q "SELECT COUNT(*) FROM service_workflows")" = 1 ] || fail "the own workflow stays"

# keeping "diperiksa" is fine, from standard input ("-")
sed 's/"masuk"/"baru"/g' "$tmp/own.json" >"$tmp/own2.json"
out=$("$bin" workflow set ktp-ganti - --db "$db" <"$tmp/own2.json")
[ "$out" = "ktp-ganti: own workflow saved" ] || fail "set from stdin, got: $out"
grep -q '"initial": "baru"' <<<"$("$bin" workflow show ktp-ganti --db "$db" 2>/dev/null)" ||
  fail "the stdin definition is in force"

# the request finished: reset goes through, audited
q "UPDATE requests SET status = 'selesai'"
out=$("$bin" workflow reset ktp-ganti --db "$db")
[ "$out" = "ktp-ganti: back to the built-in default workflow" ] || fail "reset, got: $out"
[ "$(q "SELECT COUNT(*) FROM service_workflows")" = 0 ] || fail "reset removes the own row"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'workflow.%' AND actor = 'layan workflow'")" = 3 ] ||
  fail "two sets and a reset are audited"
"$bin" audit verify --db "$db" >/dev/null || fail "the audit chain stays intact"
echo "workflow: ok"
