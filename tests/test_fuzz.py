import base64
import random
import time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import OrganisationsCase

SEED = 13
ITERATIONS = 600
TIME_BUDGET = 50  # seconds

# The fields driven per model, and a valid base for a create.
FUZZED = {
    "integration.participant": (
        "name",
        "jobcenter_customer_number",
        "note",
        "health_note",
        "birthdate",
        "coach_id",
        "german_level",
        "enrollment_date",
        "email",
        "phone",
        "is_paused",
        "language_ids",
        "partner_id",
        "provider_id",
        "referrer_id",
    ),
    "integration.coaching.session": (
        "participant_id",
        "coach_id",
        "provider_id",
        "date",
        "duration",
        "mode",
        "topics",
        "notes",
        "next_steps",
    ),
    "integration.enrollment": (
        "course_id",
        "participant_id",
        "state",
        "attendance_rate",
        "date_enrolled",
        "date_end",
        "drop_reason",
        "certificate_obtained",
    ),
    "integration.course": (
        "name",
        "seats_max",
        "cohort_number",
        "date_start",
        "date_end",
        "state",
        "organizer_ids",
        "location",
    ),
    "integration.consent": (
        "participant_id",
        "purpose",
        "recipient_ids",
        "date_given",
        "date_withdrawn",
        "note",
        "document",
    ),
    "integration.placement": (
        "participant_id",
        "placement_type",
        "partner_id",
        "date_start",
        "date_end",
        "weekly_hours",
        "state",
        "drop_reason",
    ),
}
WRONG = (
    None,
    False,
    True,
    0,
    -3,
    7,
    2**31,
    2**63,
    -(2**40),
    1.5,
    float("nan"),
    float("inf"),
    1e300,
    "",
    "   ",
    "\t\n",
    "\u200b\u200d\ufeff",
    "Ärztin 🌍 مريم",
    "\u202eRTL\u202c",
    "2026-13-45",
    "1900-01-01",
    "2026-01-15",
    "x" * 5000,
    "y" * 200_001,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    [],
    [1],
    [[]],
    [(6, 0, ["x"])],
    [(6, 0, [10**9])],
    [(4, 2**40)],
    [(0, 0, "no dict")],
    [(9, 0, 0)],
    {},
    {"a": 1},
    10**9,
    base64.b64encode(b"%PDF-1.4 signed form").decode(),
    "not base64 at all!",
)


@tagged("post_install", "-at_install")
class TestFuzzWritePaths(OrganisationsCase):
    """Random wrong types, sizes and unicode through create and write, as staff and
    as a coach: every failure is a user-facing error, and the other organisation's
    rows stay as they were."""

    def _ids(self, side):
        participant = self.own if side == "own" else self.other
        school = self.courses["school1" if side == "own" else "school2"]
        n = "1" if side == "own" else "2"
        return {
            "integration.participant": participant,
            "integration.coaching.session": participant.session_ids,
            "integration.enrollment": participant.enrollment_ids,
            "integration.placement": participant.placement_ids,
            "integration.consent": participant.consent_ids,
            "integration.course": school,
            "refs": [
                participant.id,
                self.role_users[f"coach{n}"].id,
                self.orgs[f"provider{n}"].id,
                self.orgs[f"jobcenter{n}"].id,
                self.orgs[f"school{n}"].id,
                school.id,
            ],
        }

    def _snapshot(self, records_by_model):
        self.env.invalidate_all()
        snapshot = {}
        for model, records in records_by_model.items():
            if model == "refs":
                continue
            names = [
                name
                for name, field in records._fields.items()
                if field.store
                and field.type not in ("binary",)
                and name not in ("write_date", "write_uid", "__last_update")
            ]
            snapshot[model] = records.sudo().with_context(active_test=False).read(names)
        other = self.other.sudo()
        snapshot["attached"] = (
            len(other.session_ids),
            len(other.enrollment_ids),
            len(other.placement_ids),
            len(other.consent_ids),
            other.partner_id.read(["name", "email", "phone", "city"]),
        )
        return snapshot

    def _value(self, rng, refs):
        if rng.random() < 0.25:
            return rng.choice(refs)
        return rng.choice(WRONG)

    def _base_vals(self, model, side):
        ids = self._ids(side)
        participant = ids["integration.participant"]
        return {
            "integration.participant": {"name": "Fuzz", "program_id": self.program.id},
            "integration.coaching.session": {"participant_id": participant.id},
            "integration.enrollment": {
                "participant_id": participant.id,
                "course_id": ids["integration.course"].id,
            },
            "integration.course": {
                "program_id": self.program.id,
                "course_type_id": self.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": "2026-03-02",
            },
            "integration.consent": {
                "participant_id": participant.id,
                "recipient_ids": [(6, 0, self.orgs["jobcenter1"].ids)],
            },
            "integration.placement": {
                "participant_id": participant.id,
                "placement_type": "internship",
                "partner_id": self.orgs["school1"].id,
                "date_start": "2026-02-01",
            },
        }[model]

    def test_fuzz_create_and_write(self):
        rng = random.Random(SEED)
        other_records = self._ids("other")
        before = self._snapshot(other_records)
        own_refs = self._ids("own")["refs"]
        actors = {
            # Staff work on all organisations: they are driven on their own side.
            "staff": (self.staff, ("own",), own_refs),
            "coach1": (
                self.role_users["coach1"],
                ("own", "other"),
                own_refs + other_records["refs"],
            ),
        }
        unexpected = []
        outcomes = {"ok": 0, "refused": 0}
        start = time.monotonic()
        iterations = 0
        for iterations in range(1, ITERATIONS + 1):  # noqa: B007
            if time.monotonic() - start > TIME_BUDGET:
                break
            actor = rng.choice(sorted(actors))
            user, sides, refs = actors[actor]
            model = rng.choice(sorted(FUZZED))
            side = rng.choice(sides)
            vals = {
                name: self._value(rng, refs)
                for name in rng.sample(FUZZED[model], rng.randint(1, 3))
            }
            operation = rng.choice(("create", "write"))
            try:
                with self.env.cr.savepoint():
                    if operation == "create":
                        records = self.env[model].with_user(user)
                        records.create({**self._base_vals(model, side), **vals})
                    else:
                        target = self._ids(side)[model]
                        target.with_user(user).write(vals)
                    self.env.flush_all()
                outcomes["ok"] += 1
            except (UserError, ValidationError, AccessError):
                outcomes["refused"] += 1
            except Exception as error:
                unexpected.append((actor, operation, model, side, vals, repr(error)))
            self.env.invalidate_all()
        if unexpected:
            self.fail(
                f"{len(unexpected)} unexpected errors, e.g.:\n"
                + "\n".join(
                    repr(case)[:300] + " … " + case[-1][:300]
                    for case in unexpected[:10]
                )
            )
        self.assertEqual(self._snapshot(other_records), before)
        self.assertGreater(outcomes["refused"], 0)
        self.assertGreater(iterations, 100)
