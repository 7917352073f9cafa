#!/usr/bin/env bash
# `make test-core`: Odoo's own post-install tests of the modules every installation has
# (mail, portal, auth_signup, base_setup, web), run in a throwaway database where
# integration_program is installed with its demo data. A test that fails here and is not
# in the committed baseline (the tests that fail on plain Odoo on this machine) is a
# regression of the addon: each is printed and the run fails.
#
# `make test-core-baseline` (`tools/test_core.sh --baseline`) regenerates the baseline
# from a database with the same modules and demo data but without the addon.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CORE_MODULES=mail,portal,auth_signup,base_setup,web
BASELINE=$ROOT/tools/core_baseline.txt
DELIBERATE=$ROOT/tools/core_deliberate.txt
mode=check
[ "${1:-}" = --baseline ] && mode=baseline

DB=integration_program_core_$$
WORK=$(mktemp -d)
cleanup() {
    psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\"" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

modules=$CORE_MODULES
[ "$mode" = check ] && modules=$modules,integration_program
start=$(date +%s)
echo "[test-core] installing $modules with demo data into $DB"
odoo_bin -d "$DB" -i "$modules" --with-demo --stop-after-init --log-level=warn
echo "[test-core] installed in $(( $(date +%s) - start ))s; running the post-install tests of $CORE_MODULES"

tags=/${CORE_MODULES//,/,\/}
set +e
"$PY" "$ROOT/tools/core_tests.py" "$WORK/summary.json" -c "$CONF" -d "$DB" \
    --test-enable --test-tags "$tags" --stop-after-init --log-level=test \
    >"$WORK/odoo.log" 2>&1
status=$?
set -e
if [ ! -s "$WORK/summary.json" ]; then
    tail -n 60 "$WORK/odoo.log" >&2
    echo "[test-core] Odoo stopped before the tests reported (exit $status): see the log above." >&2
    exit 1
fi

"$PY" - "$WORK/summary.json" "$BASELINE" "$DELIBERATE" "$mode" "$(( $(date +%s) - start ))" "$WORK/odoo.log" <<'PY'
import json
import re
import sys

summary_path, baseline_path, deliberate_path, mode, seconds, log_path = sys.argv[1:]


def test_ids(path):
    """The test ids of a committed list (one per line, '#' starts a comment)."""
    with open(path, encoding="utf-8") as lines:
        return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


summary = json.load(open(summary_path, encoding="utf-8"))
failed = summary["failed"]
counts = (
    f"{summary['run']} tests run, {summary['skipped']} skipped (browser tours), "
    f"{len(failed)} failing, in {seconds}s"
)
if summary["run"] == 0:
    sys.exit("[test-core] no test ran: the test tags selected nothing.")
if mode == "baseline":
    with open(baseline_path, "w", encoding="utf-8") as out:
        out.write(
            "# Odoo's post-install tests of mail, portal, auth_signup, base_setup and web\n"
            "# that fail on plain Odoo 19.0 (with demo data) on this machine, without\n"
            "# integration_program. Regenerate: make test-core-baseline\n"
        )
        out.writelines(f"{test_id}\n" for test_id in failed)
    print(f"[test-core] baseline written to {baseline_path}: {counts}")
    sys.exit(0)

baseline = test_ids(baseline_path)
deliberate = test_ids(deliberate_path)
for test_id in sorted(deliberate & set(failed)):
    print(f"[test-core] explained in tools/core_deliberate.txt: {test_id}")
for test_id in sorted(deliberate - set(failed)):
    print(f"[test-core] passed although listed in tools/core_deliberate.txt: {test_id}")
regressions = [test_id for test_id in failed if test_id not in baseline | deliberate]
log = open(log_path, encoding="utf-8", errors="replace").read()
for test_id in regressions:
    print(f"[test-core] REGRESSION {test_id}")
    # "Class.method" in the log; a class that failed to set up is logged by its id.
    short = test_id if " " in test_id else ".".join(test_id.split(".")[-2:])
    match = re.search(
        r"(?:FAIL|ERROR): " + re.escape(short) + r"\n(.*?)(?=\n\d{4}-\d\d-\d\d )", log, re.S
    )
    if match:
        print("    " + match.group(1).strip().replace("\n", "\n    "))
fixed = sorted(baseline - set(failed))
print(
    f"[test-core] {counts}; {len(set(failed) & baseline)} of them fail on plain Odoo "
    f"too (baseline), {len(set(failed) & deliberate)} explained (tools/core_deliberate.txt); "
    f"{len(regressions)} regression(s)"
    + (f"; {len(fixed)} baseline test(s) passed this time" if fixed else "")
)
sys.exit(1 if regressions else 0)
PY
