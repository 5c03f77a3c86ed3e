#!/usr/bin/env bash
# layan init / demo on a temporary database: counts, idempotence, edits kept, errors.
set -u
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f="$tmp/sub/dir/t.db" # the directories do not exist yet: init makes them
db="sqlite:$f"
q() { sqlite3 "$f" "$1"; }

out=$(LAYAN_PROGRESS=1 "$bin" init --db "$db" --region 32.73 2>"$tmp/err") || fail "init: $out $(cat "$tmp/err")"
grep -q "regions: 91599 imported" <<<"$out" || fail "init did not import all regions: $out"
grep -q "Wilayah .*100%" "$tmp/err" || fail "no progress bar: $(head -c 300 "$tmp/err")"
grep -q "30 kecamatan service points (32 added)" <<<"$out" || fail "init: $out"
[ "$(q "select count(*) from regions where level = 4")" = 83762 ] || fail "villages"
[ "$(q "select count(*) from units")" = 32 ] || fail "expected 32 units (pemda, disdukcapil, 30 kecamatan)"
[ "$(q "select count(*) from units where type='kecamatan' and code like '32.73.__' and region_code = code")" = 30 ] ||
  fail "kecamatan units must carry the kecamatan code"
[ "$(q "select name from units where code='32.73.01'")" = "Kantor Kecamatan Sukasari" ] || fail "kecamatan name"
[ "$(q "select name from units where code='pemda'")" = "Pemerintah Kota Bandung" ] || fail "pemda name"
[ "$(q "select p.code from units u join units p on p.id = u.parent_id where u.code='disdukcapil'")" = pemda ] ||
  fail "disdukcapil must hang under the pemda"
[ "$(q "select count(distinct tz_offset_min) || ':' || min(tz_offset_min) from units")" = "1:420" ] || fail "Bandung is WIB"
[ "$(q "select value from settings where key='region_name'")" = "Kota Bandung" ] || fail "region_name"
[ "$(q "select count(*) from holidays where date like '____-08-17' and kind = 'national'")" = 2 ] ||
  fail "independence day missing from the holidays (this year and next)"
if [ -n "${LAYAN_BUILD_DIR:-}" ]; then # the calendar built into the binary, cuti bersama included
  want=$(($(wc -l <"$LAYAN_BUILD_DIR/gen/holidays.csv") - 1))
  [ "$(q "select count(*) from holidays where source = 'generated'")" = "$want" ] || fail "holidays: want $want"
  want=$(grep -c ',cuti_bersama$' "$LAYAN_BUILD_DIR/gen/holidays.csv")
  [ "$(q "select count(*) from holidays where kind = 'cuti_bersama'")" = "$want" ] || fail "cuti bersama: want $want"
fi

# demo: contacts and hours for every service point, not for the pemda
out=$("$bin" demo --db "$db") || fail "demo: $out"
grep -q "of 31 service points, 31 got contact details and 31 got opening hours" <<<"$out" || fail "demo said: $out"
grep -q "demo accounts" <<<"$out" || fail "demo must say which accounts it made: $out"
addr=$(q "select address from units where code='32.73.02'")
grep -q "Kecamatan Coblong" <<<"$addr" || fail "demo address: $addr"
[ "$(q "select count(*) from units where phone like '022-0000-____'")" = 31 ] || fail "demo phones"
[ "$(q "select count(*) from unit_hours")" = $((30 * 5 + 6)) ] || fail "demo hours"
[ "$(q "select opens_min||'-'||closes_min||' '||break_start_min||'-'||break_end_min from unit_hours h join units u on u.id=h.unit_id where u.code='32.73.05' and weekday=5")" = "480-930 690-780" ] ||
  fail "Friday hours"
[ "$(q "select count(*) from unit_hours h join units u on u.id=h.unit_id where u.code='disdukcapil' and weekday=6 and break_start_min is null")" = 1 ] ||
  fail "the main office opens on Saturday"

# an admin's edits, then init and demo again: nothing duplicated, nothing overwritten
q "update units set name = 'Kantor Kecamatan Coblong Baru', address = 'Jl. Asli' where code = '32.73.02'"
q "delete from unit_hours where unit_id = (select id from units where code = '32.73.03') and weekday = 5"
q "insert into holidays values ('2026-09-01', 'Hari Jadi Kota', 'national', 'manual')"
out=$("$bin" init --db "$db" --region 32.73 2>&1) || fail "second init: $out"
grep -q "(0 added)" <<<"$out" || fail "second init added units: $out"
grep -q "0 added or updated, 0 removed" <<<"$out" || fail "second init changed holidays: $out"
out=$("$bin" demo --db "$db" 2>&1) || fail "second demo: $out"
grep -q "0 got contact details and 0 got opening hours" <<<"$out" || fail "second demo: $out"
[ "$(q "select count(*) from units")" = 32 ] || fail "second init changed the unit count"
[ "$(q "select name || '|' || address from units where code='32.73.02'")" = "Kantor Kecamatan Coblong Baru|Jl. Asli" ] ||
  fail "an edit was overwritten"
