#!/usr/bin/env bash
# layan skm sample-size / skm import / ikm: the sample formula, an import (BOM, CRLF, empty
# cells), bad files naming the line and importing nothing, and the exact --json of a file whose
# index is worked out by hand below.
set -u
bin=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f="$tmp/s.db"
db="sqlite:$f"
q() { sqlite3 "$f" "$1"; }

# sample-size: Krejcie & Morgan's table, rounded to nearest (50 -> 44.3 -> 44, not 45)
for pair in 0:0 1:1 50:44 100:80 1000:278 10000:370 1000000:384; do
  got=$("$bin" skm sample-size "${pair%%:*}") || fail "sample-size ${pair%%:*}"
  [ "$got" = "${pair##*:}" ] || fail "sample-size ${pair%%:*}: want ${pair##*:}, got $got"
done
"$bin" skm sample-size -3 >/dev/null 2>&1; [ $? = 2 ] || fail "a negative N must be a usage error"
"$bin" skm sample-size 12x >/dev/null 2>&1; [ $? = 2 ] || fail "N must be a number"
"$bin" skm --help | grep -q "Usage: layan skm sample-size N" || fail "skm --help"
"$bin" ikm --help | grep -q "Usage: layan ikm" || fail "ikm --help"
"$bin" skm frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "unknown subcommand must be a usage error"

# a small region: the pemda, Disdukcapil and two kecamatan service points
mkdir -p "$tmp/r"
printf 'code,name\n32,Jawa Barat\n' >"$tmp/r/provinces.csv"
printf 'code,province_code,name\n32.73,32,Kota Bandung\n' >"$tmp/r/regencies.csv"
printf 'code,regency_code,name\n32.73.01,32.73,Sukasari\n32.73.02,32.73,Coblong\n' >"$tmp/r/districts.csv"
printf 'code,district_code,name\n32.73.02.1001,32.73.02,Cipaganti\n' >"$tmp/r/villages.csv"
"$bin" init --db "$db" --region 32.73 --data "$tmp/r" >/dev/null 2>&1 || fail "init"

# four respondents, one unanswered cell in each of U2, U3, U4 (weights 1/9):
#   NRR U1 14/4 = 3.5   U2 9/3 = 3   U3 8/3 = 2.6667   U4 9/3 = 3   U5 U6 U7 U9 13/4 = 3.25
#       U8 11/4 = 2.75
#   IKM = (3.5 + 3 + 8/3 + 3 + 4 x 3.25 + 2.75) / 9 = (335/12) / 9 = 335/108 = 3.10185..
#   IKM_25 = 8375/108 = 77.546.. -> 77.55, B (Baik)
printf '\xef\xbb\xbfU1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin,umur,tanggal\r\n' >"$tmp/a.csv"
printf '4,4,3,3,3,3,3,3,3,L,30,2026-01-05\r\n' >>"$tmp/a.csv"
printf '3,,2,3,4,3,3,2,3,P,41,2026-03-31\r\n' >>"$tmp/a.csv"
printf '4,2,,3,3,4,3,3,4,,,\r\n' >>"$tmp/a.csv"
printf '3,3,3,,3,3,4,3,3,p,,\r\n' >>"$tmp/a.csv"
out=$("$bin" skm import --db "$db" --unit disdukcapil --period 2026-q1 "$tmp/a.csv" 2>&1) || fail "import: $out"
grep -q "skm: 4 responses imported into disdukcapil 2026-Q1" <<<"$out" || fail "import said: $out"
grep -q "period 2026-Q1 of disdukcapil created" <<<"$out" || fail "period creation not reported: $out"
[ "$(q "select count(*) from skm_answers")" = 33 ] || fail "33 answers expected"
[ "$(q "select count(*) from skm_instruments")" = 1 ] || fail "the default instrument, once"

want='{"unit":"disdukcapil","period":"2026-Q1","instrument":{"name":"PermenPANRB 14/2017","version":1,"unit":null,"rounding":"half-up-2","ladder":"permenpanrb-14-2017"},"population":null,"sample_required":null,"responses":4,"nrr":{"U1":3.5000,"U2":3.0000,"U3":2.6667,"U4":3.0000,"U5":3.2500,"U6":3.2500,"U7":3.2500,"U8":2.7500,"U9":3.2500},"ikm":3.1019,"ikm25":77.55,"mutu":"B","kinerja":"Baik"}'
got=$("$bin" ikm --db "$db" --unit disdukcapil --period 2026-Q1 --json) || fail "ikm --json"
[ "$got" = "$want" ] || fail "ikm --json: got $got"
python3 -c 'import json,sys; json.loads(sys.argv[1])' "$got" || fail "not JSON: $got"

