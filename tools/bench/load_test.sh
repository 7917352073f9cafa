#!/usr/bin/env bash
# `make load-test BENCH_DB=bench_100k [USERS=20] [DURATION=60]`: Odoo with 4 worker
# processes on port 8271 (as deployed), then the simulated users against it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
DB=${BENCH_DB:?name the benchmark database, e.g. BENCH_DB=bench_100k}
PORT=${PORT:-8271}
WORKERS=${WORKERS:-4}
# REPLICA=1: read-only requests on the local replica (tools/bench/replica_setup.sh)
replica=()
replica_stats=()
if [ -n "${REPLICA:-}" ]; then
    replica=(--db_replica_host=127.0.0.1 --db_replica_port="${REPLICA_PORT:-5433}")
    replica_stats=(--replica-port "${REPLICA_PORT:-5433}")
fi
"$PY" "$ODOO_SRC_DIR/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" --workers="$WORKERS" --max-cron-threads=0 \
    --load=base,web,queue_job "${replica[@]}" --log-level=warn &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$PORT/web/health" >/dev/null && break
    sleep 1
done
"$PY" "$ROOT/tools/bench/load_test.py" -c "$CONF" -d "$DB" --url "http://127.0.0.1:$PORT" \
    --users "${USERS:-20}" --duration "${DURATION:-60}" --server-pid "$server" \
    "${replica_stats[@]}"
