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

# Installs the addon with its demo data into a new database $1, and fails where Odoo
# only warns that the demo data could not be loaded.
install_with_demo() {
    odoo_bin -d "$1" -i integration_program --with-demo --stop-after-init --log-level=warn
    local demo
    demo=$(psql_db -d "$1" -tAc "SELECT demo FROM ir_module_module WHERE name='integration_program' AND state='installed'")
    if [ "$demo" != t ]; then
        echo "integration_program or its demo data failed to install in $1: see the log above." >&2
        return 1
    fi
}

db_conf() { sed -n "s/^$1 = //p" "$CONF"; }
psql_db() {
    PGPASSWORD=$(db_conf db_password) psql -h "$(db_conf db_host)" -p "$(db_conf db_port)" \
        -U "$(db_conf db_user)" "$@"
}
