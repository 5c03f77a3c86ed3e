#!/usr/bin/env bash
# layan documents gc: uploads no row refers to (abandoned forms) are removed once older than the
# threshold; files a requirement document or a delivery photo refers to stay, whatever their age;
# young orphans stay (a form in progress); names that are not 64 hex, links and directories are
# never touched; --dry-run removes nothing; the wrong database removes nothing. Then
# [storage] documents: the CLI and `layan serve` follow it, serve removes old orphans at start
# and refuses to start when the directory cannot be created.
# On SQLite; with LAYAN_TEST_DB (the pg twin, pg/cli_documents_gc) on a fresh PostgreSQL database.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
chmod 755 "$tmp"
spid=
pgdb=
cleanup() {
  [ -n "$spid" ] && kill -9 "$spid" 2>/dev/null || true
  [ -n "$pgdb" ] && psql "$LAYAN_TEST_DB" -qX -c "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/serve.err" ] && tail -n 20 "$tmp/serve.err" >&2; exit 1; }
export LAYAN_PASSWORD_OPS=1 LAYAN_PASSWORD_MEM_KB=8
unset LAYAN_DOCUMENTS_DIR LAYAN_CONFIG LAYAN_DOCUMENTS_GC

if [ -n "${LAYAN_TEST_DB:-}" ]; then
  pgdb=layan_docs_gc_$$
  psql "$LAYAN_TEST_DB" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $pgdb" \
    -c "CREATE DATABASE $pgdb" >/dev/null
  url=${LAYAN_TEST_DB/\/layan_test\?//$pgdb?}
  [ "$url" != "$LAYAN_TEST_DB" ] || fail "cannot derive a database URL from $LAYAN_TEST_DB"
  sql() { psql "$url" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
  blob="'\\x00'::bytea"
  export LAYAN_KEY_FILE="$tmp/layan.key" # PostgreSQL: the store is beside the key
else
  url="sqlite:$tmp/x.db"
  sql() { sqlite3 "$tmp/x.db" "$1"; }
  blob="X'00'"
fi
"$bin" init --db "$url" --region 32.73 >/dev/null
"$bin" apikey create --db "$url" --name "SP4N-LAPOR" >/dev/null
docs="$tmp/dokumen" # the default: beside the installation key
mkdir -m 700 "$docs"

# a file of N bytes named by its own SHA-256, last written AGO ago (touch -d)
mk() { # $1 = dir, $2 = content seed, $3 = size, $4 = age; prints the name
  local f="$1/new"
  head -c "$3" /dev/zero | tr '\0' "$2" >"$f"
  local h
  h=$(sha256sum "$f" | cut -c1-64)
  mv "$f" "$1/$h"
  touch -d "$4" "$1/$h"
  echo "$h"
}
ref_doc=$(mk "$docs" a 300 '5 days ago')      # a requirement document of a request
ref_photo=$(mk "$docs" b 400 '5 days ago')    # a courier's delivery photo
old=$(mk "$docs" c 1000 '4 days ago')         # orphan, older than 72 hours
mid=$(mk "$docs" d 234 '49 hours ago')        # orphan, older than the default 48 hours
young=$(mk "$docs" e 50 '47 hours ago')       # orphan of a form that may still be in progress
fresh=$(mk "$docs" f 60 'now')                # orphan just uploaded
# never touched, however old: not 64 lowercase hex, a link, a directory
upper=$(echo "$old" | tr a-f A-F)
cp "$docs/$old" "$docs/$upper"
echo "notes" >"$docs/README.txt"
echo "half" >"$docs/${old:0:63}f.part"
echo "short" >"$docs/${old:0:63}"
echo "outside" >"$tmp/target"
ln -s "$tmp/target" "$docs/$(printf '%064d' 7)"
mkdir "$docs/$(printf '%064d' 8)"
for f in "$upper" README.txt "${old:0:63}f.part" "${old:0:63}" "$(printf '%064d' 8)"; do
  touch -d '30 days ago' "$docs/$f"
done
touch -h -d '30 days ago' "$docs/$(printf '%064d' 7)"

key=$(sql "SELECT id FROM api_keys ORDER BY id LIMIT 1")
svc=$(sql "SELECT id FROM services ORDER BY id LIMIT 1")
unit=$(sql "SELECT id FROM units ORDER BY id LIMIT 1")
[ -n "$key" ] && [ -n "$svc" ] && [ -n "$unit" ] || fail "fixture rows: key=$key svc=$svc unit=$unit"
now=2026-11-20T08:00:00Z
sql "INSERT INTO requests (tracking_code, service_id, unit_id, standard_version, time_limit_value,
       time_limit_unit, api_key_id, channel, delivery, nik_hash, nik_enc, nik_masked, status,
       submitted_at, created_at, updated_at)
     VALUES ('ABCDEFGHJK', $svc, $unit, 1, 5, 'days', $key, 'integration', 'pickup', $blob, $blob,
       '3273**********01', 'diterima', '$now', '$now', '$now')" >/dev/null
rid=$(sql "SELECT id FROM requests WHERE tracking_code = 'ABCDEFGHJK'")
sql "INSERT INTO request_documents (request_id, doc_type, storage_ref, content_type, size_bytes,
       sha256, uploaded_at) VALUES ($rid, 'ktp', 'dokumen/$ref_doc', 'image/jpeg', 300, '$ref_doc', '$now')" >/dev/null