q "update skm_periods set walkin_count = 100"
got=$("$bin" ikm --db "$db" --unit disdukcapil --period 2026-Q1 --json) || fail "ikm --json with N"
grep -q '"population":100,"sample_required":80,"responses":4,' <<<"$got" || fail "population: $got"
out=$("$bin" ikm --db "$db" --unit disdukcapil --period 2026-Q1) || fail "ikm table"
grep -q "IKM x 25: *77.55" <<<"$out" || fail "table: $out"
grep -q "Mutu: *B (Baik)" <<<"$out" || fail "table mutu: $out"
grep -q "below the minimum sample" <<<"$out" || fail "4 of 80 must be flagged: $out"

# the pemda with the units below it pools the answers of the same period code
"$bin" ikm --db "$db" --unit pemda --period 2026-Q1 >/dev/null 2>&1; [ $? = 1 ] || fail "pemda alone has no period"
got=$("$bin" ikm --db "$db" --unit pemda --period 2026-Q1 --with-subunits --json) || fail "with subunits"
grep -q '"unit":"pemda"' <<<"$got" && grep -q '"ikm25":77.55' <<<"$got" || fail "roll-up: $got"
printf 'U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,1,1,1,1,1,1,1,1\n' >"$tmp/k.csv"
"$bin" skm import --db "$db" --unit 32.73.01 --period 2026-Q1 "$tmp/k.csv" >/dev/null 2>&1 || fail "import kecamatan"
# pooled: one more respondent answering 1 everywhere: U1 15/5, U2 10/4, U3 9/4, U4 10/4,
#   U5 U6 U7 U9 14/5, U8 12/5 -> IKM = 23.85 / 9 = 53/20 = 2.65, IKM_25 = 66.25 (C)
got=$("$bin" ikm --db "$db" --unit pemda --period 2026-Q1 --with-subunits --json) || fail "with subunits 2"
grep -q '"responses":5,' <<<"$got" || fail "roll-up responses: $got"
grep -q '"ikm25":66.25' <<<"$got" || fail "roll-up index: $got"

# bad files: nothing imported, the line and the problem named, exit 1
before=$(q "select count(*) from skm_responses")
try_bad() { # content expected-message
  printf "$1" >"$tmp/bad.csv"
  err=$("$bin" skm import --db "$db" --unit disdukcapil --period 2026-Q2 "$tmp/bad.csv" 2>&1)
  [ $? = 1 ] || fail "bad file must exit 1: $1"
  grep -qF "$2" <<<"$err" || fail "error must say '$2': $err"
  grep -q "nothing was imported" <<<"$err" || fail "must say nothing was imported: $err"
  [ "$(q "select count(*) from skm_responses")" = "$before" ] || fail "a failed import left rows: $1"
  [ "$(q "select count(*) from skm_periods where code = '2026-Q2'")" = 0 ] || fail "a failed import left a period"
}
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n' \
  "line 7: U3 is 5; answers are 1 to 4"
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8,U9,alamat\n4,4,4,4,4,4,4,4,4,Jl. Merdeka\n' "unknown column 'alamat'"
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8,U9,tanggal\n4,4,4,4,4,4,4,4,4,2026-07-01\n' \
  "line 2: tanggal 2026-07-01 is outside period 2026-Q2 (2026-04-01 to 2026-06-30)"
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8,U9,umur\n4,4,4,4,4,4,4,4,4,200\n' "line 2: umur is '200'"
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin\n4,4,4,4,4,4,4,4,4,X\n' "line 2: jenis_kelamin is 'X'"
try_bad 'U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n' "column U9 is missing"

# an element nobody answered: no index, the element named, exit 1
printf 'U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,,4,4,4,4,4\n' >"$tmp/u4.csv"
"$bin" skm import --db "$db" --unit disdukcapil --period 2026 "$tmp/u4.csv" >/dev/null || fail "import 2026"
err=$("$bin" ikm --db "$db" --unit disdukcapil --period 2026 --json 2>&1)
[ $? = 1 ] || fail "an unanswered element must exit 1"
grep -q "nobody answered element U4" <<<"$err" || fail "must name U4: $err"

# usage and lookups
"$bin" ikm --db "$db" --unit disdukcapil >/dev/null 2>&1; [ $? = 2 ] || fail "missing --period"
"$bin" ikm --db "$db" --unit disdukcapil --period 2026-Q5 >/dev/null 2>&1; [ $? = 2 ] || fail "bad period"
"$bin" ikm --db "$db" --unit nope --period 2026 >/dev/null 2>&1; [ $? = 1 ] || fail "unknown unit"
"$bin" ikm --db "$db" --unit disdukcapil --period 2025 >/dev/null 2>&1; [ $? = 1 ] || fail "no such period"
"$bin" skm import --db "$db" --unit disdukcapil "$tmp/a.csv" >/dev/null 2>&1; [ $? = 2 ] || fail "missing --period"
"$bin" skm import --db "$db" --unit disdukcapil --period 2026 "$tmp/none.csv" >/dev/null 2>&1; [ $? = 1 ] ||
  fail "a missing file"
echo "ok"
