#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a unix socket only.
#   scripts/pg-test.sh start DIR   initdb DIR (when it has no cluster yet) and start it; creates
#                                  the database layan_test; prints its URL
#   scripts/pg-test.sh halt DIR    stop the server (pg_ctl stop -m fast), keep the data: the
#                                  outage tests start it again with `start`
#   scripts/pg-test.sh stop DIR    stop the server and remove DIR
#   scripts/pg-test.sh url DIR     the libpq URL of layan_test
# Several users may share one cluster (two ctest runs in one build directory, both with the
# pg_cluster fixture): `start` records its parent process as a user and `stop` only stops the
# server when no live user is left. DIR.lock (flock) keeps start and stop from interleaving.
# The server listens on DIR/.s.PGSQL.5432 only (listen_addresses=''), with fsync on: the tests
# check durability on it too. When run as root, the cluster belongs to the user postgres
# (PostgreSQL refuses to run as root) and DIR is chowned to it. Authentication is `trust`, so DIR
# is mode 0700: only its owner (and root) can reach the socket.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|halt|stop|url DIR" >&2
  exit 2
fi
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
bin=${LAYAN_PG_BIN:-}
if [ -z "$bin" ]; then
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bin=/usr/lib/postgresql/$v/bin; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-test: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  as() { runuser -u postgres -- "$@"; }
else
  owner=$(id -un)
  as() { "$@"; }
fi
data="$dir/data"
log="$dir/server.log"
url="postgresql://$owner@/layan_test?host=$dir"

# serialise start/halt/stop on one DIR: a second run must not initdb into a half-made cluster
# or remove a cluster the first is still starting
if [ "$cmd" != url ]; then
  exec 9>"$dir.lock"
  flock 9
fi
holders="$dir/holders"
# the users still alive, without $1 (a user that is done) and this script (a shell that exec'd it)
prune() {
  local keep=() p
  [ -f "$holders" ] || return 0
  while read -r p; do
    [ -n "$p" ] && [ "$p" != "${1:-}" ] && [ "$p" != $$ ] && kill -0 "$p" 2>/dev/null && keep+=("$p")
  done <"$holders"
  printf '%s\n' "${keep[@]+"${keep[@]}"}" | grep . >"$holders.new" || true
  mv "$holders.new" "$holders"
}

case "$cmd" in
  url)
    echo "$url"
    ;;
  start)
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data" # what an interrupted initdb left
      as "$bin/initdb" -D "$data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      cat >>"$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = on
synchronous_commit = on
max_connections = 200
shared_buffers = 32MB
log_min_messages = warning
log_min_error_statement = panic
EOF
      fresh=1
    else
      fresh=0
    fi
    if ! as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      # 9>&-: the server must not inherit the lock, or it would hold it as long as it runs
      as "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 9>&- ||
        { tail -n 20 "$log" >&2; exit 1; }
    fi
    if [ "$fresh" -eq 1 ]; then
      as "$bin/psql" -h "$dir" -U "$owner" -d postgres -qAtX -c "CREATE DATABASE layan_test" >/dev/null
    fi
    prune
    echo "$PPID" >>"$holders"
    echo "$url"
    ;;
  halt)
    if [ -f "$data/PG_VERSION" ]; then as "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null || true; fi
    ;;
  stop)
    if [ -f "$holders" ]; then
      prune "$PPID"
      if [ -s "$holders" ]; then exit 0; fi # another run still uses it
    fi
    if [ -f "$data/PG_VERSION" ]; then
      as "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null 2>&1 || true
    elif [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
      echo "pg-test: $dir holds no test cluster: not removing it" >&2
      exit 1
    fi
    rm -rf "$dir"
    rm -f "$dir.lock"
    ;;
  *)
    echo "usage: $0 start|halt|stop|url DIR" >&2
    exit 2
    ;;
esac
