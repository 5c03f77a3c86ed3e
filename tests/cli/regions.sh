#!/usr/bin/env bash
# layan regions import: all or nothing, errors name the file and line, upserts, CSV details.
set -u
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f="$tmp/r.db"
db="sqlite:$f"
q() { sqlite3 "$f" "$1"; }
mkdir -p "$tmp/r"
good() {
  printf 'code,name\r\n32,Jawa Barat\r\n' >"$tmp/r/provinces.csv" # CRLF
  printf 'code,province_code,name\n32.73,32,Kota Bandung\n' >"$tmp/r/regencies.csv"
  printf 'code,regency_code,name\n32.73.01,32.73,Sukasari\n32.73.02,32.73,"Cob""long, Lama"\n' >"$tmp/r/districts.csv"
  printf 'code,district_code,name\n32.73.02.1001,32.73.02,Cipaganti\n' >"$tmp/r/villages.csv"
}

good
out=$("$bin" regions import --db "$db" "$tmp/r" 2>&1) || fail "good import: $out"
grep -q "regions: 5 imported" <<<"$out" || fail "count: $out"
[ "$(q "select name from regions where code = '32.73.02'")" = 'Cob"long, Lama' ] || fail "quoted name"
[ "$(q "select name from regions where code = '32'")" = 'Jawa Barat' ] || fail "CRLF left in a name"
[ "$(q "select name_search from regions where code = '32.73.02'")" = 'coblonglama' ] || fail "search key"

# each kind of bad line imports nothing, and the error names file and line
try_bad() { # file content expected-message
  good
  printf "$2" >"$tmp/r/$1"
  err=$("$bin" regions import --db "$db" "$tmp/r" 2>&1) && fail "bad $1 must fail: $2"
  grep -q "$3" <<<"$err" || fail "error for $1 must say '$3': $err"
  grep -q "nothing was imported" <<<"$err" || fail "error must say nothing was imported: $err"
  [ "$(q "select count(*) from regions")" = 5 ] || fail "a failed import changed the regions ($1)"
  [ "$(q "select count(*) from regions where name = 'Rusak'")" = 0 ] || fail "a row of a failed import stayed"
}
try_bad districts.csv 'code,regency_code,name\n32.73.03,32.73,Rusak\n32.73.0X,32.73,Rusak\n' "districts.csv line 3"
try_bad villages.csv 'code,district_code,name\n32.73.01.1001,32.73.01,Rusak\n32.73.09.1001,32.73.09,Tanpa Induk\n' "villages.csv line 3: parent '32.73.09'"
try_bad villages.csv 'code,district_code,name\n32.73.01.1001,32.73.02,Rusak\n' "villages.csv line 2"
try_bad regencies.csv 'code,province_code,name\n32.73,32,Kota Bandung\n32.73,32,Rusak\n' "regencies.csv line 3: code 32.73 appears twice"
try_bad districts.csv 'code,regency_code,name\n32.73.03,32.73,Rusak\n32.73.04,32.73,"Rusak\n' "districts.csv line 3"
try_bad districts.csv 'code,regency_code,name\n32.73.03,32.73,Rusak\n32.73.04,32.73\n' "districts.csv line 3: expected 3 columns"
try_bad districts.csv 'code,regency_code,name\n32.73.03,32.73,Rusak\n32.73.04,32.73,\n' "districts.csv line 3: the name is empty"
try_bad provinces.csv 'code,name\n32,Jawa Barat\n33,\xff\xfe\n' "provinces.csv line 3"
rm "$tmp/r/villages.csv"
err=$("$bin" regions import --db "$db" "$tmp/r" 2>&1) && fail "a missing file must fail"
grep -q "villages.csv" <<<"$err" || fail "missing file: $err"

# a second import updates names and keeps codes that are no longer listed
good
printf 'code,regency_code,name\n32.73.01,32.73,Sukasari Baru\n' >"$tmp/r/districts.csv"
printf 'code,district_code,name\n' >"$tmp/r/villages.csv"
"$bin" regions import --db "$db" "$tmp/r" >/dev/null 2>&1 || fail "second import"
[ "$(q "select name from regions where code = '32.73.01'")" = 'Sukasari Baru' ] || fail "name not updated"
[ "$(q "select count(*) from regions")" = 5 ] || fail "codes no longer listed must stay"

# usage
"$bin" regions --help | grep -q "Usage: layan regions import" || fail "regions --help"
"$bin" regions import "$tmp/r" >/dev/null 2>&1; [ $? = 2 ] || fail "missing --db must be a usage error"
"$bin" regions list --db "$db" >/dev/null 2>&1; [ $? = 2 ] || fail "unknown subcommand must be a usage error"
echo "ok"
