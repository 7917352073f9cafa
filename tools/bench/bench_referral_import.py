"""Time the referral import of a Jobcenter file with N rows (default 10 000).

    .venv/bin/python tools/bench/bench_referral_import.py -c .odoo.conf -d DB [-n 10000]

Generates a CSV in the documented layout: a tenth of the rows names women already
in the database (same customer number), a tenth a transliterated name with their
birth date, a fiftieth is invalid, the rest is new; half the rows carry a consent.
Measures the preview (reading, checking, matching, storing the lines) and the
import (participants, consents and referrals, report), each as programme staff in
a transaction of its own, and rolls everything back unless ``--keep``.
"""

import base64
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import common_arguments, odoo_env

HEADER = (
    "customer_number;last_name;first_name;birthdate;email;phone;referral_date;"
    "reason;consent;consent_reference"
)
FIRST = ["Amina", "Fatima", "Leyla", "Hawa", "Nour", "Samira", "Aylin", "Mariam"]
LAST = ["Haddad", "Yilmaz", "Rahmani", "Ahmadi", "Nasser", "Kaya", "Osman", "Bakr"]


def transliterate(name):
    return name.replace("i", "ie", 1) if "i" in name else name + "h"


def make_file(existing, rows, seed=17):
    rng = random.Random(seed)
    # Customer numbers of this run only: a database kept from an earlier run
    # (--keep) does not turn this run's new women into duplicates.
    run = f"{seed:04d}"[-4:]
    # Each registered woman at most once in the file (twice would be an invalid
    # row: the file names her twice).
    existing = list(existing)
    rng.shuffle(existing)
    lines = [HEADER]
    for number in range(rows):
        kind = number % 50
        if kind < 5 and existing:
            customer, name, birthdate = existing.pop()
            first, _sep, last = (name or "A B").partition(" ")
            row = [customer or "", last, first, birthdate.isoformat()]
        elif kind < 10 and existing:
            _customer, name, birthdate = existing.pop()
            first, _sep, last = (name or "A B").partition(" ")
            row = ["", last, transliterate(first), birthdate.isoformat()]
        elif kind == 10:
            row = [f"X{number}", "", "Ohne Vorname", "31.02.1990"]
        else:
            birthdate = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
            row = [
                f"B{run}{number:06d}",
                rng.choice(LAST),
                f"{rng.choice(FIRST)} {number}",
                birthdate.strftime("%d.%m.%Y"),
            ]
        consent = number % 2 == 0
        row += [
            f"bench{number}@example.com",
            "",
            "",
            "Needs a way into care work",
            "ja" if consent else "nein",
            f"JC-{number}" if consent else "",
        ]
        lines.append(";".join(row))
    return "\r\n".join(lines).encode("utf-8")


def main():
    parser = common_arguments(__doc__.splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="commit the import")
    parser.add_argument(
        "--seed", type=int, default=int(time.time()) % 10000, help="file generator"
    )
    args = parser.parse_args()
    with odoo_env(args.config, args.database) as env:
        staff = env["res.users"].search(
            [("all_group_ids", "in", env.ref("integration_program.group_user").id)],
            limit=1,
        )
        participants = env["integration.participant"].search_fetch(
            [("birthdate", "!=", False)],
            ["jobcenter_customer_number", "name", "birthdate"],
            limit=5000,
        )
        existing = [
            (p.jobcenter_customer_number, p.name, p.birthdate) for p in participants
        ]
        jobcenter = env["res.partner"].create(
            {"name": "Jobcenter Benchmark", "is_company": True}
        )
        content = make_file(existing, args.rows, seed=args.seed)
        registered = env["integration.participant"].search_count([])
        record = (
            env["integration.referral.import"]
            .with_user(staff)
            .create(
                {
                    "jobcenter_id": jobcenter.id,
                    "file": base64.b64encode(content),
                    "filename": "bench.csv",
                }
            )
        )
        env.flush_all()
        start = time.perf_counter()
        queries = env.cr.sql_log_count
        record.action_preview()
        env.flush_all()
        preview = time.perf_counter() - start
        preview_queries = env.cr.sql_log_count - queries
        counts = {
            status: record.line_ids.filtered(lambda line, s=status: line.status == s)
            for status in ("new", "duplicate", "fuzzy", "invalid")
        }
        start = time.perf_counter()
        queries = env.cr.sql_log_count
        record.action_import()
        env.flush_all()
        env.cr.precommit.run()
        imported = time.perf_counter() - start
        import_queries = env.cr.sql_log_count - queries
        print(
            f"rows: {args.rows} ({len(content) // 1024} KiB), registered women "
            f"in the database before: {registered}"
        )
        print(
            "preview: "
            + ", ".join(f"{key} {len(lines)}" for key, lines in counts.items())
        )
        print(f"preview: {preview:.1f} s, {preview_queries} queries")
        print(f"import:  {imported:.1f} s, {import_queries} queries")
        print(f"total:   {preview + imported:.1f} s")
        if not args.keep:
            env.cr.rollback()


if __name__ == "__main__":
    main()
