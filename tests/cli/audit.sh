#!/usr/bin/env bash
# layan audit verify: an intact chain after init, then the tampering the append-only triggers
# refuse, done after dropping them (as the database owner could): a changed detail, the newest
# entries removed. Each is named, with exit code 1.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8
db="sqlite:$tmp/x.db"
"$bin" init --db "$db" --region 32.73 >/dev/null
"$bin" user create --db "$db" --username admin.pemda --name "Siti Admin" --role admin_pemda >/dev/null
"$bin" apikey create --db "$db" --name "SP4N-LAPOR" >/dev/null
n=$(sqlite3 "$tmp/x.db" "SELECT count(*) FROM audit_log")
[ "$n" -ge 3 ] || fail "init, user create and apikey create are audited, got $n entries"

out=$("$bin" audit verify --db "$db") || fail "an untouched log must verify: $out"
grep -qx "audit log intact: $n entries" <<<"$out" || fail "say intact with the count, got: $out"
head=$(sqlite3 "$tmp/x.db" "SELECT last_hash FROM audit_head")
grep -qx "newest hash: #$n $head" <<<"$out" || fail "print the newest hash to keep, got: $out"

# usage errors
"$bin" audit 2>"$tmp/err" && fail "no subcommand must fail"
grep -q "layan audit verify --db URL" "$tmp/err" || fail "say what is expected"
"$bin" audit verify 2>/dev/null && fail "verify without --db must fail"
"$bin" audit verify --db "$db" extra 2>/dev/null && fail "an extra argument must fail"
"$bin" audit --help | grep -q "Usage: layan audit verify" || fail "--help"
"$bin" help audit | grep -q "Usage: layan audit verify" || fail "help audit"

# the triggers refuse changes
sqlite3 "$tmp/x.db" "UPDATE audit_log SET detail = 'x' WHERE id = 2" 2>/dev/null &&
  fail "the append-only trigger must refuse an UPDATE"

# a changed detail
sqlite3 "$tmp/x.db" ".backup '$tmp/orig.db'"
sqlite3 "$tmp/x.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'role=petugas' WHERE id = 2"
set +e
out=$("$bin" audit verify --db "$db")
rc=$?
set -e
[ "$rc" = 1 ] || fail "a changed entry must exit 1, got $rc: $out"
grep -qx "audit log BROKEN at entry 2: entry 2: its hash does not match its content" <<<"$out" ||
  fail "name the changed entry, got: $out"

# the newest entry removed
cp "$tmp/orig.db" "$tmp/x.db"
rm -f "$tmp/x.db-wal" "$tmp/x.db-shm"
sqlite3 "$tmp/x.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = $n"
set +e
out=$("$bin" audit verify --db "$db")
rc=$?
set -e
[ "$rc" = 1 ] || fail "a removed newest entry must exit 1, got $rc: $out"
grep -qx "audit log BROKEN at entry $n: the newest entries were removed: head says #$n, log ends at #$((n - 1))" \
  <<<"$out" || fail "say the newest entries were removed, got: $out"
echo "audit: ok"
