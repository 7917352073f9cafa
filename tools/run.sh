#!/usr/bin/env bash
# `make run`: a database with the addon and its demo data (created once), served on
# http://127.0.0.1:8069.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${DB:-integration_program}

installed=$(psql_db -d "$DB" -tAc \
    "SELECT 1 FROM ir_module_module WHERE name='integration_program' AND state='installed'" 2>/dev/null || true)
if [ "$installed" != 1 ]; then
    echo "[run] creating database $DB with the addon and its demo data (takes a few minutes once)"
    psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\"" 2>/dev/null || true
    install_with_demo "$DB"
else
    echo "[run] updating the addon in database $DB"
    odoo_bin -d "$DB" -u integration_program --stop-after-init --log-level=warn
fi
cat <<MSG

  Odoo is starting on  http://127.0.0.1:$(db_conf http_port)/odoo/action-integration_program.integration_participant_action
  Log in as  admin / admin   (programme manager), or staff / staff, manager / manager.
  Stop it with Ctrl+C.

MSG
# queue_job's runner runs the background jobs (funder workbook, anonymisation).
exec "$PY" "$ODOO_SRC_DIR/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" \
    --load=base,web,queue_job "$@"
