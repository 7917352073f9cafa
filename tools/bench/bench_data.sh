#!/usr/bin/env bash
# `make bench-data N=100000 [BENCH_DB=bench_100000]`: a new database with crm and
# integration_program (no demo data), filled with N participants and N leads.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
N=${N:?give the number of participants, e.g. make bench-data N=100000}
DB=${BENCH_DB:-bench_$N}

if psql_db -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    echo "[bench-data] database $DB exists: drop it first (dropdb) or name another (BENCH_DB=...)" >&2
    exit 1
fi
start=$(date +%s)
echo "[bench-data] creating $DB with crm and integration_program (no demo data)"
odoo_bin -d "$DB" -i crm,integration_program --stop-after-init --log-level=warn
echo "[bench-data] installed in $(( $(date +%s) - start ))s; generating $N participants and $N leads"
"$PY" "$ROOT/tools/bench/generate.py" -c "$CONF" -d "$DB" -n "$N"
echo "[bench-data] $DB ready in $(( $(date +%s) - start ))s"
