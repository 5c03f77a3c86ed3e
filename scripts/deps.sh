#!/usr/bin/env bash
# Installs what layan needs to build, test and run, when it is missing:
# Debian packages with apt-get (as root, or through sudo) and npm packages with `npm ci`.
# Usage: scripts/deps.sh [run|test|bench]   (default: test, which is a superset of run)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}

run_pkgs=(build-essential cmake pkg-config git libmicrohttpd-dev libsqlite3-dev libjansson-dev
          libsodium-dev libinih-dev zlib1g-dev libcurl4-openssl-dev libcmocka-dev gettext nodejs npm sqlite3
          libpq-dev liboath-dev libqrencode-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev
          fonts-dejavu-core)
test_pkgs=(clang libclang-rt-14-dev chromium clang-format curl postgresql python3-openpyxl poppler-utils
           libxml2-utils)
bench_pkgs=(wrk)

pkgs=("${run_pkgs[@]}")
case "$what" in
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm may come from outside Debian (as on the developer images): accept working binaries
if command -v node >/dev/null && command -v npm >/dev/null; then
  m=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || m+=("$p"); done
  missing=("${m[@]+"${m[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: only when the lock file changed since the last install
stamp=node_modules/.layan-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi
