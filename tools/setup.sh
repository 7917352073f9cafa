#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need:
# the Odoo 19.0 source (never inside the repo), a virtualenv in the repo,
# system packages for browser tests, and a PostgreSQL role of our own.
# Writes .odoo.conf (git-ignored) for the other scripts.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv
CACHE=${INTEGRATION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/integration_program}
ODOO_URL=https://github.com/odoo/odoo/archive/refs/heads/19.0.tar.gz
DB_ROLE=${PGUSER:-integration_program}
DB_PASSWORD=${PGPASSWORD:-integration_program}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# --- 1. Odoo source -------------------------------------------------------
find_odoo_source() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -x "$ODOO_SRC/odoo-bin" ] || die "ODOO_SRC=$ODOO_SRC holds no odoo-bin: point it at an Odoo 19.0 source tree."
        echo "$ODOO_SRC"; return
    fi
    local archive
    archive=$(ls "$ROOT"/../shared/vendor/odoo-19.0-*.tar.xz 2>/dev/null | sort | tail -n 1 || true)
    if [ -n "$archive" ]; then
        local name target
        name=$(basename "$archive" .tar.xz)
        target=$CACHE/$name
        if [ ! -f "$target/.extracted" ]; then
            if [ -f "$archive.sha256" ]; then
                say "checking $(basename "$archive") against its sha256"
                (cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256") \
                    || die "$archive does not match its sha256: replace it with a good copy."
            fi
            say "extracting $(basename "$archive") to $target (once)"
            rm -rf "$target" && mkdir -p "$target"
            tar -xJf "$archive" -C "$target"
            # Some archives wrap the tree in one folder: flatten it.
            if [ ! -e "$target/odoo-bin" ] && [ "$(ls "$target" | wc -l)" = 1 ]; then
                local inner; inner=$(ls "$target")
                mv "$target/$inner"/* "$target/$inner"/.[!.]* "$target"/ 2>/dev/null || true
                rmdir "$target/$inner"
            fi
            touch "$target/.extracted"
        fi
        echo "$target"; return
    fi
    # A clone elsewhere (e.g. a temporary folder): a tree extracted before.
    local cached
    cached=$(ls -d "$CACHE"/odoo-19.0-*/.extracted 2>/dev/null | sort | tail -n 1 || true)
    if [ -n "$cached" ]; then
        echo "$(dirname "$cached")"; return
    fi
    local target=$CACHE/odoo-19.0-download
    if [ ! -f "$target/.extracted" ]; then
        say "no Odoo source at hand: downloading the official 19.0 archive"
        mkdir -p "$target"
        if curl -fsSL --max-time 600 "$ODOO_URL" | tar -xz -C "$target" --strip-components=1; then
            touch "$target/.extracted"
        else
            rm -rf "$target"
            die "No Odoo 19.0 source found. Set ODOO_SRC to an Odoo 19.0 source tree, or put the archive odoo-19.0-*.tar.xz into ../shared/vendor/, or allow a download from github.com."
        fi
    fi
    echo "$target"
}

# --- 2. System packages (browser tests) -------------------------------------
ensure_system_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
    command -v pg_ctlcluster >/dev/null 2>&1 || command -v psql >/dev/null 2>&1 || [ -n "${PGHOST:-}" ] \
        || missing+=(postgresql)
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "Missing system packages: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]})."
    fi
}

# wkhtmltopdf prints PDF reports (the funder summary); poppler-utils' pdftotext
# lets the PDF test read the printed text. Optional: without them the PDF test
# skips with its reason, and Odoo offers the HTML version.
ensure_wkhtmltopdf() {
    local missing=()
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]} with apt-get (PDF reports)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
            || say "could not install ${missing[*]}: PDF reports stay unavailable and their test is skipped"
    else
        say "${missing[*]} missing (apt-get install ${missing[*]}): PDF reports stay unavailable"
    fi
}

# --- 3. Python virtualenv ---------------------------------------------------
find_python() {
    for candidate in "${PYTHON:-}" python3.12 /root/.pyenv/versions/3.12.1/bin/python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
            command -v "$candidate"; return
        fi
    done
    die "Python 3.12 not found (Odoo 19's pinned requirements need it): install it or set PYTHON."
}

