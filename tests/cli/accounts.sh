#!/usr/bin/env bash
# layan user / apikey: the first admin and integration keys from the command line; the secret
# is printed once on the last line, only hashes are stored, the key file is private.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8
db="sqlite:$tmp/x.db"
"$bin" init --db "$db" --region 32.73 >"$tmp/init.out"
grep -q "installation key: $tmp/x.key" "$tmp/init.out" || fail "init must name the key file"
[ "$(stat -c %a "$tmp/x.key")" = 600 ] || fail "the key file must be mode 600"
grep -qE '^[0-9a-f]{64}$' "$tmp/x.key" || fail "the key file must hold 64 hex characters"

# the first admin
out=$("$bin" user create --db "$db" --username admin.pemda --name "Siti Admin" --role admin_pemda)
pw=$(tail -n 1 <<<"$out")
[[ "$pw" =~ ^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$ ]] || fail "temporary password on the last line, got: $pw"
sqlite3 "$tmp/x.db" "SELECT password_hash FROM users WHERE username='admin.pemda'" | grep -q '^\$argon2id\$' ||
  fail "the password must be stored as an Argon2id hash"
sqlite3 "$tmp/x.db" "SELECT count(*) FROM users WHERE password_hash LIKE '%$pw%'" | grep -qx 0 || fail "password in clear"
"$bin" user create --db "$db" --username admin.pemda --name "Lagi" --role admin_pemda 2>"$tmp/err" &&
  fail "a taken user name must fail"
grep -q "already in use" "$tmp/err" || fail "say the user name is taken"
"$bin" user create --db "$db" --username petugas1 --name "Budi" --role petugas 2>"$tmp/err" &&
  fail "petugas without --unit must fail"
grep -q "needs --unit" "$tmp/err" || fail "say --unit is needed"
"$bin" user create --db "$db" --username petugas1 --name "Budi" --role petugas --unit 32.73.01 \
  --phone "0812 1111 2222" >/dev/null || fail "petugas at a kecamatan"
sqlite3 "$tmp/x.db" "SELECT phone_masked FROM users WHERE username='petugas1'" | grep -qx '0812\*\*\*\*2222' ||
  fail "phone kept masked"
[ -z "$(sqlite3 "$tmp/x.db" "SELECT 1 FROM users WHERE CAST(phone_enc AS TEXT) LIKE '%081211112222%'")" ] ||
  fail "phone in clear"
"$bin" user list --db "$db" | grep -q "petugas1.*petugas@32.73.01" || fail "user list shows roles"
"$bin" user reset-password --db "$db" --username petugas1 | tail -n 1 | grep -qE '^[a-z2-9-]{19}$' ||
  fail "reset prints a new temporary password"

# API keys
out=$("$bin" apikey create --db "$db" --name "SP4N-LAPOR" --unit 32.73.01)
key=$(tail -n 1 <<<"$out")
[[ "$key" =~ ^lyk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$ ]] || fail "key on the last line, got: $key"
prefix=${key:4:8}
[ "$(sqlite3 "$tmp/x.db" "SELECT count(*) FROM api_keys WHERE prefix='$prefix'")" = 1 ] || fail "key stored"
[ "$(sqlite3 "$tmp/x.db" "SELECT count(*) FROM api_keys WHERE CAST(key_hash AS TEXT) LIKE '%${key:13}%'")" = 0 ] ||
  fail "the key itself must not be stored"
"$bin" apikey list --db "$db" | grep -q "$prefix.*SP4N-LAPOR.*32.73.01.*active" || fail "list shows the key"
"$bin" apikey revoke --db "$db" "$prefix" | grep -q revoked || fail "revoke"
"$bin" apikey list --db "$db" | grep -q "$prefix.*revoked" || fail "list shows it revoked"
"$bin" apikey revoke --db "$db" "$prefix" 2>/dev/null && fail "revoking twice must fail"
"$bin" apikey create --db "$db" 2>/dev/null && fail "create without --name must fail"

# the key file is required and must be private
chmod 644 "$tmp/x.key"
"$bin" user list --db "$db" 2>"$tmp/err" && fail "a readable key file must be refused"
grep -q "chmod 600" "$tmp/err" || fail "say how to fix the key file mode"
chmod 600 "$tmp/x.key"
echo ok
