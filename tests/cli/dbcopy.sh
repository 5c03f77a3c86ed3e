#!/usr/bin/env bash
# layan db copy: init + demo on SQLite, copied into PostgreSQL (a throwaway cluster of
# scripts/pg-test.sh): every table's count, blobs byte for byte, the unit tree, identities that
# continue after the copied ids, progress output, refusing a non-empty target, and back to SQLite.
set -u
bin=$1
src=${LAYAN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
pgdir=$(mktemp -d /tmp/layan-dbcopy-pg-XXXXXX)
trap 'bash "$src/scripts/pg-test.sh" stop "$pgdir"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f="$tmp/a.db"
q() { sqlite3 "$f" "$1"; }

"$bin" init --db "sqlite:$f" --region 32.73 >/dev/null 2>&1 || fail "init"
"$bin" demo --db "sqlite:$f" >/dev/null 2>&1 || fail "demo"
base=$(bash "$src/scripts/pg-test.sh" start "$pgdir") || fail "cannot start PostgreSQL"
p() { psql "$base" -qAtX -c "$1"; }
p "CREATE DATABASE copy1" || fail "create database"
to=${base/\/layan_test/\/copy1}

# usage errors
"$bin" db copy --from "sqlite:$f" >/dev/null 2>&1; [ $? = 2 ] || fail "--to missing must be a usage error"
"$bin" db copy --from "sqlite:$f" --to "sqlite:$f" >/dev/null 2>&1; [ $? = 2 ] || fail "same URL"
"$bin" db frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "unknown db subcommand"

out=$(LAYAN_PROGRESS=1 "$bin" db copy --from "sqlite:$f" --to "$to" 2>"$tmp/err") ||
  fail "copy: $out $(cat "$tmp/err")"
grep -q "row counts verified" <<<"$out" || fail "no summary: $out"
grep -q "100%" "$tmp/err" || fail "no progress bar: $(head -c 300 "$tmp/err")"
grep -q "MISMATCH" <<<"$out" && fail "counts differ: $out"

# every table of the source, counted on both sides
tables=$(q "select name from sqlite_master where type='table' and name not like 'sqlite_%' and name <> 'schema_migrations'")
n=0
for t in $tables; do
  a=$(q "select count(*) from \"$t\"")
  b=$(psql "$to" -qAtX -c "select count(*) from \"$t\"")
  [ "$a" = "$b" ] || fail "$t: $a rows in SQLite, $b in PostgreSQL"
  n=$((n + 1))
done
[ "$n" -ge 15 ] || fail "only $n tables"
[ "$(psql "$to" -qAtX -c "select count(*) from regions")" = 91599 ] || fail "regions"
[ "$(psql "$to" -qAtX -c "select max(version) from schema_migrations")" = "$(q "select max(version) from schema_migrations")" ] ||
  fail "schema version differs"
# the unit tree (a self reference), text and numbers
[ "$(psql "$to" -qAtX -c "select p.code from units u join units p on p.id = u.parent_id where u.code='disdukcapil'")" = pemda ] ||
  fail "unit tree"
want=$(q "select group_concat(code || ':' || name || ':' || tz_offset_min || ':' || coalesce(phone,''), '|') from (select * from units order by id)")
got=$(psql "$to" -qAtX -c "select string_agg(code || ':' || name || ':' || tz_offset_min || ':' || coalesce(phone,''), '|' order by id) from units")
[ "$want" = "$got" ] || fail "units differ"
# blobs byte for byte (demo accounts, when this build's demo makes them)
want=$(q "select coalesce(group_concat(lower(hex(password_hash || '')) || lower(hex(coalesce(nik_hash, x''))), ','), '') from (select * from users order by id)")
got=$(psql "$to" -qAtX -c "select coalesce(string_agg(encode(convert_to(password_hash, 'UTF8'), 'hex') || encode(coalesce(nik_hash, ''::bytea), 'hex'), ',' order by id), '') from users")
[ "$want" = "$got" ] || fail "users differ (blobs?)"
# identities continue after the copied ids
max=$(q "select max(id) from units")
id=$(psql "$to" -qAtX -c "insert into units (code, type, name, name_search, created_at) values ('zz', 'mobile', 'Z', 'z', 'now') returning id" | head -n 1)
[ "$id" = $((max + 1)) ] || fail "new unit id $id, want $((max + 1))"
# the audit log stays append-only on the target
psql "$to" -qAtX -c "delete from audit_log" >/dev/null 2>&1 && fail "audit_log must refuse DELETE"

# a second copy is refused, and changes nothing
out=$("$bin" db copy --from "sqlite:$f" --to "$to" 2>&1); rc=$?
[ $rc = 1 ] || fail "second copy: rc $rc: $out"
grep -q "not empty" <<<"$out" || fail "second copy: $out"
[ "$(psql "$to" -qAtX -c "select count(*) from units")" = $((max + 1)) ] || fail "refused copy changed the target"

# without a terminal: a line per table; and back into a new SQLite file
out=$(LAYAN_PROGRESS=0 "$bin" db copy --from "$to" --to "sqlite:$tmp/back.db" 2>"$tmp/err" </dev/null) ||
  fail "copy back: $out $(cat "$tmp/err")"
grep -q "regions: 91599 rows" "$tmp/err" || fail "no line per table: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/back.db" "select count(*) from units")" = $((max + 1)) ] || fail "copy back: units"
echo ok