ensure_venv() {
    local odoo_src=$1
    [ -x "$VENV/bin/python" ] || { say "creating virtualenv $VENV"; "$(find_python)" -m venv "$VENV"; }
    local stamp=$VENV/.requirements-stamp
    local wanted
    wanted=$( (echo "$odoo_src"; cat "$odoo_src/requirements.txt" "$ROOT/requirements.txt") | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then return; fi
    say "installing Python requirements into $VENV (log: $VENV/pip.log)"
    pip_install() {
        "$VENV/bin/pip" install -q --disable-pip-version-check "$@" >>"$VENV/pip.log" 2>&1 \
            || { tail -n 30 "$VENV/pip.log" >&2; die "pip install $* failed (see $VENV/pip.log)."; }
    }
    pip_install --upgrade pip wheel "setuptools<81"
    # python-ldap only serves auth_ldap and needs C headers: leave it out.
    grep -v '^python-ldap' "$odoo_src/requirements.txt" > "$VENV/odoo-requirements.txt"
    pip_install -r "$VENV/odoo-requirements.txt"
    # Odoo itself as the distribution `odoo`, without letting pip swap a pinned version.
    # (compat mode: a plain .pth, so that odoo.addons.__path__ holds folders only)
    pip_install --no-deps --no-build-isolation -e "$odoo_src" \
        --config-settings editable_mode=compat
    pip_install -r "$ROOT/requirements.txt"
    echo "$wanted" > "$stamp"
}

# --- 4. PostgreSQL ----------------------------------------------------------
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        DB_HOST=$PGHOST; DB_PORT=${PGPORT:-5432}
        PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
            || die "Cannot reach PostgreSQL at $DB_HOST:$DB_PORT as $DB_ROLE (set PGUSER/PGPASSWORD for a role that may create databases)."
        return
    fi
    command -v pg_lsclusters >/dev/null 2>&1 \
        || die "No PostgreSQL found: install it (Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER/PGPASSWORD to a server."
    local cluster
    # The newest version's "main" cluster that is no standby (a local replica for
    # the benchmarks is not Odoo's primary); else the newest cluster no standby.
    cluster=$(pg_lsclusters -h | grep -v recovery | sort -k1,1V | awk '$2 == "main"' | tail -n 1)
    [ -n "$cluster" ] || cluster=$(pg_lsclusters -h | grep -v recovery | sort -k1,1V | tail -n 1)
    [ -n "$cluster" ] || die "PostgreSQL is installed but has no cluster: create one (pg_createcluster 15 main)."
    local version name port status
    read -r version name port status _ <<<"$cluster"
    if [ "$status" != online ]; then
        say "starting PostgreSQL cluster $version/$name"
        pg_ctlcluster "$version" "$name" start || die "Could not start PostgreSQL $version/$name (run as root: pg_ctlcluster $version $name start)."
    fi
    DB_HOST=127.0.0.1; DB_PORT=$port
    local as_postgres=(runuser -u postgres --)
    [ "$(id -un)" = postgres ] && as_postgres=()
    if ! "${as_postgres[@]}" psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_ROLE'" | grep -q 1; then
        say "creating database role $DB_ROLE"
        "${as_postgres[@]}" psql -p "$port" -qc "CREATE ROLE \"$DB_ROLE\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    fi
}

write_config() {
    local odoo_src=$1
    # Odoo finds a module by its folder name, and the clone may be named anything:
    # a folder outside the repo (a link inside it would loop) links to this clone.
    local addons_dir
    addons_dir=$CACHE/addons/$(echo "$ROOT" | sha256sum | cut -c1-12)
    mkdir -p "$addons_dir" "$CACHE/data"
    ln -sfn "$ROOT" "$addons_dir/integration_program"
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    local extra=""
    [ -d "$site/odoo/addons" ] && extra=",$site/odoo/addons"
    cat > "$ROOT/.odoo.conf" <<CONF
[options]
addons_path = $odoo_src/odoo/addons,$odoo_src/addons,$addons_dir$extra
data_dir = $CACHE/data
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_ROLE
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
http_port = ${HTTP_PORT:-8069}
list_db = False
CONF
    echo "$odoo_src" > "$ROOT/.odoo-src"
}

main() {
    local odoo_src
    odoo_src=$(find_odoo_source)
    ensure_system_packages
    ensure_wkhtmltopdf
    ensure_venv "$odoo_src"
    ensure_postgres
    write_config "$odoo_src"
    say "ready: Odoo $odoo_src, virtualenv $VENV, PostgreSQL $DB_ROLE@$DB_HOST:$DB_PORT"
}
main "$@"