sql "INSERT INTO deliveries (request_id, status, assigned_at, updated_at, photo_ref, delivered_at)
     VALUES ($rid, 'delivered', '$now', '$now', 'dokumen/$ref_photo', '$now')" >/dev/null

listing() { (cd "$docs" && ls -A | sort); }
before=$(listing)
[ "$(wc -l <<<"$before")" = 12 ] || fail "the fixture should hold 12 names, got: $before"

# --dry-run: counts, removes nothing
out=$("$bin" documents gc --db "$url" --dry-run) || fail "dry run failed: $out"
grep -qx "would remove 2 file(s), 1234 bytes from $docs (kept: 2 referenced, 2 newer than 48 hours); dry run, nothing removed" \
  <<<"$out" || fail "dry run report, got: $out"
[ "$(listing)" = "$before" ] || fail "a dry run must remove nothing: $(listing)"

# --older-than 72: only the 4-day-old orphan
out=$("$bin" documents gc --db "$url" --older-than 72) || fail "gc --older-than 72 failed: $out"
grep -qx "removed 1 file(s), 1000 bytes from $docs (kept: 2 referenced, 3 newer than 72 hours)" \
  <<<"$out" || fail "gc --older-than 72 report, got: $out"
[ ! -e "$docs/$old" ] || fail "the 4-day-old orphan must be gone"
[ -e "$docs/$mid" ] || fail "the 49-hour-old orphan is younger than 72 hours: it stays"

# the default threshold (48 hours)
out=$("$bin" documents gc --db "$url") || fail "gc failed: $out"
grep -qx "removed 1 file(s), 234 bytes from $docs (kept: 2 referenced, 2 newer than 48 hours)" \
  <<<"$out" || fail "gc report, got: $out"
expect=$(printf '%s\n' "$before" | grep -vx "$old" | grep -vx "$mid")
[ "$(listing)" = "$expect" ] || fail "exactly the two old orphans go; left: $(listing)"
[ "$(cat "$tmp/target")" = outside ] || fail "a link's target must not be touched"
for f in "$ref_doc" "$ref_photo" "$young" "$fresh"; do [ -f "$docs/$f" ] || fail "$f must stay"; done

# nothing left to do
out=$("$bin" documents gc --db "$url") || fail "second gc failed: $out"
grep -q "^removed 0 file(s), 0 bytes" <<<"$out" || fail "a second run removes nothing, got: $out"

