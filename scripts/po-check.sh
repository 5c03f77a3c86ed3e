#!/usr/bin/env bash
# Checks that every user-facing msgid in the C code and the templates has an entry in
# po/id.po (Indonesian is the default language: a missing entry would show English).
# C: xgettext over the calls that take msgids (http_t, form_error, N_, ...).
# Templates: {{_ "..."}} and {{_n "..." "..."}}.
# Usage: scripts/po-check.sh [OUT_DIR]   (prints the missing msgids and exits 1 when any)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
xgettext --from-code=UTF-8 -o "$out/c.pot" --language=C --no-location \
  --keyword=http_t:2 --keyword=http_tn:2,3 --keyword=http_error:3 --keyword=form_error:4 --keyword=N_ \
  $(find src -name '*.c' | sort)
{
  printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
  # template strings: {{_ "msgid" ...}} and {{_n "singular" "plural" ...}}
  grep -rhoE '\{\{_ "[^"]*"' templates | sed -E 's/^\{\{_ //' | sort -u | while read -r q; do
    printf 'msgid %s\nmsgstr ""\n\n' "$q"
  done
  grep -rhoE '\{\{_n "[^"]*" "[^"]*"' templates | sed -E 's/^\{\{_n //' | sort -u |
    while read -r line; do
      one=$(grep -oE '^"[^"]*"' <<<"$line"); many=$(grep -oE '"[^"]*"$' <<<"$line")
      printf 'msgid %s\nmsgid_plural %s\nmsgstr[0] ""\n\n' "$one" "$many"
    done
} > "$out/tpl.pot"
sed -i 's/charset=CHARSET/charset=UTF-8/' "$out/c.pot"
msgcat --use-first -o "$out/all.pot" "$out/c.pot" "$out/tpl.pot"
msgmerge --quiet --no-fuzzy-matching -o "$out/merged.po" po/id.po "$out/all.pot"
rm -f "$out/missing.po"
msgattrib --untranslated --no-obsolete -o "$out/missing.po" "$out/merged.po"
if [ ! -s "$out/missing.po" ] || ! grep -q '^msgid ' "$out/missing.po"; then
  echo "po: every msgid has an Indonesian translation"
  exit 0
fi
grep -A1 -E '^msgid ' "$out/missing.po" | grep -vE '^--$' | grep -vE '^msgid ""$' || true
echo "po: $(grep -c '^msgid ' "$out/missing.po") msgid(s) above have no Indonesian in po/id.po (see docs/internals/templates.md)"
exit 1
