#!/usr/bin/env bash
# A local PostgreSQL streaming replica of the development cluster, for Odoo's
# read-only cursors (db_replica_host / db_replica_port): the kanban, lists,
# reports and read-only routes then read from it, writes go to the primary.
#
#   sudo bash tools/bench/replica_setup.sh start     # create (pg_basebackup) and start
#   sudo bash tools/bench/replica_setup.sh status    # state and replay lag
#   sudo bash tools/bench/replica_setup.sh lag 30    # replay 30 s behind the primary
#   sudo bash tools/bench/replica_setup.sh unlag     # replay at once again
#   sudo bash tools/bench/replica_setup.sh stop      # down (Odoo falls back to the primary)
#   sudo bash tools/bench/replica_setup.sh drop      # remove the replica cluster
#
# Debian's cluster tools (pg_createcluster, pg_ctlcluster); the primary needs
# nothing changed: wal_level=replica, max_wal_senders=10 and the local
# "replication" line of pg_hba.conf are Debian's defaults. The replica is a
# second cluster of the same version on another port (5433), a physical copy of
# the whole primary cluster (every database), replaying its WAL streamed over
# the local socket. Then run Odoo with
#   --db_replica_host=127.0.0.1 --db_replica_port=5433
set -euo pipefail
VERSION=${PG_VERSION:-15}
PRIMARY=${PRIMARY_CLUSTER:-main}
NAME=${REPLICA_CLUSTER:-replica}
PORT=${REPLICA_PORT:-5433}
PRIMARY_PORT=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$PRIMARY" '$1 == v && $2 == c {print $3}')
DATA=/var/lib/postgresql/$VERSION/$NAME

as_postgres() { runuser -u postgres -- "$@"; }
replica_sql() { as_postgres psql -p "$PORT" -Atc "$1"; }
exists() { pg_lsclusters -h | awk '{print $1 " " $2}' | grep -qx "$VERSION $NAME"; }

case ${1:-start} in
start)
    if ! exists; then
        echo "[replica] creating cluster $VERSION/$NAME on port $PORT"
        pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
        rm -rf "${DATA:?}"/*
        echo "[replica] copying the primary ($VERSION/$PRIMARY, port $PRIMARY_PORT) with pg_basebackup"
        start=$(date +%s)
        # -R: standby.signal and primary_conninfo; -X stream: the WAL written
        # during the copy comes along; -c fast: checkpoint now.
        as_postgres pg_basebackup -p "$PRIMARY_PORT" -D "$DATA" -X stream -R -c fast
        echo "[replica] copied $(du -sh "$DATA" | cut -f1) in $(( $(date +%s) - start ))s"
    fi
    pg_ctlcluster "$VERSION" "$NAME" start || true
    sleep 1
    echo "[replica] in recovery: $(replica_sql 'SELECT pg_is_in_recovery()')"
    ;;
status)
    pg_lsclusters | awk -v v="$VERSION" -v c="$NAME" 'NR == 1 || ($1 == v && $2 == c)'
    if exists && pg_ctlcluster "$VERSION" "$NAME" status >/dev/null 2>&1; then
        replica_sql "SELECT 'replay lag: ' || COALESCE(now() - pg_last_xact_replay_timestamp(), '0')::text,
                            'apply delay: ' || current_setting('recovery_min_apply_delay')"
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
    pg_ctlcluster "$VERSION" "$NAME" stop || true
    echo "[replica] stopped"
    ;;
drop)
    pg_dropcluster --stop "$VERSION" "$NAME"
    echo "[replica] dropped"
    ;;
*)
    echo "usage: $0 start|status|lag SECONDS|unlag|stop|drop" >&2
    exit 2
    ;;
esac