# the wrong database (not initialised: every file would look orphaned) removes nothing, exit 1
again=$(mk "$docs" g 10 '10 days ago')
set +e
out=$("$bin" documents gc --db "sqlite:$tmp/other.db" 2>"$tmp/err")
rc=$?
set -e
[ "$rc" = 1 ] || fail "the wrong database must exit 1, got $rc: $out"
grep -q "not at this program's schema" "$tmp/err" || fail "say why, got: $(cat "$tmp/err")"
[ -f "$docs/$again" ] || fail "nothing may be removed with the wrong database"

# usage errors
"$bin" documents gc --db "$url" --older-than 0 2>/dev/null && fail "--older-than 0 must be refused"
"$bin" documents gc --db "$url" --older-than abc 2>"$tmp/err" && fail "--older-than abc must fail"
grep -q "whole number of hours" "$tmp/err" || fail "explain --older-than"
"$bin" documents gc 2>"$tmp/err" && fail "gc without --db must fail"
grep -q -- "--db URL is required" "$tmp/err" || fail "say --db is required"
"$bin" documents 2>/dev/null && fail "no subcommand must fail"
"$bin" documents --help | grep -q "Usage: layan documents gc" || fail "--help"
"$bin" help | grep -q "^  documents " || fail "the command list names documents"

# [storage] documents elsewhere: the CLI reads it from --config
moved="$tmp/shared/layan/dokumen"
mkdir -p "$moved"
mv "$docs"/* "$moved"/
printf '[storage]\ndocuments = %s\n' "$moved" >"$tmp/layan.conf"
out=$("$bin" documents gc --db "$url" --config "$tmp/layan.conf") || fail "gc with --config: $out"
grep -q "^removed 1 file(s), 10 bytes from $moved " <<<"$out" || fail "gc in the configured directory, got: $out"
[ -f "$moved/$ref_doc" ] && [ ! -e "$moved/$again" ] || fail "the configured directory was not the one cleaned"

# serve: a directory that cannot be created stops the start with a clear message
echo x >"$tmp/plainfile"
set +e
LAYAN_DOCUMENTS_DIR="$tmp/plainfile/dokumen" "$bin" serve --listen 127.0.0.1:0 --db "$url" \
  >/dev/null 2>"$tmp/err" &
spid=$!
for _ in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
wait "$spid"
rc=$?
spid=
set -e
[ "$rc" = 1 ] || fail "serve with an unusable documents directory must exit 1, got $rc"
grep -q "cannot create the documents directory $tmp/plainfile/dokumen: Not a directory" "$tmp/err" || fail "serve must say why: $(cat "$tmp/err")"

# serve: creates a new configured directory, and removes old orphans there at start
store="$tmp/store/nested/dokumen"
mkdir -p "$store"
cp -p "$moved/$ref_doc" "$moved/$young" "$moved/README.txt" "$store"/
orphan=$(mk "$store" h 20 '3 days ago')
LAYAN_DOCUMENTS_DIR="$store" "$bin" serve --listen 127.0.0.1:0 --db "$url" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$tmp/serve.out" 2>/dev/null && [ ! -e "$store/$orphan" ] && break
  kill -0 "$spid" 2>/dev/null || fail "serve stopped"
  sleep 0.1
done
grep -q '^listening on ' "$tmp/serve.out" || fail "serve did not start"
[ ! -e "$store/$orphan" ] || fail "serve must remove an old orphan at start"
grep -q "documents gc: removed 1 orphaned upload(s), 20 bytes" "$tmp/serve.err" || fail "serve logs the clean-up"
for f in "$ref_doc" "$young" README.txt; do [ -f "$store/$f" ] || fail "serve's gc removed $f"; done
kill -TERM "$spid"
wait "$spid" || fail "serve must stop cleanly"
spid=
rm -rf "$store"
LAYAN_DOCUMENTS_DIR="$store" "$bin" serve --listen 127.0.0.1:0 --db "$url" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening on ' "$tmp/serve.out" || fail "serve did not start with a new directory"
[ -d "$store" ] && [ "$(stat -c %a "$store")" = 700 ] || fail "serve creates the directory, mode 0700"
kill -TERM "$spid"
wait "$spid" || fail "serve must stop cleanly"
spid=
echo "documents_gc: ok"
