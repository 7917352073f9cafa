from odoo.tests import HttpCase, tagged

from .common import new_test_user


@tagged("post_install", "-at_install")
class TestBadInputOverJsonRpc(HttpCase):
    """What a client sends over the web client's route is refused with the same
    clear message, and nothing stored changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["integration.program"].create(
            {"name": "RPC Programme", "code": "RPC"}
        )
        cls.staff = new_test_user(
            cls.env,
            login="rpc_staff",
            name="Rita RPC",
            groups="integration_program.group_user",
        )
        cls.participant = cls.env["integration.participant"].create(
            {
                "name": "Nadia Rpc",
                "program_id": cls.program.id,
                "jobcenter_customer_number": "111A222",
            }
        )
        cls.course = cls.env["integration.course"].create(
            {
                "program_id": cls.program.id,
                "course_type_id": cls.env.ref(
                    "integration_program.course_type_orientation"
                ).id,
                "date_start": "2026-01-05",
                "seats_max": 3,
            }
        )

    def call_kw(self, model, method, args, kwargs=None):
        """The error message of a call, or None when it succeeded."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            timeout=30,
        )
        response.raise_for_status()
        error = response.json().get("error")
        if not error:
            return None
        self.assertIn(
            error["data"]["name"],
            (
                "odoo.exceptions.ValidationError",
                "odoo.exceptions.UserError",
                "odoo.exceptions.AccessError",
            ),
            error["data"].get("debug"),
        )
        return error["data"]["message"]

    def assertStored(self):
        participant = self.participant
        participant.invalidate_recordset()
        self.assertEqual(participant.name, "Nadia Rpc")
        self.assertEqual(participant.partner_id.name, "Nadia Rpc")
        self.assertEqual(participant.jobcenter_customer_number, "111A222")
        self.course.invalidate_recordset()
        self.assertEqual(
            (self.course.seats_max, self.course.cohort_number > 0), (3, True)
        )

    def test_bad_values_are_refused_clearly(self):
        self.authenticate("rpc_staff", "rpc_staff")
        count = self.env["integration.participant"].search_count([])
        pid = self.participant.id
        cases = [
            ("integration.participant", "write", [[pid], {"name": 42}], "text"),
            ("integration.participant", "write", [[pid], {"name": ["A"]}], "text"),
            (
                "integration.participant",
                "write",
                [[pid], {"jobcenter_customer_number": {"a": 1}}],
                "text",
            ),
            (
                "integration.participant",
                "write",
                [[pid], {"name": "\u200b \t"}],
                "name",
            ),
            (
                "integration.participant",
                "create",
                [{"name": "N" * 5000, "program_id": self.program.id}],
                "128",
            ),
            (
                "integration.participant",
                "write",
                [[pid], {"coach_id": "somebody"}],
                "choose an entry",
            ),
            (
                "integration.participant",
                "write",
                [[pid], {"coach_id": self.staff.id}],
                "is not a coach",
            ),
            (
                "integration.course",
                "write",
                [[self.course.id], {"seats_max": 2**31}],
                "too big",
            ),
            (
                "integration.course",
                "write",
                [[self.course.id], {"cohort_number": -3}],
                "cohort number",
            ),
        ]
        for model, method, args, expected in cases:
            with self.subTest(model=model, method=method, args=str(args)[:80]):
                message = self.call_kw(model, method, args)
                self.assertTrue(message, "the bad value was accepted")
                self.assertIn(expected, message)
                self.assertStored()
        self.assertEqual(self.env["integration.participant"].search_count([]), count)
