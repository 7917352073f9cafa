from .common import OrganisationsCase

# Expected rights per role and model: on "own" records (her organisation's
# participant and what hangs on it) and on "other" records (the other
# organisation's), for read, write and unlink; create is the model's right.
C, R, W, D = "create", "read", "write", "unlink"
ALL = {C, R, W, D}
MODELS = (
    "integration.participant",
    "integration.coaching.session",
    "integration.enrollment",
    "integration.placement",
    "integration.consent",
    "integration.course",
    "integration.program",
)
EXPECTED = {
    "manager": {
        "integration.participant": (ALL, ALL),
        "integration.coaching.session": (ALL, ALL),
        "integration.enrollment": (ALL, ALL),
        "integration.placement": (ALL, ALL),
        "integration.consent": (ALL, ALL),
        "integration.course": (ALL, ALL),
        "integration.program": (ALL, ALL),
    },
    "staff": {
        "integration.participant": ({C, R, W}, {C, R, W}),
        "integration.coaching.session": ({C, R, W}, {C, R, W}),
        "integration.enrollment": (ALL, ALL),
        "integration.placement": ({C, R, W}, {C, R, W}),
        "integration.consent": ({C, R, W}, {C, R, W}),
        "integration.course": ({C, R, W}, {C, R, W}),
        "integration.program": ({R}, {R}),
    },
    "coach1": {
        "integration.participant": ({R, W}, set()),
        "integration.coaching.session": ({C, R, W}, {C}),
        "integration.enrollment": ({C, R, W}, {C}),
        "integration.placement": ({C, R, W}, {C}),
        # Only programme staff record consents.
        "integration.consent": ({R}, set()),
        "integration.course": ({R}, {R}),
        "integration.program": ({R}, {R}),
    },
    # Portal logins: no model of the addon at all (their pages: test_portal.py).
    "jobcenter1": dict.fromkeys(MODELS, (set(), set())),
    "school1": dict.fromkeys(MODELS, (set(), set())),
    # A participant's own portal login: not even her own record through the ORM
    # (her pages: test_participant_portal.py).
    "participant1": dict.fromkeys(MODELS, (set(), set())),
}


class TestAccessMatrix(OrganisationsCase):
    def _records(self, participant):
        return {
            "integration.participant": participant,
            "integration.coaching.session": participant.session_ids,
            "integration.enrollment": participant.enrollment_ids,
            "integration.placement": participant.placement_ids,
            "integration.consent": participant.consent_ids
            or self.env["integration.consent"].create(
                {
                    "participant_id": participant.id,
                    "purpose": "coaching",
                }
            ),
            "integration.course": participant.enrollment_ids.course_id,
            "integration.program": participant.program_id,
        }

    def test_every_role_model_and_operation(self):
        own, other = self._records(self.own), self._records(self.other)
        failures = []
        for role, models in EXPECTED.items():
            user = self.role_users[role]
            for model, (own_ops, other_ops) in models.items():
                for side, records, allowed in (
                    ("own", own[model], own_ops),
                    ("other", other[model], other_ops),
                ):
                    self.assertTrue(records, f"fixture lacks {model} ({side})")
                    for operation in (C, R, W, D):
                        target = records.with_user(user)
                        if operation == C:
                            target = target.browse()
                        granted = target.has_access(operation)
                        expected = operation in allowed
                        if granted != expected:
                            failures.append(
                                f"{role} / {model} / {operation} on {side} record: "
                                f"expected {'allowed' if expected else 'denied'}"
                                f", got {'allowed' if granted else 'denied'}"
                            )
        self.assertFalse(failures, "\n" + "\n".join(failures))

    def test_reports_are_closed_to_partner_organisations(self):
        for role in ("jobcenter1", "school1"):
            for model in (
                "integration.caseload.report",
                "integration.obstacle.report",
                "integration.coaching.assignment",
                "integration.coach.meeting",
            ):
                self.assertFalse(
                    self.env[model].with_user(self.role_users[role]).has_access("read"),
                    f"{role} may read {model}",
                )
        self.assertFalse(
            self.env["integration.obstacle.report"]
            .with_user(self.role_users["coach1"])
            .has_access("read"),
            "coach may read the obstacle analysis",
        )
