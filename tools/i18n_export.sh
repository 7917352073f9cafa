#!/usr/bin/env bash
# `make pot`: refresh i18n/integration_program.pot from a database with the addon
# (the one `make run` uses), and merge it into i18n/de.po.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${DB:-integration_program}
odoo_bin -d "$DB" -u integration_program --stop-after-init --log-level=warn
"$PY" "$ODOO_SRC_DIR/odoo-bin" i18n export -c "$CONF" -d "$DB" \
    -o "$ROOT/i18n/integration_program.pot" integration_program
# Odoo scans every .py below the addon, the virtualenv and lint tools included:
# drop the strings found only there.
"$PY" - "$ROOT/i18n/integration_program.pot" <<'PY'
import sys

import polib

pot = polib.pofile(sys.argv[1], wrapwidth=78)
prefixes = ("code:addons/integration_program/.venv/", "code:addons/integration_program/tools/")
for entry in list(pot):
    if entry.occurrences and all(path.startswith(prefixes) for path, _ in entry.occurrences):
        pot.remove(entry)
pot.save()
PY
if [ -f "$ROOT/i18n/de.po" ]; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$ROOT/i18n/de.po" \
        "$ROOT/i18n/integration_program.pot"
    msgattrib --no-obsolete --output-file="$ROOT/i18n/de.po" "$ROOT/i18n/de.po"
    "$PY" "$ROOT/tools/po_single_line.py" "$ROOT/i18n/de.po"
fi
echo "[i18n] untranslated strings in de.po: $(msgattrib --untranslated --no-obsolete "$ROOT/i18n/de.po" 2>/dev/null | grep -c '^msgid' || true)"