[ "$(q "select count(*) from unit_hours h join units u on u.id=h.unit_id where u.code='32.73.03'")" = 4 ] ||
  fail "demo re-added hours an admin removed"
[ "$(q "select count(*) from holidays where source='manual'")" = 1 ] || fail "manual holiday lost"
[ "$(q "select count(*) from audit_log")" = 4 ] || fail "expected 4 audit entries"
q "delete from audit_log" 2>/dev/null && fail "audit log accepted a delete"

# an extra holiday file
printf 'date,name,kind\n2027-04-01,Libur Daerah,national\n' >"$tmp/h.csv"
out=$("$bin" init --db "$db" --region 32.73 --holidays "$tmp/h.csv" 2>&1) || fail "init --holidays: $out"
[ "$(q "select source from holidays where name = 'Libur Daerah'")" = generated ] || fail "--holidays file not imported"
printf 'date,name,kind\n2027-02-30,Salah,national\n' >"$tmp/bad.csv"
err=$("$bin" init --db "$db" --region 32.73 --holidays "$tmp/bad.csv" 2>&1) && fail "a bad holiday file must fail"
grep -q "bad.csv line 2" <<<"$err" || fail "holiday error must name the line: $err"

# WITA and WIT from the province (on the real rows of Bali and Papua only, to keep it quick)
src=${LAYAN_SOURCE_DIR:-$(dirname "$0")/../..}/node_modules/idn-area-data/data
mkdir -p "$tmp/small"
for c in provinces regencies districts villages; do
  { head -1 "$src/$c.csv"; grep -E '^(51|91)[.,]' "$src/$c.csv"; } >"$tmp/small/$c.csv"
done
small="--data $tmp/small"
out=$("$bin" init --db "sqlite:$tmp/bali.db" --region 51.71 $small 2>&1) || fail "init Denpasar: $out"
[ "$(sqlite3 "$tmp/bali.db" "select distinct tz_offset_min from units")" = 480 ] || fail "Denpasar is WITA"
out=$("$bin" init --db "sqlite:$tmp/jpr.db" --region 91.71 $small 2>&1) || fail "init Jayapura: $out"
[ "$(sqlite3 "$tmp/jpr.db" "select distinct tz_offset_min from units")" = 540 ] || fail "Jayapura is WIT"

# errors: plain words on stderr, non-zero exit
err=$("$bin" init --db "$db" --region 32.77 2>&1) && fail "init of another region must fail"
grep -q "already serves region 32.73" <<<"$err" || fail "wrong message: $err"
err=$("$bin" init --db "sqlite:$tmp/x.db" --region 99.99 $small 2>&1); rc=$?
[ $rc = 1 ] || fail "unknown region: exit $rc"
grep -q "not a kabupaten/kota" <<<"$err" || fail "wrong message: $err"
err=$("$bin" init --db "sqlite:$tmp/x.db" --region 32.73.01 2>&1); rc=$?
[ $rc = 2 ] || fail "a kecamatan code: exit $rc"
grep -q "like 32.73" <<<"$err" || fail "wrong message: $err"
err=$("$bin" init --db "sqlite:$tmp/x.db" --region 3273 2>&1); rc=$?
[ $rc = 2 ] || fail "malformed region: exit $rc"
err=$("$bin" init --region 32.73 2>&1); rc=$?
[ $rc = 2 ] || fail "missing --db: exit $rc"
err=$("$bin" init --db "sqlite:$tmp/y.db" --region 32.73 --data "$tmp/nowhere" 2>&1); rc=$?
[ $rc = 1 ] || fail "missing region data: exit $rc"
grep -q "nowhere/provinces.csv" <<<"$err" || fail "wrong message: $err"
"$bin" init --help | grep -q "Usage: layan init" || fail "init --help"
"$bin" demo --help | grep -q "Usage: layan demo" || fail "demo --help"
err=$("$bin" demo --db "sqlite:$tmp/empty.db" 2>&1) && fail "demo on an empty database must fail"
grep -q "layan init" <<<"$err" || fail "demo should point to init: $err"
echo "ok"
