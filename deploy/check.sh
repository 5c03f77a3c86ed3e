#!/usr/bin/env bash
# deploy/check.sh: validates the deployment files without installing or starting anything.
#   - nginx-layan.conf with `nginx -t`, against a throw-away self-signed certificate;
#   - layan.service with `systemd-analyze verify`;
#   - layan.ini.example: every key is one layan knows (src/lib/config.c; layan refuses others).
# A check whose tool is missing is skipped with a note. Exits non-zero if a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if command -v nginx >/dev/null && command -v openssl >/dev/null; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=layanan.example.go.id" \
        -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" >/dev/null 2>&1
    sed -e "s|/etc/ssl/layan/|$tmp/|g" deploy/nginx-layan.conf >"$tmp/site.conf"
    mkdir -p "$tmp/logs"
    cat >"$tmp/nginx.conf" <<EOF
error_log $tmp/logs/error.log;
pid $tmp/nginx.pid;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    include $tmp/site.conf;
}
EOF
    # -t only parses and checks the configuration: nothing listens, nothing keeps running
    if nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/nginx.err"; then
        echo "deploy: nginx-layan.conf: ok"
    else
        cat "$tmp/nginx.err" >&2
        echo "deploy: nginx-layan.conf: FAILED" >&2
        fail=1
    fi
else
    echo "deploy: nginx-layan.conf: skipped (needs nginx and openssl)"
fi

if command -v systemd-analyze >/dev/null; then
    # verify insists that ExecStart exists: point it at a stand-in
    install -m 0755 /bin/true "$tmp/layan"
    sed -e "s|/usr/local/bin/layan|$tmp/layan|" deploy/layan.service >"$tmp/layan.service"
    if systemd-analyze verify "$tmp/layan.service" >"$tmp/unit.err" 2>&1 &&
        ! grep -v -e 'Failed to .*bus' "$tmp/unit.err" | grep -q .; then
        echo "deploy: layan.service: ok"
    else
        cat "$tmp/unit.err" >&2
        echo "deploy: layan.service: FAILED" >&2
        fail=1
    fi
else
    echo "deploy: layan.service: skipped (needs systemd-analyze)"
fi

# the keys layan knows are the rows of the table in src/lib/config.c: S("server", "listen", ...)
known=$(sed -n 's/^ *[SIB](\("[a-z_]*"\), *\("[a-z_]*"\).*/\1.\2/p' src/lib/config.c | tr -d '"')
if [ -n "$known" ]; then
    bad=$(awk '/^[ \t]*[;#]/ || /^[ \t]*$/ { next }
               /^\[/ { gsub(/[][ \t]/, ""); sec = $0; next }
               { split($0, kv, "="); k = kv[1]; gsub(/[ \t]/, "", k); print NR ": " sec "." k }' \
        deploy/layan.ini.example | while read -r ln key; do
        grep -qxF "$key" <<<"$known" || echo "layan.ini.example:$ln unknown key $key"
    done)
    if [ -n "$bad" ]; then
        echo "$bad" >&2
        echo "deploy: layan.ini.example: FAILED" >&2
        fail=1
    else
        echo "deploy: layan.ini.example: ok ($(wc -l <<<"$known") known keys)"
    fi
else
    echo "deploy: layan.ini.example: skipped (no key table found in src/lib/config.c)"
fi
exit $fail
