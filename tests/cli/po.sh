#!/usr/bin/env bash
# Every user-facing msgid (C code and templates) has an Indonesian translation in po/id.po:
# Indonesian is the default language, and a missing entry would show English to a citizen.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${LAYAN_SOURCE_DIR:?}/scripts/po-check.sh" "$tmp"
