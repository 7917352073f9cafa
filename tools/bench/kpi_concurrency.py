"""Writers in parallel with snapshot builds and compactions: the counts kept
up for the dashboard equal the fact rows' afterwards.

    .venv/bin/python tools/bench/kpi_concurrency.py -c .odoo.conf -d h18

Writer threads change placements, enrolment dates and stages of random women of
one programme in REPEATABLE READ transactions (as Odoo does; a serialization
failure is retried, as Odoo retries a request), while the main thread builds
new snapshots (``_refresh_snapshots``: the epoch lock, READ COMMITTED) and
compacts. Then every snapshot is compared with the count from the fact table.
Changes data of the database: use a development or benchmark copy.
"""

import random
import threading
import time
from datetime import date, timedelta

import psycopg2
from odoo_env import common_arguments, odoo_env
from psycopg2 import errorcodes

RETRY = {errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED}


def writer(dsn, ids_and_stages, stop, stats, seed):
    participant_ids, stage_ids = ids_and_stages
    rng = random.Random(seed)
    conn = psycopg2.connect(**dsn)
    conn.set_session(isolation_level="REPEATABLE READ")
    while not stop.is_set():
        ids = rng.sample(participant_ids, rng.randrange(1, 4))
        action = rng.choice(("placement", "enrolment", "stage"))
        for _attempt in range(20):
            try:
                with conn.cursor() as cr:
                    if action == "placement":
                        cr.execute(
                            "UPDATE integration_placement"
                            " SET date_start = date_start + %s"
                            " WHERE participant_id = ANY(%s)",
                            (rng.choice((-7, 7)), ids),
                        )
                    elif action == "enrolment":
                        cr.execute(
                            "UPDATE integration_participant"
                            " SET enrollment_date = enrollment_date + %s"
                            " WHERE id = ANY(%s)",
                            (rng.choice((-30, 30)), ids),
                        )
                    else:
                        cr.execute(
                            "UPDATE integration_participant SET stage_id = %s"
                            " WHERE id = ANY(%s)",
                            (rng.choice(stage_ids), ids),
                        )
                    time.sleep(rng.random() / 50)
                conn.commit()
                stats["commits"] += 1
                break
            except psycopg2.Error as error:
                conn.rollback()
                if error.pgcode not in RETRY:
                    raise
                stats["retries"] += 1
    conn.close()


def compare(args, program_id, keys):
    """Each snapshot against the count from the fact table: the number that
    differ."""
    differences = 0
    with odoo_env(args.config, args.database) as env:
        from odoo.tools import SQL  # noqa: PLC0415

        from odoo.addons.integration_program.models.integration_kpi import (  # noqa: PLC0415
            FACT_TABLE,
            REACH_COUNT_SQL,
            kpi_sql,
        )

        kpi = env["integration.kpi"]
        program = env["integration.program"].browse(program_id)
        for kind, _program_id, date_from, as_of, columns in sorted(keys, key=str):
            if kind == "kpi":
                params = kpi._params(program, date_from, as_of)
                snapshot = kpi._kpi_rows(params)
                env.cr.execute(
                    SQL(
                        "SELECT * FROM (%s) kpi ORDER BY breakdown, key",
                        kpi_sql(SQL.identifier(FACT_TABLE), params),
                    )
                )
                rows = env.cr.dictfetchall()
                facts = {name: [] for name in snapshot}
                for row in rows:
                    row.pop("snapshot_id")
                    if row["breakdown"] == "exit_reason":
                        facts["exit_reason"].append(
                            {"key": row["key"], "count": row["member"]}
                        )
                        continue
                    row.pop("member")
                    facts[row.pop("breakdown")].append(row)
                same = snapshot == facts
            else:
                days = [(n, date_from + timedelta(days=30 * n)) for n in range(40)]
                env.cr.execute(kpi._reach_counts(program_id, date_from, columns, days))
                stored = sorted(env.cr.fetchall())
                # The same counted from the fact table (no snapshot looked up).
                env.cr.execute(
                    SQL(
                        REACH_COUNT_SQL,
                        program_id=program_id,
                        date_from=date_from,
                        columns=sorted(columns),
                        snapshot=SQL("FALSE"),
                        facts=SQL.identifier(FACT_TABLE),
                        condition=kpi._reach_condition(
                            program_id, date_from, SQL("days.as_of"), columns
                        ),
                        positions=[position for position, _day in days],
                        days=[day for _position, day in days],
                    )
                )
                same = stored == sorted(env.cr.fetchall())
            differences += not same
            print(
                f"{kind} {date_from} {as_of or ''} {columns or ''}: "
                f"{'same as the fact rows' if same else 'DIFFERENT'}"
            )
    return differences


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    from odoo.tools import config  # noqa: PLC0415

    with odoo_env(args.config, args.database) as env:
        env.cr.execute(
            "SELECT program_id FROM integration_kpi_fact"
            " GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
        )
        program_id = env.cr.fetchone()[0]
        env.cr.execute(
            "SELECT participant_id FROM integration_kpi_fact WHERE program_id = %s",
            (program_id,),
        )
        participant_ids = [row[0] for row in env.cr.fetchall()]
        env.cr.execute("SELECT id FROM integration_stage")
        stage_ids = [row[0] for row in env.cr.fetchall()]
    dsn = {
        "host": config["db_host"],
        "port": config["db_port"],
        "user": config["db_user"],
        "password": config["db_password"],
        "dbname": args.database,
    }
    stop = threading.Event()
    stats = {"commits": 0, "retries": 0}
    threads = [
        threading.Thread(
            target=writer,
            args=(dsn, (participant_ids, stage_ids), stop, stats, seed),
        )
        for seed in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    rng = random.Random(99)
    keys = set()
    try:
        for round_ in range(args.rounds):
            time.sleep(1)
            date_from = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1500))
            as_of = date_from + timedelta(days=rng.randrange(0, 900))
            new = {
                ("kpi", program_id, date_from, as_of, None),
                (
                    "reach",
                    program_id,
                    date_from,
                    None,
                    ("employment_starts", "reached_training"),
                ),
            }
            keys |= new
            with odoo_env(args.config, args.database) as env:
                env["integration.kpi"]._refresh_snapshots(new, drop=False)
            print(f"round {round_}: built {len(new)} snapshots and compacted, {stats}")
    finally:
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()
    differences = compare(args, program_id, keys)
    print(f"writers: {stats}; {differences} snapshots differ")
    if differences:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
