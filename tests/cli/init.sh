#!/usr/bin/env bash
# layan init / demo / regions import on a temporary database: counts, idempotence, errors.
set -u
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db="sqlite:$tmp/sub/dir/t.db"

out=$("$bin" init --db "$db" --region 32.73 2>&1) || fail "init: $out"
grep -q "regions: 91599 imported" <<<"$out" || fail "init did not import all regions: $out"
grep -q "30 kecamatan service points" <<<"$out" || fail "init: $out"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from units")
[ "$n" = 32 ] || fail "expected 32 units (pemda, disdukcapil, 30 kecamatan), got $n"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from units where type='kecamatan' and code like '32.73.__'")
[ "$n" = 30 ] || fail "kecamatan units must carry the kecamatan code, got $n"
h=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from holidays where date like '____-08-17'")
[ "$h" -ge 1 ] || fail "independence day missing from the holidays"
c=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from holidays where kind='cuti_bersama' and date='2026-03-23'")
[ "$c" = 1 ] || fail "cuti bersama from data/cuti-bersama.csv missing"

# demo, then init again: nothing duplicated, demo edits kept
"$bin" demo --db "$db" >/dev/null || fail "demo"
addr=$(sqlite3 "$tmp/sub/dir/t.db" "select address from units where code='32.73.02'")
[ -n "$addr" ] || fail "demo set no address"
out=$("$bin" init --db "$db" --region 32.73 2>&1) || fail "second init: $out"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from units")
[ "$n" = 32 ] || fail "second init changed the unit count to $n"
addr2=$(sqlite3 "$tmp/sub/dir/t.db" "select address from units where code='32.73.02'")
[ "$addr" = "$addr2" ] || fail "second init lost the demo address"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from audit_log")
[ "$n" = 3 ] || fail "expected 3 audit entries, got $n"
sqlite3 "$tmp/sub/dir/t.db" "delete from audit_log" 2>/dev/null && fail "audit log accepted a delete"

# errors: plain words on stderr, non-zero exit
err=$("$bin" init --db "$db" --region 32.77 2>&1) && fail "init of another region must fail"
grep -q "already serves region 32.73" <<<"$err" || fail "wrong message: $err"
err=$("$bin" init --db "sqlite:$tmp/x.db" --region 99.99 2>&1); rc=$?
[ $rc = 1 ] || fail "unknown region: exit $rc"
grep -q "not a kabupaten/kota" <<<"$err" || fail "wrong message: $err"
err=$("$bin" init --db "sqlite:$tmp/x.db" --region 3273 2>&1); rc=$?
[ $rc = 2 ] || fail "malformed region: exit $rc"
err=$("$bin" init --region 32.73 2>&1); rc=$?
[ $rc = 2 ] || fail "missing --db: exit $rc"
"$bin" init --help | grep -q "Usage: layan init" || fail "init --help"
"$bin" demo --db "sqlite:$tmp/empty.db" >/dev/null 2>&1 && fail "demo on an empty database must fail"

# regions import: a bad line imports nothing and is named
mkdir -p "$tmp/r"
printf 'code,name\n32,Jawa Barat\n' > "$tmp/r/provinces.csv"
printf 'code,province_code,name\n32.73,32,Kota Bandung\n' > "$tmp/r/regencies.csv"
printf 'code,regency_code,name\n32.73.01,32.73,Sukasari\n32.73.0X,32.73,Rusak\n' > "$tmp/r/districts.csv"
printf 'code,district_code,name\n' > "$tmp/r/villages.csv"
err=$("$bin" regions import --db "$db" "$tmp/r" 2>&1) && fail "bad CSV must fail"
grep -q "districts.csv line 3" <<<"$err" || fail "error must name the line: $err"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from regions")
[ "$n" = 91599 ] || fail "a failed import changed the regions ($n)"
sed -i '/Rusak/d' "$tmp/r/districts.csv"
"$bin" regions import --db "$db" "$tmp/r" >/dev/null 2>&1 || fail "good CSV import"
n=$(sqlite3 "$tmp/sub/dir/t.db" "select count(*) from regions")
[ "$n" = 3 ] || fail "import did not replace the regions ($n)"
echo "ok"
