#!/usr/bin/env bash
# layan serve as an operator runs it: starts, answers, logs without personal data, refuses an
# uninitialised or newer database with a clear message, and stops cleanly on SIGTERM.
set -u
bin=$1
tmp=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && tail -5 "$tmp/err"; exit 1; }
db="sqlite:$tmp/t.db"

err=$("$bin" serve --listen 127.0.0.1:0 --db "$db" 2>&1) && fail "serve on an empty database must fail"
grep -q "layan init" <<<"$err" || fail "the message must say to run layan init: $err"
"$bin" init --db "$db" --region 32.73 >/dev/null 2>&1 || fail "init"
"$bin" demo --db "$db" >/dev/null 2>&1 || fail "demo"
err=$("$bin" serve --listen nonsense --db "$db" 2>&1) && fail "a bad listen address must fail"
grep -q "listen address" <<<"$err" || fail "unclear message: $err"
err=$("$bin" serve --bogus 2>&1); [ $? = 2 ] || fail "unknown option: exit code"
printf '[server]\nlisten = 127.0.0.1:0\nthreds = 4\n' > "$tmp/bad.ini"
err=$("$bin" serve --config "$tmp/bad.ini" --db "$db" 2>&1) && fail "a typo in the config must fail"
grep -q "unknown setting \[server\] threds" <<<"$err" || fail "unclear message: $err"
printf '[notify]\nsender = smpt\n' > "$tmp/bad2.ini"
err=$("$bin" serve --config "$tmp/bad2.ini" --db "$db" 2>&1) && fail "an unknown sender must fail"
grep -q "notify.sender must be dev or live" <<<"$err" || fail "unclear message: $err"

# a database from a newer layan is refused
cp "$tmp/t.db" "$tmp/new.db"
sqlite3 "$tmp/new.db" "insert into schema_migrations values (9999, '9999_future.sql', 'x')"
err=$("$bin" serve --listen 127.0.0.1:0 --db "sqlite:$tmp/new.db" 2>&1) && fail "newer schema must be refused"
grep -q "newer layan" <<<"$err" || fail "unclear message: $err"

"$bin" serve --listen 127.0.0.1:0 --db "$db" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 100); do grep -q "^listening on" "$tmp/out" && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$tmp/out")
[ -n "$url" ] || fail "no 'listening on' line"
[ "$(curl -s "$url/healthz")" = "ok" ] || fail "/healthz"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] || fail "/readyz"
grep -q '<html lang="en"' <<<"$(curl -s "$url/?lang=en")" || fail "home page in English"
curl -s -o /dev/null "$url/cari?q=3273010101900001"
curl -s -o /dev/null "$url/3273010101900001"
# a survey link's token is a secret: the log shows the route's pattern, not the path
curl -s -o /dev/null "$url/survei/Zq7SecretSurveyToken0123456789abcdefghijkl"
grep -q 'layan_http_requests_total{route="home",status="200"} 1' <<<"$(curl -s "$url/metrics")" || fail "metrics"
kill -TERM $pid
wait $pid; rc=$?; pid=""
[ $rc = 0 ] || fail "exit code $rc after SIGTERM"
grep -q 'msg=access .*route=home path=/ status=200' "$tmp/err" || fail "no access log line"
grep -q "3273010101900001" "$tmp/err" && fail "a NIK reached the log"
grep -q 'route=/healthz' "$tmp/err" && fail "probes must not be logged"
grep -q "Zq7SecretSurveyToken" "$tmp/err" && fail "a survey token reached the log"
grep -q 'route=skm_link path=/survei/{token} status=404' "$tmp/err" || fail "survey link not logged by its pattern"
grep -q 'msg="stopped"' "$tmp/err" || fail "no clean stop"
echo ok
