"""Give a benchmark database ESF+ monitoring data, for the ESF+ measurements.

    .venv/bin/python tools/bench/esf_data.py -c .odoo.conf -d bench_100k

Marks every programme ESF+ co-funded and creates, through the ORM and in
batches, an entry record for every participant who has none: gender (mostly
women, some men and non-binary), labour-market status and months unemployed,
school and vocational qualifications from the catalogue, third-country,
foreign background, housing; women who left get a situation on leaving.
Deterministic (seeded), so runs on equal databases compare.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments, odoo_env

GENDERS = ["female"] * 90 + ["male"] * 8 + ["non_binary"] * 2
STATUSES = (
    ["unemployed"] * 55 + ["inactive"] * 30 + ["employed"] * 10 + ["education"] * 5
)
EXIT_STATUSES = ["job_seeking", "employed", "other"]


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(15)
    started = time.perf_counter()
    with odoo_env(args.config, args.database) as env:
        env["integration.program"].search([]).write({"esf_cofunded": True})
        catalogue = env["integration.esf.qualification"].search([])
        school = catalogue.filtered(lambda q: q.kind == "school").ids
        vocational = catalogue.filtered(lambda q: q.kind == "vocational").ids
        env.cr.execute(
            """SELECT participant.id, participant.exit_date
                 FROM integration_participant participant
                WHERE NOT EXISTS (SELECT 1 FROM integration_esf_record esf
                                   WHERE esf.participant_id = participant.id)
                ORDER BY participant.id"""
        )
        rows = env.cr.fetchall()
        Record = env["integration.esf.record"].with_context(tracking_disable=True)
        for start in range(0, len(rows), args.batch):
            values = []
            for participant_id, exit_date in rows[start : start + args.batch]:
                status = rng.choice(STATUSES)
                record = {
                    "participant_id": participant_id,
                    "gender": rng.choice(GENDERS),
                    "labour_status": status,
                    "months_unemployed": rng.randint(1, 36)
                    if status == "unemployed"
                    else 0,
                    "registered_unemployed": rng.choice(["yes", "no"]),
                    "school_qualification_id": rng.choice(school),
                    "vocational_qualification_id": rng.choice(vocational),
                    "third_country": rng.choice(["yes"] * 8 + ["no"] * 2),
                    "foreign_background": "yes",
                    "housing_exclusion": rng.choice(["yes"] + ["no"] * 9),
                }
                if exit_date:
                    record["exit_status"] = rng.choice(EXIT_STATUSES)
                    record["exit_recorded_on"] = exit_date
                values.append(record)
            Record.create(values)
            env.cr.commit()
            env.invalidate_all()
            print(
                f"[esf-data] {min(start + args.batch, len(rows)):,} / {len(rows):,} "
                f"records ({time.perf_counter() - started:.0f}s)",
                flush=True,
            )
    print(f"[esf-data] done in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
