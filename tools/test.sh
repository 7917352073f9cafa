#!/usr/bin/env bash
# `make test`: install the addon with demo data into a throwaway database and run
# the whole suite with pytest-odoo, browser tours included (never skipped).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=integration_program_test_$$
cleanup() { psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\"" >/dev/null 2>&1 || true; }
trap cleanup EXIT

start=$(date +%s)
echo "[test] installing integration_program with demo data into $DB"
install_with_demo "$DB"
echo "[test] installed in $(( $(date +%s) - start ))s; running the tests"

cd "$ROOT"
set +e
PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}" "$ROOT/.venv/bin/pytest" -p pytest_integration_program -c "$ROOT/pytest.ini" --rootdir "$ROOT" \
    --odoo-config "$CONF" --odoo-database "$DB" --odoo-http "$@" tests
status=$?
set -e
echo "[test] done in $(( $(date +%s) - start ))s"
# pytest exits 5 when it collected no test: that is a failure too.
[ "$status" = 5 ] && echo "[test] no test was collected" >&2
exit "$status"
