from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IntegrationCase


@tagged("post_install", "-at_install")
class TestPlacements(IntegrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_home = cls.env["res.partner"].create(
            {"name": "Care Home", "is_company": True}
        )
        cls.elderly_care = cls.env.ref("integration_program.profession_elderly_care")
        cls.participant = cls.create_participant(
            name="Luwam Habte",
            stage_id=cls.stage["qualification"].id,
            enrollment_date="2019-01-01",
        )

    def place(self, placement_type="training", **values):
        return (
            self.env["integration.placement"]
            .with_user(self.staff)
            .create(
                {
                    "participant_id": self.participant.id,
                    "placement_type": placement_type,
                    "partner_id": self.care_home.id,
                    "profession_id": self.elderly_care.id,
                    "date_start": "2020-08-01",
                    "weekly_hours": 39,
                    **values,
                }
            )
        )

    def test_starting_training_moves_the_stage(self):
        placement = self.place()
        self.assertEqual(self.participant.milestone, "qualification")
        placement.action_start()
        self.assertEqual(self.participant.stage_id, self.stage["training"])
        self.assertIn(
            "Started Vocational Training at Care Home",
            self.participant.message_ids[0].body,
        )
        employment = self.place("employment", date_start="2023-08-01", state="active")
        self.assertEqual(employment.state, "active")
        self.assertEqual(self.participant.stage_id, self.stage["employment"])

    def test_internships_and_disabled_programmes_do_not_move(self):
        self.place("internship", state="active")
        self.assertEqual(self.participant.milestone, "qualification")
        self.program.placement_moves_stage = False
        self.place(state="active")
        self.assertEqual(self.participant.milestone, "qualification")

    def test_checks(self):
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self.place(date_end="2020-07-01")
        with self.assertRaisesRegex(ValidationError, "between 0 and 60"):
            self.place(weekly_hours=80)
        placement = self.place(state="active")
        with self.assertRaisesRegex(ValidationError, "reason why the placement"):
            placement.state = "dropped"

    def test_demo_counts(self):
        program = self.env.ref("integration_program.program_social_economy")
        groups = self.env["integration.placement"]._read_group(
            [
                ("program_id", "=", program.id),
                ("state", "in", ("active", "completed")),
            ],
            ["placement_type"],
            ["participant_id:count_distinct"],
        )
        started = dict(groups)
        self.assertEqual(started["training"], 37)
        self.assertEqual(started["employment"], 14)
        self.assertEqual(started["training"] + started["employment"], 51)
