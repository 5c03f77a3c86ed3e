#!/usr/bin/env bash
# layan nik check: arguments, standard input (blank lines, CRLF, overlong lines), exact JSON
# (key order, fields only when valid), Indonesian errors, exit codes, --help.
set -u
bin=$1
fail() { echo "FAIL: $*"; exit 1; }
export LAYAN_TODAY=2026-11-22

ok='{"nik":"3273010506900001","valid":true,"province_code":"32","regency_code":"32.73","district_code":"32.73.01","birth_date":"1990-06-05","sex":"L","serial":"0001","district_name":"Sukasari","errors":[]}'
out=$("$bin" nik check 3273010506900001) || fail "valid NIK exited $?"
[ "$out" = "$ok" ] || fail "valid NIK: got $out"

out=$("$bin" nik check 3273014106900002 3273990506900001 327301050690001); rc=$?
[ $rc = 1 ] || fail "an invalid NIK must exit 1, got $rc"
mapfile -t l <<<"$out"
[ ${#l[@]} = 3 ] || fail "expected 3 lines, got: $out"
[[ ${l[0]} == '{"nik":"3273014106900002","valid":true,'*'"birth_date":"1990-06-01","sex":"P","serial":"0002","district_name":"Sukasari","errors":[]}' ]] \
  || fail "woman's NIK: ${l[0]}"
[ "${l[1]}" = '{"nik":"3273990506900001","valid":false,"errors":["Kode kecamatan 32.73.99 tidak ada dalam daftar wilayah resmi"]}' ] \
  || fail "unknown district: ${l[1]}"
[ "${l[2]}" = '{"nik":"327301050690001","valid":false,"errors":["NIK harus 16 angka; yang Anda ketik 15 angka"]}' ] \
  || fail "15 digits: ${l[2]}"

# several errors at once, future date decided by LAYAN_TODAY
out=$("$bin" nik check 3273012311260000)
[ "$out" = '{"nik":"3273012311260000","valid":false,"errors":["Tanggal lahir dalam NIK ada di masa depan","Nomor urut 0000 tidak valid"]}' ] \
  || fail "future + serial: $out"
out=$(LAYAN_TODAY=2026-11-23 "$bin" nik check 3273012311260001) || fail "born on LAYAN_TODAY must be valid: $out"

# stdin: CRLF, blank lines skipped, order kept, an overlong line reported not crashed
long=$(printf '%0200d' 7)
out=$(printf '3273010506900001\r\n\n  \r\n32730105069O0001\n%s\n3273014106900002' "$long" | "$bin" nik check -); rc=$?
[ $rc = 1 ] || fail "stdin with an invalid line must exit 1, got $rc"
mapfile -t l <<<"$out"
[ ${#l[@]} = 4 ] || fail "stdin: expected 4 lines, got: $out"
[ "${l[0]}" = "$ok" ] || fail "stdin CRLF line: ${l[0]}"
[[ ${l[1]} == *'"errors":["NIK hanya boleh berisi angka"]}' ]] || fail "stdin letters: ${l[1]}"
[[ ${l[2]} == *'"valid":false'*'Baris terlalu panjang'* ]] || fail "stdin long line: ${l[2]}"
[[ ${l[3]} == '{"nik":"3273014106900002","valid":true'* ]] || fail "stdin last line without newline: ${l[3]}"
out=$(printf '3273010506900001\n3273014106900002\n' | "$bin" nik check -) || fail "all-valid stdin must exit 0"
[ "$(wc -l <<<"$out")" = 2 ] || fail "stdin: $out"
# bytes that are not UTF-8 still give valid JSON
out=$(printf '\xff\xfe3273010506900001\n' | "$bin" nik check -)
node -e 'JSON.parse(process.argv[1])' "$out" 2>/dev/null || fail "not JSON: $out"

# English messages on request
out=$("$bin" nik check --lang en 3273010506900000)
[[ $out == *'"errors":["Serial number 0000 is invalid"]}' ]] || fail "--lang en: $out"

# usage errors exit 2 and say why on stderr
"$bin" nik check >/dev/null 2>&1; [ $? = 2 ] || fail "no NIK must exit 2"
"$bin" nik >/dev/null 2>&1; [ $? = 2 ] || fail "no subcommand must exit 2"
"$bin" nik check --bogus 1 >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option must exit 2"
"$bin" nik check - - </dev/null >/dev/null 2>&1; [ $? = 2 ] || fail "stdin twice must exit 2"
err=$(LAYAN_TODAY=2026-02-30 "$bin" nik check 3273010506900001 2>&1 >/dev/null); [ $? = 2 ] || fail "bad LAYAN_TODAY must exit 2"
[[ $err == *LAYAN_TODAY* ]] || fail "bad LAYAN_TODAY message: $err"

out=$("$bin" nik check --help) || fail "--help must exit 0"
[[ $out == *"layan nik check"* && $out == *"Exit status"* && $out == *LAYAN_TODAY* ]] || fail "--help: $out"
echo "nik: all checks passed"
