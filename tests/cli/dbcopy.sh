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
# a filed request with its history (request_events is append-only: the copy only inserts)
q "insert into requests (tracking_code, service_id, unit_id, standard_version, time_limit_value,
     time_limit_unit, filed_by, channel, delivery, nik_hash, nik_enc, nik_masked, status,
     submitted_at, created_at, updated_at)
   select 'ABCD234567', (select min(id) from services), (select id from units where code = '32.73.01'),
     1, 1, 'days', (select id from users where username = 'petugas'), 'assisted', 'pickup', x'01',
     x'02', '3273********0003', 'diverifikasi', '2026-11-23T02:00:00Z', '2026-11-23T02:00:00Z',
     '2026-11-23T02:05:00Z';
   insert into request_events (request_id, from_status, to_status, actor_role, at)
   select id, null, 'diajukan', 'petugas', '2026-11-23T02:00:00Z' from requests;
   insert into request_events (request_id, from_status, to_status, actor_role, at)
   select id, 'diajukan', 'diverifikasi', 'petugas', '2026-11-23T02:05:00Z' from requests" ||
  fail "a request in the source"
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
# so does a request's history, copied whole and in order
[ "$(psql "$to" -qAtX -c "select string_agg(coalesce(from_status, '-') || '>' || to_status, ',' order by id) from request_events")" = "->diajukan,diajukan>diverifikasi" ] ||
  fail "request_events not copied"
out=$(psql "$to" -qAtX -c "update request_events set note = 'x'" 2>&1) && fail "request_events must refuse UPDATE"
grep -q "append-only" <<<"$out" || fail "request_events UPDATE: $out"
psql "$to" -qAtX -c "delete from request_events" >/dev/null 2>&1 && fail "request_events must refuse DELETE"

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
[ "$(sqlite3 "$tmp/back.db" "select count(*) from request_events")" = 2 ] || fail "copy back: request_events"
sqlite3 "$tmp/back.db" "delete from request_events" >/dev/null 2>&1 && fail "copy back: request_events must refuse DELETE"
echo ok
