#!/usr/bin/env bash
# A local PostgreSQL streaming replica of the development server, for Odoo's
# read-only cursors (db_replica_host / db_replica_port): the kanban, lists,
# reports and read-only routes then read from it, writes go to the primary.
#
#   sudo bash tools/bench/replica_setup.sh start     # copy (pg_basebackup) and start
#   sudo bash tools/bench/replica_setup.sh status    # state and replay lag
#   sudo bash tools/bench/replica_setup.sh lag 30    # replay 30 s behind the primary
#   sudo bash tools/bench/replica_setup.sh unlag     # replay at once again
#   sudo bash tools/bench/replica_setup.sh stop      # down (Odoo falls back to the primary)
#   sudo bash tools/bench/replica_setup.sh drop      # stop and delete it
#
# Then run Odoo with --db_replica_host=127.0.0.1 --db_replica_port=5433
# (make load-test REPLICA=1 does).
#
# The replica is a second PostgreSQL instance of the primary's version, a
# physical copy of the whole primary (every database) in its own data directory,
# replaying the primary's WAL streamed over the local socket. It is deliberately
# NOT a Debian cluster (pg_createcluster): tools/setup.sh, in every worktree,
# takes the last cluster pg_lsclusters lists as *the* database server, and a
# read-only standby listed there would become everybody's server. The primary
# needs nothing changed: wal_level=replica, max_wal_senders=10 and the local
# "replication" line of pg_hba.conf are the defaults.
set -euo pipefail
PORT=${REPLICA_PORT:-5433}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
as_postgres() { runuser -u postgres -- "$@"; }
primary_setting() { as_postgres psql -p "$PRIMARY_PORT" -Atc "SHOW $1"; }
VERSION=$(primary_setting server_version_num | cut -c1-2)
BIN=/usr/lib/postgresql/$VERSION/bin
DATA=${REPLICA_DATA:-/var/lib/postgresql/replica-$VERSION-$PORT}
LOG=$DATA/replica.log
replica_sql() { as_postgres psql -p "$PORT" -Atc "$1"; }
running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

case ${1:-start} in
start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
        echo "[replica] copying the primary (port $PRIMARY_PORT) into $DATA with pg_basebackup"
        start=$(date +%s)
        install -d -o postgres -g postgres -m 700 "$DATA"
        # -R: standby.signal and primary_conninfo; -X stream: the WAL written
        # during the copy comes along; -c fast: checkpoint now.
        as_postgres "$BIN/pg_basebackup" -p "$PRIMARY_PORT" -D "$DATA" -X stream -R -c fast
        # A standby needs at least the primary's limits; its own port, and the
        # primary's client authentication.
        as_postgres cp "$(primary_setting hba_file)" "$DATA/pg_hba.conf"
        as_postgres tee "$DATA/postgresql.conf" >/dev/null <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$(primary_setting unix_socket_directories)'
hot_standby = on
hot_standby_feedback = on
max_connections = $(primary_setting max_connections)
max_worker_processes = $(primary_setting max_worker_processes)
max_wal_senders = $(primary_setting max_wal_senders)
max_prepared_transactions = $(primary_setting max_prepared_transactions)
max_locks_per_transaction = $(primary_setting max_locks_per_transaction)
shared_buffers = 128MB
CONF
        echo "[replica] copied $(du -sh "$DATA" | cut -f1) in $(( $(date +%s) - start ))s"
    fi
    if ! running; then
        as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w start >/dev/null
    fi
    echo "[replica] port $PORT, in recovery: $(replica_sql 'SELECT pg_is_in_recovery()')"
    ;;
status)
    if running; then
        replica_sql "SELECT 'port $PORT, replay lag: '
                            || COALESCE(now() - pg_last_xact_replay_timestamp(), '0')::text
                            || ', apply delay: '
                            || current_setting('recovery_min_apply_delay')"
    else
        echo "[replica] not running ($DATA)"
    fi
    ;;
lag)
    replica_sql "ALTER SYSTEM SET recovery_min_apply_delay = '${2:-30}s'"
    replica_sql "SELECT pg_reload_conf()" >/dev/null
    echo "[replica] replaying ${2:-30}s behind the primary"
    ;;
unlag)
    replica_sql "ALTER SYSTEM RESET recovery_min_apply_delay"
    replica_sql "SELECT pg_reload_conf()" >/dev/null
    echo "[replica] replaying at once"
    ;;
stop)
    running && as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    echo "[replica] stopped"
    ;;
drop)
    running && as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    rm -rf "${DATA:?}"
    echo "[replica] dropped"
    ;;
*)
    echo "usage: $0 start|status|lag SECONDS|unlag|stop|drop" >&2
    exit 2
    ;;
esac
