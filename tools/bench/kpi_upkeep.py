"""What keeping the programme figures up costs, and what the dashboard's rows
cost between two compactions, on a benchmark database (everything rolled back).

    .venv/bin/python tools/bench/kpi_upkeep.py -c .odoo.conf -d bench18_1m

Prints, for the biggest programme: the hourly compaction with nothing
appended; ``--single`` fact refreshes one woman each (what a write of one
woman costs in the triggers: her fact row and the snapshots' delta rows); the
dashboard's KPI rows (its 50 largest providers and cohorts, both programmes)
right after, with those rows appended and not compacted, then after the
compaction; one statement refreshing ``--bulk`` women (a bulk import), the
dashboard's rows and the compaction again; building every snapshot anew (what
the cron does for a new day, here all of them).
"""

import time
from datetime import date

from odoo_env import common_arguments, odoo_env


def timed(label, function):
    start = time.perf_counter()
    result = function()
    print(f"{label}: {(time.perf_counter() - start) * 1000:,.0f} ms", flush=True)
    return result


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--bulk", type=int, default=10_000)
    args = parser.parse_args()
    with odoo_env(args.config, args.database) as env:
        cr = env.cr
        kpi = env["integration.kpi"]
        programs = env["integration.program"].search([("date_start", "!=", False)])
        today = date.today()

        def count_rows():
            cr.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT compacted)"
                " FROM integration_kpi_count"
            )
            rows, appended = cr.fetchone()
            print(f"  count rows: {rows:,}, appended since compaction: {appended:,}")

        def dashboard_rows():
            for program in programs:
                kpi._kpi_values(program, program.date_start, today, today, limit=50)

        cr.execute(
            "SELECT program_id FROM integration_participant"
            " GROUP BY program_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        biggest = cr.fetchone()[0]
        cr.execute(
            "SELECT id FROM integration_participant WHERE program_id = %s"
            " ORDER BY random() LIMIT %s",
            (biggest, args.single + args.bulk),
        )
        ids = [row[0] for row in cr.fetchall()]
        single, bulk = ids[: args.single], ids[args.single :]
        print(f"{args.database}, programme {biggest}; {programs.mapped('name')}")
        count_rows()
        timed("compaction, nothing appended", kpi._compact_snapshots)
        timed("dashboard rows (both programmes), compacted", dashboard_rows)

        def refresh_singles():
            for participant_id in single:
                cr.execute(
                    "SELECT integration_kpi_refresh(ARRAY[%s])", [participant_id]
                )

        timed(f"{len(single)} single fact refreshes", refresh_singles)
        count_rows()
        timed("dashboard rows with those rows appended", dashboard_rows)
        timed("compaction", kpi._compact_snapshots)
        timed("dashboard rows, compacted", dashboard_rows)
        timed(
            f"one statement refreshing {len(bulk):,} women",
            lambda: cr.execute("SELECT integration_kpi_refresh(%s)", [bulk]),
        )
        count_rows()
        timed("dashboard rows with those rows appended", dashboard_rows)
        timed("compaction", kpi._compact_snapshots)
        count_rows()
        wanted = kpi._wanted_snapshots()
        cr.execute("DELETE FROM integration_kpi_count")
        cr.execute("DELETE FROM integration_kpi_snapshot")
        new_day = [key for key in wanted if key[0] == "kpi"]
        timed(
            f"building the {len(new_day)} KPI snapshots (a new day)",
            lambda: kpi._build_snapshots_in(cr, new_day),
        )
        timed(
            f"building the other {len(wanted) - len(new_day)} snapshots",
            lambda: kpi._build_snapshots_in(cr, list(set(wanted) - set(new_day))),
        )
        count_rows()
        cr.rollback()
        print("rolled back")


if __name__ == "__main__":
    main()
