# Shared by run.sh and test.sh: set-up, then Odoo's command line with our config.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/tools/setup.sh"
ODOO_SRC_DIR=$(cat "$ROOT/.odoo-src")
CONF=$ROOT/.odoo.conf
PY=$ROOT/.venv/bin/python

# odoo_bin [subcommand] [options]: the subcommand (shell, i18n, ...) must come first.
odoo_bin() {
    local command=()
    if [ $# -gt 0 ] && [[ $1 != -* ]]; then command=("$1"); shift; fi
    "$PY" "$ODOO_SRC_DIR/odoo-bin" "${command[@]}" -c "$CONF" "$@"
}

db_conf() { sed -n "s/^$1 = //p" "$CONF"; }
psql_db() {
    PGPASSWORD=$(db_conf db_password) psql -h "$(db_conf db_host)" -p "$(db_conf db_port)" \
        -U "$(db_conf db_user)" "$@"
}
